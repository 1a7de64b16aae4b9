import { count, desc, like, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { auditLog } from '../../db/schema.js';
import { q } from '../../db/tx.js';

/**
 * Reading the audit log (docs/ARCHITECTURE.md, "Data layer"). Writing it is db/audit.ts's
 * appendAudit, inside the transaction of the write it records.
 */
export class AuditRepo {
  constructor(private readonly db: Db) {}

  /** A page of the log, newest first; `action` filters by prefix ("exam." → every exam action). */
  async page(offset: number, limit: number, action?: string) {
    const where: SQL | undefined = action ? like(auditLog.action, `${action}%`) : undefined;
    const total = (await q(this.db).select({ n: count() }).from(auditLog).where(where).limit(1))[0]?.n ?? 0;
    const items = await q(this.db)
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
        hash: auditLog.hash,
      })
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.id))
      .limit(limit)
      .offset(offset);
    return { items, total };
  }
}
