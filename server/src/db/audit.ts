import { createHash } from 'node:crypto';
import type { Db } from './connection.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface Actor {
  id: number | null;
  name: string;
}
export const SYSTEM_ACTOR: Actor = { id: null, name: 'system' };

export interface AuditEntry {
  actor: Actor;
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  detail?: Record<string, unknown>;
}

/** JSON with object keys sorted, so the same value always gives the same digest. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v)) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .map((k) => [k, o[k]]),
      );
    }
    return v;
  });
}

export function digest(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

interface AuditRowCore {
  ts: string;
  actorId: number | null;
  actorName: string;
  action: string;
  entity: string;
  entityId: string | null;
  beforeDigest: string | null;
  afterDigest: string | null;
  detail: string;
}

export function rowHash(prevHash: string, r: AuditRowCore): string {
  const body = canonicalJson([
    r.ts,
    r.actorId,
    r.actorName,
    r.action,
    r.entity,
    r.entityId,
    r.beforeDigest,
    r.afterDigest,
    r.detail,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * Appends one row to the hash chain. Call it inside the transaction of the write it records,
 * so the write and its audit row commit (or roll back) together.
 */
export function appendAudit(db: Db, e: AuditEntry): void {
  const sqlite = db.$client;
  const last = sqlite.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { hash: string } | undefined;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const core: AuditRowCore = {
    ts: new Date().toISOString(),
    actorId: e.actor.id,
    actorName: e.actor.name,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
    beforeDigest: digest(e.before),
    afterDigest: digest(e.after),
    detail: canonicalJson(e.detail ?? {}),
  };
  sqlite
    .prepare(
      `INSERT INTO audit_log (ts, actor_id, actor_name, action, entity, entity_id, before_digest, after_digest, detail, prev_hash, hash)
       VALUES (@ts, @actorId, @actorName, @action, @entity, @entityId, @beforeDigest, @afterDigest, @detail, @prevHash, @hash)`,
    )
    .run({ ...core, prevHash, hash: rowHash(prevHash, core) });
}

export interface VerifyResult {
  ok: boolean;
  rows: number;
  lastHash: string;
  firstBroken?: { id: number; reason: 'hash_mismatch' | 'prev_hash_mismatch'; message: string };
}

/** Recomputes the whole chain and names the first row that does not fit. */
export function verifyAudit(db: Db): VerifyResult {
  const rows = db.$client
    .prepare(
      `SELECT id, ts, actor_id AS actorId, actor_name AS actorName, action, entity, entity_id AS entityId,
              before_digest AS beforeDigest, after_digest AS afterDigest, detail, prev_hash AS prevHash, hash
         FROM audit_log ORDER BY id`,
    )
    .iterate() as IterableIterator<AuditRowCore & { id: number; prevHash: string; hash: string }>;
  let prev = GENESIS_HASH;
  let n = 0;
  for (const r of rows) {
    n++;
    if (r.prevHash !== prev) {
      return {
        ok: false,
        rows: n,
        lastHash: prev,
        firstBroken: {
          id: r.id,
          reason: 'prev_hash_mismatch',
          message: `Dòng nhật ký #${r.id} không nối đúng với dòng trước (có dòng bị xóa hoặc chèn)`,
        },
      };
    }
    if (rowHash(prev, r) !== r.hash) {
      return {
        ok: false,
        rows: n,
        lastHash: prev,
        firstBroken: {
          id: r.id,
          reason: 'hash_mismatch',
          message: `Dòng nhật ký #${r.id} đã bị sửa đổi (mã băm không khớp)`,
        },
      };
    }
    prev = r.hash;
  }
  return { ok: true, rows: n, lastHash: prev };
}
