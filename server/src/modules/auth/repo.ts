import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { settings, subjectMembers, users } from '../../db/schema.js';
import { writer } from '../../db/tx.js';

const JWT_SECRET_KEY = 'jwt_secret';

/**
 * All SQL of staff sessions (docs/ARCHITECTURE.md, "Data layer"): the signing key kept in
 * `settings`, the user behind a session and its session version. Writes run inside transaction().
 */
export class AuthRepo {
  private readonly userOfSession;
  private readonly subjectsOf;

  constructor(private readonly db: Db) {
    // every staff request reads these two: prepared once, rows typed from the schema
    this.userOfSession = db
      .select({
        id: users.id,
        username: users.username,
        fullName: users.fullName,
        roles: users.roles,
        active: users.active,
        sessionVersion: users.sessionVersion,
      })
      .from(users)
      .where(eq(users.id, sql.placeholder('id')))
      .prepare();
    this.subjectsOf = db
      .select({ id: subjectMembers.subjectId })
      .from(subjectMembers)
      .where(eq(subjectMembers.userId, sql.placeholder('id')))
      .orderBy(asc(subjectMembers.subjectId))
      .prepare();
  }

  async jwtSecret(): Promise<string | undefined> {
    return this.db.select({ value: settings.value }).from(settings).where(eq(settings.key, JWT_SECRET_KEY)).get()?.value;
  }

  async insertJwtSecret(value: string): Promise<void> {
    writer(this.db).insert(settings).values({ key: JWT_SECRET_KEY, value }).run();
  }

  async sessionUser(id: number) {
    return this.userOfSession.get({ id });
  }

  async subjectIds(userId: number): Promise<number[]> {
    return this.subjectsOf.all({ id: userId }).map((r) => r.id);
  }

  async sessionVersion(userId: number): Promise<number | undefined> {
    return this.db.select({ sv: users.sessionVersion }).from(users).where(eq(users.id, userId)).get()?.sv;
  }

  /** Ends every session of the user: tokens carry the version they were issued with. */
  async bumpSessionVersion(userId: number): Promise<void> {
    writer(this.db)
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId))
      .run();
  }
}
