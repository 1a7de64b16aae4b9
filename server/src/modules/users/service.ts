import type { CreateUserBody, Role, UpdateUserBody, UserDto } from '@exam/shared';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { AppError, notFound } from '../../plugins/errors.js';
import { hashPassword } from '../../plugins/passwords.js';
import { bumpSessionVersion, userChanged } from '../../plugins/userEvents.js';

interface UserRow {
  id: number;
  username: string;
  fullName: string;
  roles: string;
  active: number;
  createdAt: string;
}

export class UserService {
  private readonly sqlite;
  constructor(private readonly db: Db) {
    this.sqlite = db.$client;
  }

  private dto(r: UserRow): UserDto {
    const subjectIds = (
      this.sqlite.prepare('SELECT subject_id AS id FROM subject_members WHERE user_id = ? ORDER BY subject_id').all(r.id) as {
        id: number;
      }[]
    ).map((x) => x.id);
    return {
      id: r.id,
      username: r.username,
      fullName: r.fullName,
      roles: JSON.parse(r.roles) as Role[],
      active: !!r.active,
      subjectIds,
      createdAt: r.createdAt,
    };
  }

  private row(id: number): UserRow {
    const r = this.sqlite
      .prepare('SELECT id, username, full_name AS fullName, roles, active, created_at AS createdAt FROM users WHERE id = ?')
      .get(id) as UserRow | undefined;
    if (!r) throw notFound('tài khoản', 'User');
    return r;
  }

  list(): UserDto[] {
    return (
      this.sqlite
        .prepare('SELECT id, username, full_name AS fullName, roles, active, created_at AS createdAt FROM users ORDER BY id')
        .all() as UserRow[]
    ).map((r) => this.dto(r));
  }

  get(id: number): UserDto {
    return this.dto(this.row(id));
  }

  findByUsername(username: string): (UserRow & { passwordHash: string }) | undefined {
    return this.sqlite
      .prepare(
        'SELECT id, username, full_name AS fullName, roles, active, created_at AS createdAt, password_hash AS passwordHash FROM users WHERE username = ?',
      )
      .get(username) as (UserRow & { passwordHash: string }) | undefined;
  }

  private setSubjects(userId: number, subjectIds: number[]): void {
    this.sqlite.prepare('DELETE FROM subject_members WHERE user_id = ?').run(userId);
    const ins = this.sqlite.prepare('INSERT INTO subject_members (user_id, subject_id) VALUES (?, ?)');
    for (const s of new Set(subjectIds)) {
      if (!this.sqlite.prepare('SELECT 1 FROM subjects WHERE id = ?').get(s)) {
        throw new AppError(400, 'SUBJECT_UNKNOWN', `Môn thi #${s} không tồn tại`, `Subject ${s} does not exist`);
      }
      ins.run(userId, s);
    }
  }

  async create(actor: Actor, body: CreateUserBody): Promise<UserDto> {
    const hash = await hashPassword(body.password);
    return this.sqlite.transaction(() => {
      if (this.findByUsername(body.username)) {
        throw new AppError(409, 'USERNAME_TAKEN', `Tên đăng nhập "${body.username}" đã được dùng`, 'Username taken');
      }
      const id = Number(
        this.sqlite
          .prepare('INSERT INTO users (username, full_name, password_hash, roles) VALUES (?, ?, ?, ?)')
          .run(body.username, body.fullName, hash, JSON.stringify([...new Set(body.roles)])).lastInsertRowid,
      );
      this.setSubjects(id, body.subjectIds ?? []);
      const dto = this.get(id);
      appendAudit(this.db, { actor, action: 'user.create', entity: 'user', entityId: id, after: dto });
      return dto;
    })();
  }

  async update(actor: Actor, id: number, body: UpdateUserBody): Promise<UserDto> {
    const hash = body.password ? await hashPassword(body.password) : null;
    const updated = this.sqlite.transaction(() => {
      const before = this.get(id);
      if (actor.id === id && body.active === false) {
        throw new AppError(400, 'SELF_DEACTIVATE', 'Không thể tự khóa tài khoản của chính mình', 'Cannot deactivate yourself');
      }
      if (actor.id === id && body.roles && !body.roles.includes('admin') && before.roles.includes('admin')) {
        throw new AppError(
          400,
          'SELF_DEMOTE',
          'Không thể tự bỏ quyền quản trị của chính mình',
          'Cannot remove your own admin role',
        );
      }
      if (body.fullName !== undefined) this.sqlite.prepare('UPDATE users SET full_name = ? WHERE id = ?').run(body.fullName, id);
      if (body.roles)
        this.sqlite.prepare('UPDATE users SET roles = ? WHERE id = ?').run(JSON.stringify([...new Set(body.roles)]), id);
      if (body.active !== undefined) this.sqlite.prepare('UPDATE users SET active = ? WHERE id = ?').run(body.active ? 1 : 0, id);
      if (hash) this.sqlite.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, id);
      if (body.subjectIds) this.setSubjects(id, body.subjectIds);
      const rolesChanged =
        !!body.roles && JSON.stringify([...new Set(body.roles)].sort()) !== JSON.stringify([...before.roles].sort());
      const revoke = !!hash || body.active === false || rolesChanged;
      if (revoke) bumpSessionVersion(this.db, id);
      const after = this.get(id);
      appendAudit(this.db, {
        actor,
        action: 'user.update',
        entity: 'user',
        entityId: id,
        before,
        after,
        detail: { passwordChanged: !!hash, sessionsEnded: revoke },
      });
      return after;
    })();
    userChanged(this.db, id);
    return updated;
  }

  /** "Sign out everywhere": every session of the user stops working at its next request or socket command. */
  signOutEverywhere(actor: Actor, id: number): UserDto {
    const dto = this.sqlite.transaction(() => {
      const u = this.get(id);
      bumpSessionVersion(this.db, id);
      appendAudit(this.db, { actor, action: 'user.sign_out_everywhere', entity: 'user', entityId: id });
      return u;
    })();
    userChanged(this.db, id);
    return dto;
  }

  /** First start: an admin account, with the given or a generated password. */
  async ensureAdmin(password: string): Promise<boolean> {
    const n = (this.sqlite.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
    if (n > 0) return false;
    await this.create(
      { id: null, name: 'system' },
      {
        username: 'admin',
        fullName: 'Quản trị hệ thống',
        password,
        roles: ['admin'],
      },
    );
    return true;
  }
}
