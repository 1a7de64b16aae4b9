import {
  AssignResultSchema,
  BlueprintCheckSchema,
  CandidateImportReportSchema,
  CandidateSchema,
  CreatedId,
  DifficultySchema,
  ExamDetailSchema,
  ExamListItemSchema,
  ExamPartSchema,
  fileResponse,
  getProfile,
  IdParams,
  JobSchema,
  JobStarted,
  Ok,
  PaperVerification,
  PDF_MIME,
  PROFILES,
  ProfileSummarySchema,
  RegulationProfileSchema,
  type Role,
  XLSX_MIME,
} from '@exam/shared';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import { actorOf } from '../../plugins/auth.js';
import { IMPORT_BODY_LIMIT, rawJsonBodies } from '../../plugins/bodyLimits.js';
import { AppError, notFound } from '../../plugins/errors.js';
import { admissionSlipsPdf } from '../documents/admission-slips.js';
import { pinSlipsPdf } from '../documents/pin-slips.js';
import { roomListPdf } from '../documents/room-list.js';
import { roomListXlsx } from '../documents/room-list-xlsx.js';
import { admissionSlipData, firstSeats, roomListData } from './documentData.js';
import { parseOverrides } from './profileParts.js';
import type { ExamService } from './service.js';

const BOARD: Role[] = ['admin', 'board'];
const tags = ['Kỳ thi / Exams'];

const BlueprintSchema = Type.Object({
  cells: Type.Array(
    Type.Object({
      topicId: Type.Union([Type.Null(), Type.Integer()]),
      difficulty: DifficultySchema,
      count: Type.Integer({ minimum: 1, maximum: 500 }),
    }),
    { maxItems: 200 },
  ),
});

