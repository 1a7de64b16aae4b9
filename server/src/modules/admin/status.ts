import { statfs } from 'node:fs/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { AppConfig } from '../../config.js';
import type { SafeLogStream } from '../../logger.js';

export const SystemStatus = Type.Object({
  dataDir: Type.String(),
  diskFreeBytes: Type.Integer(),
  diskTotalBytes: Type.Integer(),
  diskWarnBytes: Type.Integer(),
  /** free space on DATA_DIR is below the threshold: the screens show a warning */
  diskLow: Type.Boolean(),
  /** log lines lost to write errors since start (a full disk) */
  logWriteFailures: Type.Integer(),
});
export type SystemStatus = Static<typeof SystemStatus>;

export async function systemStatus(config: AppConfig, log: SafeLogStream | null): Promise<SystemStatus> {
  const s = await statfs(config.dataDir);
  const free = Number(s.bavail) * Number(s.bsize);
  return {
    dataDir: config.dataDir,
    diskFreeBytes: free,
    diskTotalBytes: Number(s.blocks) * Number(s.bsize),
    diskWarnBytes: config.diskWarnBytes,
    diskLow: free < config.diskWarnBytes,
    logWriteFailures: log?.failed ?? 0,
  };
}

/** `GET /api/system/status`: free space on the data disk (a banner on the staff screens when low). */
export const statusRoutes: FastifyPluginAsyncTypebox<{ config: AppConfig; log: SafeLogStream | null }> = async (
  app,
  { config, log },
) => {
  app.get('/api/system/status', {
    config: { access: ['admin', 'board', 'invigilator'] },
    schema: {
      tags: ['Hệ thống / System'],
      summary: 'Dung lượng trống của ổ dữ liệu và lỗi ghi nhật ký (cảnh báo khi sắp đầy)',
      response: { 200: SystemStatus },
    },
    handler: async () => systemStatus(config, log),
  });
};
