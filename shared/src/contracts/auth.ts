import { type Static, Type } from '@sinclair/typebox';
import { lit } from './common.js';

export const ROLES = ['admin', 'board', 'author', 'reviewer', 'invigilator', 'chair'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { vi: string; en: string }> = {
  admin: { vi: 'Quản trị hệ thống', en: 'Administrator' },
  board: { vi: 'Hội đồng thi', en: 'Exam board' },
  author: { vi: 'Người ra đề', en: 'Question author' },
  reviewer: { vi: 'Người duyệt đề', en: 'Reviewer' },
  invigilator: { vi: 'Giám thị', en: 'Invigilator' },
  /** signs for the head of the agency: records the head's decision on ties (issue 13) */
  chair: { vi: 'Chủ tịch Hội đồng thi (ký thay Thủ trưởng)', en: 'Board chair (signs for the head)' },
};

export const RoleSchema = lit(ROLES);

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
});
export type LoginBody = Static<typeof LoginBody>;

export const Me = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  fullName: Type.String(),
  roles: Type.Array(RoleSchema),
  subjectIds: Type.Array(Type.Integer()),
});
export type Me = Static<typeof Me>;

export const UserDto = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  fullName: Type.String(),
  roles: Type.Array(RoleSchema),
  active: Type.Boolean(),
  subjectIds: Type.Array(Type.Integer()),
  createdAt: Type.String(),
});
export type UserDto = Static<typeof UserDto>;

export const CreateUserBody = Type.Object({
  username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[a-zA-Z0-9._-]+$' }),
  fullName: Type.String({ minLength: 1, maxLength: 128 }),
  password: Type.String({ minLength: 8, maxLength: 256 }),
  roles: Type.Array(RoleSchema, { minItems: 1 }),
  subjectIds: Type.Optional(Type.Array(Type.Integer())),
});
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object({
  fullName: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  password: Type.Optional(Type.String({ minLength: 8, maxLength: 256 })),
  roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1 })),
  active: Type.Optional(Type.Boolean()),
  subjectIds: Type.Optional(Type.Array(Type.Integer())),
});
export type UpdateUserBody = Static<typeof UpdateUserBody>;
