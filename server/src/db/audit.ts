import { createHash } from 'node:crypto';
import { chainMac, loadAuditKey } from './auditKey.js';
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
  const { key } = loadAuditKey(sqlite);
  const last = sqlite
    .prepare('SELECT a.hash, m.mac FROM audit_log a LEFT JOIN audit_macs m ON m.audit_id = a.id ORDER BY a.id DESC LIMIT 1')
    .get() as { hash: string; mac: string | null } | undefined;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const prevMac = last ? (last.mac ?? '') : GENESIS_HASH;
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
  const hash = rowHash(prevHash, core);
  const id = sqlite
    .prepare(
      `INSERT INTO audit_log (ts, actor_id, actor_name, action, entity, entity_id, before_digest, after_digest, detail, prev_hash, hash)
       VALUES (@ts, @actorId, @actorName, @action, @entity, @entityId, @beforeDigest, @afterDigest, @detail, @prevHash, @hash)`,
    )
    .run({ ...core, prevHash, hash }).lastInsertRowid;
  sqlite.prepare('INSERT INTO audit_macs (audit_id, mac) VALUES (?, ?)').run(id, chainMac(key, prevMac, hash));
}

/**
 * Gives rows written before the chain was keyed (the migration of issue 14) their MAC, once: only
 * while no row has one. Stripping some MACs later makes those rows fail verification; stripping
 * all of them after a rewrite gets the rewrite keyed, but it no longer passes through any anchor
 * printed before (SECURITY.md).
 */
export function keyLegacyAuditRows(db: Db): number {
  const sqlite = db.$client;
  const { key } = loadAuditKey(sqlite);
  if (sqlite.prepare('SELECT 1 FROM audit_macs LIMIT 1').get()) return 0;
  const rows = sqlite.prepare('SELECT id, hash FROM audit_log ORDER BY id').all() as { id: number; hash: string }[];
  const ins = sqlite.prepare('INSERT INTO audit_macs (audit_id, mac) VALUES (?, ?)');
  sqlite.transaction(() => {
    let prev = GENESIS_HASH;
    for (const r of rows) {
      prev = chainMac(key, prev, r.hash);
      ins.run(r.id, prev);
    }
  })();
  return rows.length;
}

/** A point of the chain printed outside the database: the row count and the keyed head. */
export interface AuditAnchor {
  rows: number;
  /** the MAC of the last row (GENESIS_HASH for an empty log) */
  head: string;
  /** "rows:head", as printed on sealed exports, result sheets and backups */
  text: string;
}

/** The anchor of the chain as it stands: print it anywhere outside the database. */
export function auditAnchor(db: Pick<Db, '$client'>): AuditAnchor {
  const sqlite = db.$client;
  const rows = sqlite.prepare('SELECT COUNT(*) FROM audit_log').pluck().get() as number;
  const last = sqlite
    .prepare('SELECT m.mac FROM audit_log a LEFT JOIN audit_macs m ON m.audit_id = a.id ORDER BY a.id DESC LIMIT 1')
    .pluck()
    .get() as string | null | undefined;
  const head = last ?? GENESIS_HASH;
  return { rows, head, text: `${rows}:${head}` };
}

/** Reads a printed anchor ("rows:head"); null when it is not one. */
export function parseAnchor(text: string): { rows: number; head: string } | null {
  const m = /^\s*([0-9]{1,12}):([0-9a-f]{64})\s*$/i.exec(text);
  return m ? { rows: Number(m[1]), head: (m[2] as string).toLowerCase() } : null;
}

export interface VerifyResult {
  ok: boolean;
  rows: number;
  lastHash: string;
  firstBroken?: {
    id: number;
    reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'mac_mismatch' | 'anchor_mismatch' | 'rows_missing';
    message: string;
  };
  /** the chain's anchor now (print it to check later) */
  anchor: AuditAnchor;
  /** the result of checking a previously printed anchor, when one was given */
  anchorCheck?: { ok: boolean; rows: number; message: string };
}

