import { createHash } from 'node:crypto';
import { asc, count, desc, eq, gt } from 'drizzle-orm';
import { chainMac, loadAuditKey } from './auditKey.js';
import type { Db } from './connection.js';
import { auditLog, auditMacs } from './schema.js';

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

/** The last row of the chain: its hash and its keyed MAC (null when a row lost its MAC). */
function lastLink(db: Db): { hash: string; mac: string | null } | undefined {
  return db
    .select({ hash: auditLog.hash, mac: auditMacs.mac })
    .from(auditLog)
    .leftJoin(auditMacs, eq(auditMacs.auditId, auditLog.id))
    .orderBy(desc(auditLog.id))
    .limit(1)
    .get();
}

/**
 * Appends one row to the hash chain. Call it inside the transaction of the write it records,
 * so the write and its audit row commit (or roll back) together. It stays synchronous (every module
 * calls it inside its transaction) and writes on the connection of that transaction.
 */
export function appendAudit(db: Db, e: AuditEntry): void {
  const { key } = loadAuditKey(db.$client);
  const last = lastLink(db);
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
  const { id } = db
    .insert(auditLog)
    .values({ ...core, prevHash, hash })
    .returning({ id: auditLog.id })
    .get();
  db.insert(auditMacs)
    .values({ auditId: id, mac: chainMac(key, prevMac, hash) })
    .run();
}

/**
 * Gives rows written before the chain was keyed (the migration of issue 14) their MAC, once: only
 * while no row has one. Stripping some MACs later makes those rows fail verification; stripping
 * all of them after a rewrite gets the rewrite keyed, but it no longer passes through any anchor
 * printed before (SECURITY.md). It runs when the database is opened, before anything else uses it,
 * so it uses drizzle's synchronous transaction rather than transaction().
 */
export function keyLegacyAuditRows(db: Db): number {
  const { key } = loadAuditKey(db.$client);
  if (db.select({ id: auditMacs.auditId }).from(auditMacs).limit(1).get()) return 0;
  const rows = db.select({ id: auditLog.id, hash: auditLog.hash }).from(auditLog).orderBy(asc(auditLog.id)).all();
  if (rows.length === 0) return 0;
  db.transaction(
    (tx) => {
      let prev = GENESIS_HASH;
      for (const r of rows) {
        prev = chainMac(key, prev, r.hash);
        tx.insert(auditMacs).values({ auditId: r.id, mac: prev }).run();
      }
    },
    { behavior: 'immediate' },
  );
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
export function auditAnchor(db: Db): AuditAnchor {
  const rows = db.select({ n: count() }).from(auditLog).get()?.n ?? 0;
  const head = lastLink(db)?.mac ?? GENESIS_HASH;
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

/** Every row of the chain with its MAC, in order, read a page at a time. */
function* chainRows(db: Db) {
  const PAGE = 2_000;
  let after = 0;
  for (;;) {
    const page = db
      .select({
        id: auditLog.id,
        ts: auditLog.ts,
        actorId: auditLog.actorId,
        actorName: auditLog.actorName,
        action: auditLog.action,
        entity: auditLog.entity,
        entityId: auditLog.entityId,
        beforeDigest: auditLog.beforeDigest,
        afterDigest: auditLog.afterDigest,
        detail: auditLog.detail,
        prevHash: auditLog.prevHash,
        hash: auditLog.hash,
        mac: auditMacs.mac,
      })
      .from(auditLog)
      .leftJoin(auditMacs, eq(auditMacs.auditId, auditLog.id))
      .where(gt(auditLog.id, after))
      .orderBy(asc(auditLog.id))
      .limit(PAGE)
      .all();
    yield* page;
    const last = page.at(-1);
    if (!last || page.length < PAGE) return;
    after = last.id;
  }
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
  const rows = chainRows(db);
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
