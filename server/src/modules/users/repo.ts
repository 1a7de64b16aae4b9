import { RoleSchema } from '@exam/shared';
import { Type } from '@sinclair/typebox';
import { asc, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { jsonColumn } from '../../db/json.js';
import { subjectMembers, subjects, users } from '../../db/schema.js';
import { q, writer } from '../../db/tx.js';

/** users.roles: a JSON array of roles, checked where it leaves the database. */
export const rolesColumn = jsonColumn('users.roles', Type.Array(RoleSchema));

const userColumns = {
  id: users.id,
  username: users.username,
  fullName: users.fullName,
  roles: users.roles,
  active: users.active,
  createdAt: users.createdAt,
};

/** All SQL of the users area (docs/ARCHITECTURE.md, "Data layer"). Writes run inside transaction(). */
export class UsersRepo {
  constructor(private readonly db: Db) {}

  async list() {
    return await q(this.db).select(userColumns).from(users).orderBy(asc(users.id));
  }

  async byId(id: number) {
    return (await q(this.db).select(userColumns).from(users).where(eq(users.id, id)).limit(1))[0];
  }

  async byUsername(username: string) {
    const rows = await q(this.db)
      .select({ ...userColumns, passwordHash: users.passwordHash })
      .from(users)
      .where(eq(users.username, username))
      .limit(1);
    return rows[0];
  }

  async count(): Promise<number> {
    return (await q(this.db).select({ n: count() }).from(users))[0]?.n ?? 0;
  }

  async subjectIds(userId: number): Promise<number[]> {
    const rows = await q(this.db)
      .select({ id: subjectMembers.subjectId })
      .from(subjectMembers)
      .where(eq(subjectMembers.userId, userId))
      .orderBy(asc(subjectMembers.subjectId));
    return rows.map((r) => r.id);
  }

  async subjectExists(id: number): Promise<boolean> {
    return (await q(this.db).select({ id: subjects.id }).from(subjects).where(eq(subjects.id, id)).limit(1)).length > 0;
  }

  async insert(u: { username: string; fullName: string; passwordHash: string; roles: string[] }): Promise<number> {
    const [row] = await writer(this.db)
      .insert(users)
      .values({ ...u, roles: JSON.stringify(u.roles) })
      .returning({ id: users.id });
    if (!row) throw new Error('users: the insert returned no row');
    return row.id;
  }

  async update(
    id: number,
    set: Partial<{ fullName: string; roles: string[]; active: boolean; passwordHash: string }>,
  ): Promise<void> {
    const { roles, ...rest } = set;
    const values = roles ? { ...rest, roles: JSON.stringify(roles) } : rest;
    if (Object.keys(values).length === 0) return;
    await writer(this.db).update(users).set(values).where(eq(users.id, id));
  }

  async replaceSubjects(userId: number, subjectIds: number[]): Promise<void> {
    const w = writer(this.db);
    await w.delete(subjectMembers).where(eq(subjectMembers.userId, userId));
    for (const subjectId of subjectIds) await w.insert(subjectMembers).values({ userId, subjectId });
  }

  /** Ends every session of the user: tokens carry the version they were issued with. */
  async bumpSessionVersion(userId: number): Promise<void> {
    await writer(this.db)
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId));
  }
}
