import { CreateUserBody, IdParams, UpdateUserBody, UserDto } from '@exam/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../plugins/auth.js';

const tags = ['Tài khoản / Users'];

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.users;

  app.get('/api/users', {
    config: { access: ['admin'] },
    schema: { tags, summary: 'Danh sách tài khoản', response: { 200: Type.Array(UserDto) } },
    handler: async () => svc.list(),
  });

  app.post('/api/users', {
    config: { access: ['admin'] },
    schema: { tags, summary: 'Tạo tài khoản', body: CreateUserBody, response: { 201: UserDto } },
    handler: async (req, reply) => reply.status(201).send(await svc.create(actorOf(req), req.body)),
  });

  app.patch('/api/users/:id', {
    config: { access: ['admin'] },
    schema: {
      tags,
      summary: 'Sửa tài khoản, vai trò, môn được phân công',
      params: IdParams,
      body: UpdateUserBody,
      response: { 200: UserDto },
    },
    handler: async (req) => svc.update(actorOf(req), req.params.id, req.body),
  });

  app.post('/api/users/:id/sign-out-everywhere', {
    config: { access: ['admin'] },
    schema: {
      tags,
      summary: 'Đăng xuất tài khoản khỏi mọi thiết bị (mọi phiên và kết nối trực tiếp đều hết hiệu lực)',
      params: IdParams,
      response: { 200: UserDto },
    },
    handler: async (req) => svc.signOutEverywhere(actorOf(req), req.params.id),
  });
};
