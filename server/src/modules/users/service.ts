import type { CreateUserBody, UpdateUserBody, UserDto } from '@exam/shared';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import { AppError, notFound } from '../../plugins/errors.js';
import { hashPassword } from '../../plugins/passwords.js';
import { userChanged } from '../../plugins/userEvents.js';
import { rolesColumn, UsersRepo } from './repo.js';

type UserRow = NonNullable<Awaited<ReturnType<UsersRepo['byId']>>>;

export class UserService {
  private readonly repo: UsersRepo;
  constructor(private readonly db: Db) {
    this.repo = new UsersRepo(db);
  }

  private async dto(r: UserRow): Promise<UserDto> {
    return {
      id: r.id,
      username: r.username,
      fullName: r.fullName,
      roles: rolesColumn.parse(r.roles),
      active: r.active,
      subjectIds: await this.repo.subjectIds(r.id),
      createdAt: r.createdAt,
    };
  }

  async list(): Promise<UserDto[]> {
    const rows = await this.repo.list();
    return Promise.all(rows.map((r) => this.dto(r)));
  }

  async get(id: number): Promise<UserDto> {
    const r = await this.repo.byId(id);
    if (!r) throw notFound('tài khoản', 'User');
    return this.dto(r);
  }

  findByUsername(username: string) {
    return this.repo.byUsername(username);
  }

  private async setSubjects(userId: number, subjectIds: number[]): Promise<void> {
    const unique = [...new Set(subjectIds)];
    for (const s of unique) {
      if (!(await this.repo.subjectExists(s))) {
        throw new AppError(400, 'SUBJECT_UNKNOWN', `Môn thi #${s} không tồn tại`, `Subject ${s} does not exist`);
      }
    }
    await this.repo.replaceSubjects(userId, unique);
  }

  async create(actor: Actor, body: CreateUserBody): Promise<UserDto> {
    const passwordHash = await hashPassword(body.password);
    return transaction(this.db, async () => {
      if (await this.repo.byUsername(body.username)) {
        throw new AppError(409, 'USERNAME_TAKEN', `Tên đăng nhập "${body.username}" đã được dùng`, 'Username taken');
      }
      const id = await this.repo.insert({
        username: body.username,
        fullName: body.fullName,
        passwordHash,
        roles: [...new Set(body.roles)],
      });
      await this.setSubjects(id, body.subjectIds ?? []);
      const dto = await this.get(id);
      appendAudit(this.db, { actor, action: 'user.create', entity: 'user', entityId: id, after: dto });
      return dto;
    });
  }

  async update(actor: Actor, id: number, body: UpdateUserBody): Promise<UserDto> {
    const hash = body.password ? await hashPassword(body.password) : null;
    const updated = await transaction(this.db, async () => {
      const before = await this.get(id);
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
      await this.repo.update(id, {
        ...(body.fullName !== undefined ? { fullName: body.fullName } : {}),
        ...(body.roles ? { roles: [...new Set(body.roles)] } : {}),
        ...(body.active !== undefined ? { active: body.active } : {}),
        ...(hash ? { passwordHash: hash } : {}),
      });
      if (body.subjectIds) await this.setSubjects(id, body.subjectIds);
      const rolesChanged =
        !!body.roles && JSON.stringify([...new Set(body.roles)].sort()) !== JSON.stringify([...before.roles].sort());
      const revoke = !!hash || body.active === false || rolesChanged;
      if (revoke) await this.repo.bumpSessionVersion(id);
      const after = await this.get(id);
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
    });
    userChanged(this.db, id);
    return updated;
  }

  /** "Sign out everywhere": every session of the user stops working at its next request or socket command. */
  async signOutEverywhere(actor: Actor, id: number): Promise<UserDto> {
    const dto = await transaction(this.db, async () => {
      const u = await this.get(id);
      await this.repo.bumpSessionVersion(id);
      appendAudit(this.db, { actor, action: 'user.sign_out_everywhere', entity: 'user', entityId: id });
      return u;
    });
    userChanged(this.db, id);
    return dto;
  }

  /** First start: an admin account, with the given or a generated password. */
  async ensureAdmin(password: string): Promise<boolean> {
    if ((await this.repo.count()) > 0) return false;
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
