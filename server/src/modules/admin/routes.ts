import { createReadStream, existsSync, type ReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppConfig } from '../../config.js';
import { appendAudit, auditAnchor } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import { actorOf } from '../../plugins/auth.js';
import { notFound } from '../../plugins/errors.js';
import { backupDatabase, backupDir, backupName, listBackups } from './backup.js';

const tags = ['Quản trị / Admin'];
const BackupDto = Type.Object({
  name: Type.String(),
  bytes: Type.Integer(),
  createdAt: Type.String(),
  /** the audit chain's anchor the copy passes through ("rows:head"), also written to NAME.anchor.txt */
  auditAnchor: Type.Optional(Type.String()),
});

/** The copy itself, streamed from the disk. */
const BackupFile = Type.Unsafe<ReadStream>({ type: 'string', format: 'binary' });

export const adminRoutes: FastifyPluginAsyncTypebox<{ db: Db; config: AppConfig }> = async (app, { db, config }) => {
  app.post('/api/admin/backups', {
    config: { access: ['admin'] },
    schema: { tags, summary: 'Sao lưu cơ sở dữ liệu ngay (không dừng kỳ thi)', response: { 201: BackupDto } },
    handler: async (req, reply) => {
      const name = backupName();
      const anchor = auditAnchor(db).text; // the copy holds at least these rows
      const r = await backupDatabase(db.$client, join(backupDir(config.dataDir), name));
      writeFileSync(`${r.file}.anchor.txt`, `${anchor}\n`);
      const actor = actorOf(req);
      await transaction(db, () =>
        appendAudit(db, {
          actor,
          action: 'admin.backup',
          entity: 'database',
          entityId: name,
          detail: { bytes: r.bytes, ms: r.ms, auditAnchor: anchor },
        }),
      );
      return reply.status(201).send({ name, bytes: r.bytes, createdAt: new Date().toISOString(), auditAnchor: anchor });
    },
  });

  app.get('/api/admin/backups', {
    config: { access: ['admin'] },
    schema: { tags, summary: 'Các bản sao lưu', response: { 200: Type.Array(BackupDto) } },
    handler: async () => listBackups(config.dataDir),
  });

  app.get('/api/admin/backups/:name', {
    config: { access: ['admin'] },
    schema: {
      tags,
      summary: 'Tải bản sao lưu',
      params: Type.Object({ name: Type.String({ pattern: '^exam-[0-9TZ-]+\\.db$' }) }),
      response: { 200: { content: { 'application/vnd.sqlite3': { schema: BackupFile } } } },
    },
    handler: async (req, reply) => {
      const file = join(backupDir(config.dataDir), req.params.name);
      if (!existsSync(file)) throw notFound('bản sao lưu', 'Backup');
      return reply
        .header('content-type', 'application/vnd.sqlite3')
        .header('content-disposition', `attachment; filename="${req.params.name}"`)
        .send(createReadStream(file));
    },
  });
};
