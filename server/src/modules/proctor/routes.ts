import {
  BinaryFile,
  ProctorActionBody,
  ProctorActionResult,
  RoomClosingDto,
  RoomDashboardDto,
  RoomRefDto,
  SealResultDto,
  SittingOverviewDto,
} from '@exam/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { auditAnchor } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { requireUser } from '../../plugins/auth.js';
import { AppError } from '../../plugins/errors.js';
import { minutesPdf, resultSheetPdf } from './documents.js';

const tags = ['Coi thi / Invigilation'];
const STAFF = ['invigilator', 'board', 'admin'] as const;
const BOARD = ['board', 'admin'] as const;
const RoomParams = Type.Object({ sittingId: Type.Integer({ minimum: 1 }), roomId: Type.Integer({ minimum: 1 }) });
const SittingParams = Type.Object({ sittingId: Type.Integer({ minimum: 1 }) });

const userOf = requireUser;
const attachment = (name: string) => `attachment; filename="${name}"`;
const pdf = { 200: { content: { 'application/pdf': { schema: BinaryFile } } } };

export const proctorRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const proctor = app.proctor;
  app.get('/api/proctor/rooms', {
    config: { access: STAFF },
    schema: {
      tags,
      summary: 'Các phòng thi người dùng được xem (giám thị: phòng được phân công; hội đồng: tất cả)',
      response: { 200: Type.Array(RoomRefDto) },
    },
    handler: async (req) => proctor.rooms(userOf(req)),
  });

  app.get('/api/proctor/sittings/:sittingId/rooms/:roomId', {
    config: { access: STAFF },
    schema: {
      tags,
      summary: 'Sơ đồ phòng thi: trạng thái từng máy, nhật ký sự việc',
      params: RoomParams,
      response: { 200: RoomDashboardDto },
    },
    handler: async (req) => {
      await proctor.assertRoom(userOf(req), req.params.sittingId, req.params.roomId);
      return proctor.dashboard(req.params.sittingId, req.params.roomId);
    },
  });

  app.post('/api/proctor/sittings/:sittingId/rooms/:roomId/actions', {
    config: { access: STAFF },
    schema: {
      tags,
      summary:
        'Thao tác của giám thị (mở ca, tạm dừng, cộng giờ, chuyển máy, xử lý vi phạm, thu bài, thông báo); bắt buộc ghi lý do',
      params: RoomParams,
      body: ProctorActionBody,
      response: { 200: ProctorActionResult },
    },
    handler: async (req) => proctor.act(userOf(req), req.params.sittingId, req.params.roomId, req.body),
  });

  app.get('/api/proctor/sittings/:sittingId/rooms/:roomId/closing', {
    config: { access: STAFF },
    schema: {
      tags,
      summary: 'Trước khi đóng phòng: bài còn đang làm và danh sách thí sinh vắng sẽ được xác nhận',
      params: RoomParams,
      response: { 200: RoomClosingDto },
    },
    handler: async (req) => {
      await proctor.assertRoom(userOf(req), req.params.sittingId, req.params.roomId);
      return proctor.closing(req.params.sittingId, req.params.roomId);
    },
  });

  app.get('/api/proctor/sittings/:sittingId/rooms/:roomId/minutes.pdf', {
    config: { access: STAFF },
    schema: { tags, summary: 'Biên bản phòng thi (PDF)', params: RoomParams, response: pdf },
    handler: async (req, reply) => {
      await proctor.assertRoom(userOf(req), req.params.sittingId, req.params.roomId);
      const file = await minutesPdf(await proctor.documentData(req.params.sittingId, req.params.roomId));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', attachment(`bien-ban-phong-thi-${req.params.roomId}.pdf`))
        .send(file);
    },
  });

  app.get('/api/proctor/sittings/:sittingId/rooms/:roomId/result-sheet.pdf', {
    config: { access: STAFF },
    schema: {
      tags,
      summary: 'Bảng kết quả thi của phòng (PDF), in mã SHA-256 của dữ liệu ca thi đã niêm phong',
      params: RoomParams,
      response: pdf,
    },
    handler: async (req, reply) => {
      await proctor.assertRoom(userOf(req), req.params.sittingId, req.params.roomId);
      if (!(await proctor.roomRef(req.params.sittingId, req.params.roomId)).sealed)
        throw new AppError(
          409,
          'NOT_SEALED',
          'Cần niêm phong dữ liệu ca thi trước khi in bảng kết quả',
          'Seal the sitting before printing the result sheet',
        );
      // the rows come from the sealed file itself, so the sheet and its SHA-256 cannot disagree
      const file = await resultSheetPdf(
        await proctor.resultSheetData(req.params.sittingId, req.params.roomId),
        auditAnchor(db).text,
      );
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', attachment(`bang-ket-qua-phong-thi-${req.params.roomId}.pdf`))
        .send(file);
    },
  });

  app.get('/api/proctor/sittings/:sittingId/overview', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Tổng quan ca thi: số thí sinh theo trạng thái ở từng phòng, sự việc',
      params: SittingParams,
      response: { 200: SittingOverviewDto },
    },
    handler: async (req) => proctor.overview(req.params.sittingId),
  });

  app.post('/api/proctor/sittings/:sittingId/seal', {
    config: { access: STAFF },
    schema: {
      tags,
      summary: 'Niêm phong dữ liệu ca thi (mọi bài làm, câu trả lời, sự việc) khi không còn bài đang làm',
      params: SittingParams,
      body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) }),
      response: { 200: SealResultDto },
    },
    handler: async (req) => proctor.seal(userOf(req), req.params.sittingId, req.body.reason ?? ''),
  });

  app.get('/api/proctor/sittings/:sittingId/export', {
    config: { access: STAFF },
    schema: {
      tags,
      summary: 'Tệp dữ liệu ca thi đã niêm phong (JSON); mã SHA-256 trong tiêu đề x-content-sha256',
      params: SittingParams,
      response: { 200: { content: { 'application/json': { schema: BinaryFile } } } },
    },
    handler: async (req, reply) => {
      await proctor.assertSitting(userOf(req), req.params.sittingId);
      const file = await proctor.sealedExport(req.params.sittingId);
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('x-content-sha256', file.sha256)
        .header('content-disposition', attachment(`du-lieu-ca-thi-${req.params.sittingId}.json`))
        .send(file.data);
    },
  });
};