/**
 * Recomputes the whole chain (SHA-256 links and the keyed MACs) and names the first row that does
 * not fit. With `anchor` (printed earlier on a sealed export, result sheet or backup) it also checks
 * that the chain still passes through it: rows deleted at the tail, or a rewrite with recomputed
 * hashes, no longer match.
 */
export function verifyAudit(db: Db, anchorText?: string): VerifyResult {
  const { key } = loadAuditKey(db.$client);
  const anchor = anchorText === undefined ? undefined : parseAnchor(anchorText);
  const rows = db.$client
    .prepare(
      `SELECT id, ts, actor_id AS actorId, actor_name AS actorName, action, entity, entity_id AS entityId,
              before_digest AS beforeDigest, after_digest AS afterDigest, detail, prev_hash AS prevHash, hash, m.mac
         FROM audit_log LEFT JOIN audit_macs m ON m.audit_id = audit_log.id ORDER BY audit_log.id`,
    )
    .iterate() as IterableIterator<AuditRowCore & { id: number; prevHash: string; hash: string; mac: string | null }>;
  let prev = GENESIS_HASH;
  let prevMac = GENESIS_HASH;
  let n = 0;
  let anchorCheck: VerifyResult['anchorCheck'];
  if (anchorText !== undefined && !anchor)
    anchorCheck = { ok: false, rows: 0, message: 'Mã neo không đúng định dạng "số dòng:mã 64 ký tự hex"' };
  const broken = (id: number, reason: NonNullable<VerifyResult['firstBroken']>['reason'], message: string): VerifyResult => ({
    ok: false,
    rows: n,
    lastHash: prev,
    firstBroken: { id, reason, message },
    anchor: auditAnchor(db),
    ...(anchorCheck || anchor ? { anchorCheck: anchorCheck ?? { ok: false, rows: anchor?.rows ?? 0, message } } : {}),
  });
  for (const r of rows) {
    n++;
    if (r.prevHash !== prev) {
      return broken(r.id, 'prev_hash_mismatch', `Dòng nhật ký #${r.id} không nối đúng với dòng trước (có dòng bị xóa hoặc chèn)`);
    }
    if (rowHash(prev, r) !== r.hash) {
      return broken(r.id, 'hash_mismatch', `Dòng nhật ký #${r.id} đã bị sửa đổi (mã băm không khớp)`);
    }
    const mac = chainMac(key, prevMac, r.hash);
    if (r.mac !== mac) {
      return broken(
        r.id,
        'mac_mismatch',
        `Dòng nhật ký #${r.id} không có chữ ký khóa hợp lệ (nhật ký đã bị ghi lại hoặc khóa không đúng)`,
      );
    }
    if (anchor && n === anchor.rows && !anchorCheck) {
      anchorCheck =
        mac === anchor.head
          ? { ok: true, rows: anchor.rows, message: `Nhật ký vẫn đi qua mốc đã in (${anchor.rows} dòng)` }
          : { ok: false, rows: anchor.rows, message: `Dòng thứ ${anchor.rows} không khớp mốc đã in: nhật ký đã bị ghi lại` };
    }
    prev = r.hash;
    prevMac = mac;
  }
  if (anchor && !anchorCheck) {
    anchorCheck =
      anchor.rows === 0 && anchor.head === GENESIS_HASH
        ? { ok: true, rows: 0, message: 'Mốc rỗng' }
        : {
            ok: false,
            rows: anchor.rows,
            message: `Mốc đã in có ${anchor.rows} dòng nhưng nhật ký chỉ còn ${n} dòng: có dòng cuối đã bị xóa`,
          };
  }
  const result: VerifyResult = { ok: true, rows: n, lastHash: prev, anchor: auditAnchor(db) };
  if (anchorCheck) {
    result.anchorCheck = anchorCheck;
    if (!anchorCheck.ok) {
      result.ok = false;
      result.firstBroken = {
        id: 0,
        reason: anchorCheck.message.includes('xóa') ? 'rows_missing' : 'anchor_mismatch',
        message: anchorCheck.message,
      };
    }
  }
  return result;
}