export const examRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const svc = app.exams;
  const candidates = app.candidates;
  const jobs = app.jobs;
  const attachment = (name: string) => `attachment; filename="${name}"`;
  const examInfo = (id: number) => {
    const e = svc.examRow(id);
    return { name: e.name, organisingBody: e.organisingBody, code: e.code, kind: svc.profileOf(e).kind };
  };

  app.get('/api/exams/:id/candidates', {
    config: { access: BOARD },
    schema: { tags, summary: 'Danh sách thí sinh', params: IdParams, response: { 200: Type.Array(CandidateSchema) } },
    handler: async (req) => {
      svc.examRow(req.params.id);
      return candidates.list(req.params.id);
    },
  });

  app.get('/api/exams/:id/candidates/template', {
    config: { access: BOARD },
    schema: { tags, summary: 'Tệp mẫu danh sách thí sinh (XLSX)', params: IdParams, response: { 200: fileResponse(XLSX_MIME) } },
    handler: async (req, reply) =>
      reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', attachment('mau-danh-sach-thi-sinh.xlsx'))
        .send(await candidates.template(req.params.id)),
  });

  await app.register(async (plain) => {
    rawJsonBodies(plain);
    const child = plain.withTypeProvider<TypeBoxTypeProvider>();
    child.post('/api/exams/:id/candidates/import', {
      config: { access: BOARD },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Nhập danh sách thí sinh từ XLSX (chạy thử, rồi ghi tất cả hoặc không ghi gì)',
        description:
          'Thân yêu cầu là chính tệp XLSX (Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet hoặc application/octet-stream). ' +
          'keepIneligible=true (kỳ thi nâng ngạch): các dòng không đủ điều kiện được lưu với tình trạng "Không đủ điều kiện" và lý do, thay vì làm hỏng cả danh sách.',
        consumes: [XLSX_MIME, 'application/octet-stream'],
        params: IdParams,
        querystring: Type.Object({
          dryRun: Type.Optional(Type.Boolean({ default: true })),
          keepIneligible: Type.Optional(Type.Boolean({ default: false })),
        }),
        response: { 200: CandidateImportReportSchema },
      },
      handler: async (req) => {
        if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
          throw new AppError(400, 'FILE_REQUIRED', 'Chưa chọn tệp để nhập', 'No file uploaded');
        }
        return candidates.importFile(
          actorOf(req),
          req.params.id,
          req.body,
          req.query.dryRun ?? true,
          req.query.keepIneligible ?? false,
        );
      },
    });
  });

  app.post('/api/exams/:id/pins', {
    config: { access: BOARD },
    schema: {
      response: { 200: fileResponse(PDF_MIME) },
      tags,
      summary: 'Cấp mã PIN cho thí sinh; trả về phiếu PIN (PDF) — chỉ hiển thị một lần',
      params: IdParams,
      querystring: Type.Object({ onlyMissing: Type.Optional(Type.Boolean({ default: false })) }),
    },
    handler: async (req, reply) => {
      const pins = await candidates.issuePins(actorOf(req), req.params.id, req.query.onlyMissing ?? false);
      const seats = await firstSeats(db, req.params.id);
      const pdf = await pinSlipsPdf(
        examInfo(req.params.id),
        pins.map((p) => ({
          number: p.number,
          fullName: p.fullName,
          pin: p.pin,
          roomName: seats.get(p.candidateId)?.roomName ?? '—',
          seatNo: seats.get(p.candidateId)?.seatNo ?? 0,
        })),
      );
      return reply
        .header('content-type', 'application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', attachment('phieu-ma-pin.pdf'))
        .send(pdf);
    },
  });

  app.get('/api/exams/:id/admission-slips.pdf', {
    config: { access: BOARD },
    schema: { tags, summary: 'Giấy báo dự thi (PDF)', params: IdParams, response: { 200: fileResponse(PDF_MIME) } },
    handler: async (req, reply) => {
      const pdf = await admissionSlipsPdf(examInfo(req.params.id), await admissionSlipData(db, req.params.id));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', attachment('giay-bao-du-thi.pdf'))
        .send(pdf);
    },
  });

  app.get('/api/sittings/:id/room-list.xlsx', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Danh sách thí sinh theo phòng thi (XLSX)',
      params: IdParams,
      response: { 200: fileResponse(XLSX_MIME) },
    },
    handler: async (req, reply) => {
      const data = await roomListData(db, req.params.id);
      if (!data) throw notFound('ca thi', 'Sitting');
      const xlsx = await roomListXlsx(examInfo(data.examId), data.sitting, data.rooms);
      return reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', attachment('danh-sach-phong-thi.xlsx'))
        .send(xlsx);
    },
  });

  app.get('/api/sittings/:id/room-list.pdf', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Danh sách thí sinh theo phòng thi (PDF)',
      params: IdParams,
      response: { 200: fileResponse(PDF_MIME) },
    },
    handler: async (req, reply) => {
      const data = await roomListData(db, req.params.id);
      if (!data) throw notFound('ca thi', 'Sitting');
      const pdf = await roomListPdf(examInfo(data.examId), data.sitting, data.rooms);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', attachment('danh-sach-phong-thi.pdf'))
        .send(pdf);
    },
  });

  app.get('/api/profiles', {
    config: { access: BOARD },
    schema: { tags, summary: 'Các quy chế thi (hồ sơ quy định)', response: { 200: Type.Array(ProfileSummarySchema) } },
    handler: async () =>
      Object.values(PROFILES).map((p) => ({
        id: p.id,
        name: p.name,
        kind: p.kind,
        legalBasis: p.legalBasis,
        effective: p.effective,
        parts: p.parts.map((x) => ({
          id: x.id,
          name: x.name,
          round: x.round,
          mode: x.mode,
          questionCount: x.questionCount,
          durationMin: x.durationMin,
        })),
        gaps: p.gaps,
      })),
  });

  app.get('/api/profiles/:id', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Chi tiết một quy chế',
      params: Type.Object({ id: Type.String() }),
      response: { 200: RegulationProfileSchema },
    },
    handler: async (req) => {
      const p = getProfile(req.params.id);
      if (!p) throw notFound('quy chế', 'Profile');
      return p;
    },
  });

  app.get('/api/exams', {
    config: { access: BOARD },
    schema: { tags, summary: 'Danh sách kỳ thi', response: { 200: Type.Array(ExamListItemSchema) } },
    handler: async () => svc.list(),
  });

  app.post('/api/exams', {
    config: { access: BOARD },
    schema: {
      response: { 201: CreatedId },
      tags,
      summary: 'Tạo kỳ thi theo một quy chế',
      body: Type.Object({
        code: Type.String({ minLength: 2, maxLength: 16, pattern: '^[A-Za-z0-9_-]+$' }),
        name: Type.String({ minLength: 1, maxLength: 300 }),
        profileId: Type.String(),
        organisingBody: Type.Optional(Type.String({ maxLength: 300 })),
        examDate: Type.Optional(Type.String({ format: 'date' })),
        timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA, mặc định Asia/Ho_Chi_Minh' })),
        applicationDeadline: Type.Optional(Type.String({ format: 'date' })),
        /** required when the profile is not in force on examDate (PROFILE_NOT_IN_FORCE) */
        profileOutOfForceReason: Type.Optional(Type.String({ maxLength: 1000 })),
      }),
    },
    handler: async (req, reply) => {
      const id = await svc.create(actorOf(req), req.body);
      return reply.status(201).send({ id });
    },
  });

  app.get('/api/exams/:id', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Kỳ thi: phần thi, chỉ tiêu, điều chỉnh so với quy chế',
      params: IdParams,
      response: { 200: ExamDetailSchema },
    },
    handler: async (req) => {
      const e = svc.examRow(req.params.id);
      const { secret: _secret, ...exam } = e;
      return {
        ...exam,
        overrides: parseOverrides(e.overrides),
        overridden: svc.overridesDiff(e),
        parts: svc.parts(e.id),
        positions: await svc.positions(e.id),
        rooms: await svc.rooms(e.id),
        sittings: await svc.sittings(e.id),
        candidates: await svc.candidateCount(e.id),
        profileGaps: svc.profileOf(e).gaps,
      };
    },
  });

  app.patch('/api/exams/:id', {
    config: { access: BOARD },
    schema: {
      response: { 200: Ok },
      tags,
      summary: 'Sửa kỳ thi; điều chỉnh giá trị của quy chế cho kỳ thi này',
      params: IdParams,
      body: Type.Object({
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
        organisingBody: Type.Optional(Type.String({ maxLength: 300 })),
        examDate: Type.Optional(Type.String({ format: 'date' })),
        timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        applicationDeadline: Type.Optional(Type.String({ format: 'date' })),
        profileOutOfForceReason: Type.Optional(Type.String({ maxLength: 1000 })),
        overrides: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      }),
    },
    handler: async (req) => {
      await svc.update(actorOf(req), req.params.id, req.body as Parameters<ExamService['update']>[2]);
      return { ok: true as const };
    },
  });

  app.put('/api/exam-parts/:id', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Sửa phần thi: môn, thời gian, số câu, ma trận đề',
      params: IdParams,
      body: Type.Object({
        subjectId: Type.Optional(Type.Union([Type.Null(), Type.Integer()])),
        mode: Type.Optional(Type.String()),
        durationMin: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
        questionCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        scoreScale: Type.Optional(Type.Number({ minimum: 1 })),
        role: Type.Optional(Type.Union([Type.Literal('counted'), Type.Literal('condition')])),
        coefficient: Type.Optional(Type.Union([Type.Null(), Type.Number()])),
        blueprint: Type.Optional(BlueprintSchema),
      }),
      response: { 200: ExamPartSchema },
    },
    handler: async (req) => svc.updatePart(actorOf(req), req.params.id, req.body),
  });

  app.post('/api/exams/:id/positions', {
    config: { access: BOARD },
    schema: {
      response: { 201: CreatedId },
      tags,
      summary: 'Thêm vị trí việc làm / ngạch dự thi với chỉ tiêu',
      params: IdParams,
      body: Type.Object({
        code: Type.String({ minLength: 1, maxLength: 32 }),
        name: Type.String({ minLength: 1, maxLength: 300 }),
        quota: Type.Integer({ minimum: 0 }),
        grade: Type.Optional(Type.Union([Type.Null(), Type.String({ pattern: '^01\\.00[1-5]$' })])),
      }),
    },
    handler: async (req, reply) => reply.status(201).send({ id: await svc.addPosition(actorOf(req), req.params.id, req.body) }),
  });

  app.post('/api/exams/:id/rooms', {
    config: { access: BOARD },
    schema: {
      response: { 201: CreatedId },
      tags,
      summary: 'Thêm phòng thi',
      params: IdParams,
      body: Type.Object({
        code: Type.String({ minLength: 1, maxLength: 32 }),
        name: Type.String({ minLength: 1, maxLength: 200 }),
        location: Type.Optional(Type.String({ maxLength: 300 })),
        seats: Type.Integer({ minimum: 1, maximum: 500 }),
        seatsPerRow: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
      }),
    },
    handler: async (req, reply) => reply.status(201).send({ id: await svc.addRoom(actorOf(req), req.params.id, req.body) }),
  });

  app.post('/api/exams/:id/sittings', {
    config: { access: BOARD },
    schema: {
      response: { 201: CreatedId },
      tags,
      summary: 'Thêm ca thi',
      params: IdParams,
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 200 }),
        startsAt: Type.String({ format: 'date-time' }),
        partIds: Type.Array(Type.Integer(), { minItems: 1 }),
      }),
    },
    handler: async (req, reply) => reply.status(201).send({ id: await svc.addSitting(actorOf(req), req.params.id, req.body) }),
  });

  app.post('/api/sittings/:id/assign', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Xếp thí sinh vào phòng và máy tự động, cân bằng giữa các phòng',
      params: IdParams,
      response: { 200: AssignResultSchema },
    },
    handler: async (req) => svc.autoAssign(actorOf(req), req.params.id),
  });

  app.put('/api/sittings/:id/seats/:candidateId', {
    config: { access: BOARD },
    schema: {
      response: { 200: Ok },
      tags,
      summary: 'Chuyển thí sinh sang phòng/máy khác',
      params: Type.Object({ id: Type.Integer(), candidateId: Type.Integer() }),
      body: Type.Object({ roomId: Type.Integer(), seatNo: Type.Integer({ minimum: 1 }) }),
    },
    handler: async (req) => {
      await svc.moveSeat(actorOf(req), req.params.id, req.params.candidateId, req.body.roomId, req.body.seatNo);
      return { ok: true as const };
    },
  });

  app.post('/api/sittings/:id/invigilators', {
    config: { access: BOARD },
    schema: {
      response: { 200: Ok },
      tags,
      summary: 'Phân công giám thị vào phòng thi',
      params: IdParams,
      body: Type.Object({ roomId: Type.Integer(), userId: Type.Integer() }),
    },
    handler: async (req) => {
      await svc.assignInvigilator(actorOf(req), req.params.id, req.body.roomId, req.body.userId);
      return { ok: true as const };
    },
  });

  app.get('/api/exams/:id/blueprint-check', {
    config: { access: BOARD },
    schema: {
      tags,
      summary: 'Kiểm tra ma trận đề với ngân hàng (theo bội số của quy chế)',
      params: IdParams,
      response: { 200: BlueprintCheckSchema },
    },
    handler: async (req) => svc.blueprintCheck(req.params.id),
  });

  app.post('/api/exams/:id/papers', {
    config: { access: BOARD },
    schema: { tags, summary: 'Tạo đề cho từng thí sinh (chạy nền, có tiến độ)', params: IdParams, response: { 202: JobStarted } },
    handler: async (req, reply) => {
      const e = svc.examRow(req.params.id);
      const actor = actorOf(req);
      const check = await svc.blueprintCheck(e.id);
      if (!check.ok) {
        const lines = check.parts.flatMap((p) => [...p.problems, ...p.shortfalls.map((s) => `${p.name}: ${s.message}`)]);
        throw new AppError(
          409,
          'BLUEPRINT_SHORTFALL',
          `Ngân hàng chưa đáp ứng ma trận đề: ${lines.join('; ')}`,
          'Blueprint not covered',
          check,
        );
      }
      const jobId = await jobs.start('papers', e.id, actor.id, async (progress) => {
        const parts = await svc.generatePapers(e.id, progress);
        await transaction(db, () =>
          appendAudit(db, { actor, action: 'exam.papers.generate', entity: 'exam', entityId: e.id, after: parts }),
        );
        return parts;
      });
      return reply.status(202).send({ jobId });
    },
  });

  app.get('/api/jobs/:id', {
    config: { access: BOARD },
    schema: { tags, summary: 'Tiến độ một tác vụ nền', params: IdParams, response: { 200: JobSchema } },
    handler: async (req) => jobs.get(req.params.id),
  });

  app.get('/api/exams/:id/papers/verify', {
    config: { access: BOARD },
    schema: {
      response: { 200: PaperVerification },
      tags,
      summary: 'Kiểm chứng: sinh lại đề của một thí sinh và so với đề đã lưu',
      params: IdParams,
      querystring: Type.Object({ partId: Type.Integer(), candidateId: Type.Integer() }),
    },
    handler: async (req) => svc.verifyPaper(req.params.id, req.query.partId, req.query.candidateId),
  });

  app.post('/api/exams/:id/ready', {
    config: { access: BOARD },
    schema: { tags, summary: 'Chuyển kỳ thi sang sẵn sàng (khóa đề)', params: IdParams, response: { 200: Ok } },
    handler: async (req) => {
      await svc.markReady(actorOf(req), req.params.id);
      return { ok: true as const };
    },
  });
};
