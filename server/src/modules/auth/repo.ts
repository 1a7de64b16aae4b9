import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { settings, subjectMembers, users } from '../../db/schema.js';
import { q, writer } from '../../db/tx.js';

const JWT_SECRET_KEY = 'jwt_secret';

/**
 * All SQL of staff sessions (docs/ARCHITECTURE.md, "Data layer"): the signing key kept in
 * `settings`, the user behind a session and its session version. Writes run inside transaction().
 */
export class AuthRepo {
  constructor(private readonly db: Db) {}

  async jwtSecret(): Promise<string | undefined> {
    const [row] = await q(this.db)
      .select({ value: settings.value })
      .from(settings)
      .where(eq(settings.key, JWT_SECRET_KEY))
      .limit(1);
    return row?.value;
  }

  async insertJwtSecret(value: string): Promise<void> {
    await writer(this.db).insert(settings).values({ key: JWT_SECRET_KEY, value });
  }

  async sessionUser(id: number) {
    const [row] = await q(this.db)
      .select({
        id: users.id,
        username: users.username,
        fullName: users.fullName,
        roles: users.roles,
        active: users.active,
        sessionVersion: users.sessionVersion,
      })
      .from(users)
      .where(eq(users.id, id))
      .limit(1);
    return row;
  }

  async subjectIds(userId: number): Promise<number[]> {
    const rows = await q(this.db)
      .select({ id: subjectMembers.subjectId })
      .from(subjectMembers)
      .where(eq(subjectMembers.userId, userId))
      .orderBy(asc(subjectMembers.subjectId));
    return rows.map((r) => r.id);
  }

  async sessionVersion(userId: number): Promise<number | undefined> {
    const [row] = await q(this.db).select({ sv: users.sessionVersion }).from(users).where(eq(users.id, userId)).limit(1);
    return row?.sv;
  }

  /** Ends every session of the user: tokens carry the version they were issued with. */
  async bumpSessionVersion(userId: number): Promise<void> {
    await writer(this.db)
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId));
  }
}
