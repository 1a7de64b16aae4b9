import {
  CommentBody,
  CommentDto,
  DifficultySchema,
  fileResponse,
  IdParams,
  IMPORT_FORMATS,
  ImportReport,
  lit,
  Page,
  QuestionBody,
  QuestionDto,
  QuestionQuery,
  type Role,
  SubjectBody,
  SubjectDto,
  SummaryDto,
  TopicBody,
  TopicDto,
  TransitionBody,
} from '@exam/shared';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf, requireUser as user } from '../../plugins/auth.js';
import { IMAGE_BODY_LIMIT, IMPORT_BODY_LIMIT, QUESTION_BODY_LIMIT, rawJsonBodies } from '../../plugins/bodyLimits.js';
import { AppError } from '../../plugins/errors.js';
import { exportBankOffThread } from '../imports/run.js';
import { csvTemplate, docxTemplate, xlsxTemplate } from './formats/index.js';
import { paperExportRoutes } from './paperExport.js';
import { imageFromBytes } from './sanitize.js';

const BANK_ROLES: Role[] = ['admin', 'board', 'author', 'reviewer'];
const tags = ['Ngân hàng câu hỏi / Question banks'];

const EXPORT_TYPES = {
  json: { mime: 'application/json; charset=utf-8', ext: 'json' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' },
  csv: { mime: 'text/csv; charset=utf-8', ext: 'csv' },
  aiken: { mime: 'text/plain; charset=utf-8', ext: 'txt' },
  gift: { mime: 'text/plain; charset=utf-8', ext: 'gift.txt' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx' },
  moodlexml: { mime: 'application/xml; charset=utf-8', ext: 'moodle.xml' },
  qti: { mime: 'application/zip', ext: 'qti.zip' },
} as const;
/** The media types of the files above, without parameters (the response schemas' keys). */
const EXPORT_MEDIA_TYPES = [...new Set(Object.values(EXPORT_TYPES).map((t) => t.mime.split(';')[0] ?? t.mime))];

function contentDisposition(filename: string): string {
  const ascii = filename
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\w.-]+/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export const bankRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = app.banks;

  app.get('/api/subjects', {
    config: { access: BANK_ROLES },
    schema: { tags, summary: 'Danh sách môn thi được phép xem', response: { 200: Type.Array(SubjectDto) } },
    handler: async (req) => svc.listSubjects(user(req)),
  });

  app.post('/api/subjects', {
    config: { access: ['admin', 'board'] },
    schema: { tags, summary: 'Tạo môn thi', body: SubjectBody, response: { 201: SubjectDto } },
    handler: async (req, reply) => reply.status(201).send(await svc.createSubject(actorOf(req), req.body)),
  });

  app.get('/api/subjects/:id', {
    config: { access: BANK_ROLES },
    schema: { tags, params: IdParams, response: { 200: SubjectDto } },
    handler: async (req) => svc.getSubject(user(req), req.params.id),
  });

  app.patch('/api/subjects/:id', {
    config: { access: ['admin', 'board'] },
    schema: {
      tags,
      params: IdParams,
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }),
      response: { 200: SubjectDto },
    },
    handler: async (req) => {
      await svc.updateSubject(actorOf(req), req.params.id, req.body);
      return svc.getSubject(user(req), req.params.id);
    },
  });

  app.get('/api/subjects/:id/topics', {
    config: { access: BANK_ROLES },
    schema: { tags, params: IdParams, response: { 200: Type.Array(TopicDto) } },
    handler: async (req) => {
      await svc.assertRead(user(req), req.params.id);
      return svc.listTopics(req.params.id);
    },
  });

  app.post('/api/subjects/:id/topics', {
    config: { access: ['admin', 'board', 'author'] },
    schema: { tags, params: IdParams, body: TopicBody, response: { 201: TopicDto } },
    handler: async (req, reply) => {
      await svc.assertAuthor(user(req), req.params.id);
      return reply.status(201).send(await svc.createTopic(actorOf(req), req.params.id, req.body));
    },
  });

  app.put('/api/topics/:id', {
    config: { access: ['admin', 'board', 'author'] },
    schema: { tags, params: IdParams, body: TopicBody, response: { 200: TopicDto } },
    handler: async (req) => {
      await svc.assertAuthor(user(req), await svc.topicSubject(req.params.id));
      return svc.updateTopic(actorOf(req), req.params.id, req.body);
    },
  });

  app.get('/api/subjects/:id/summary', {
    config: { access: BANK_ROLES },
    schema: { tags, summary: 'Ma trận chuyên đề × mức độ (số câu đã duyệt)', params: IdParams, response: { 200: SummaryDto } },
    handler: async (req) => {
      await svc.assertRead(user(req), req.params.id);
      return svc.summary(req.params.id);
    },
  });

  app.get('/api/subjects/:id/questions', {
    config: { access: BANK_ROLES },
    schema: {
      tags,
      summary: 'Tìm kiếm, lọc câu hỏi',
      params: IdParams,
      querystring: QuestionQuery,
      response: { 200: Page(QuestionDto) },
    },
    handler: async (req) => {
      await svc.assertRead(user(req), req.params.id);
      return svc.listQuestions(req.params.id, req.query);
    },
  });

  app.post('/api/subjects/:id/questions', {
    config: { access: ['admin', 'board', 'author'] },
    bodyLimit: QUESTION_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Soạn câu hỏi mới (bản nháp)',
      params: IdParams,
      body: QuestionBody,
      response: { 201: QuestionDto },
    },
    handler: async (req, reply) => reply.status(201).send(await svc.createQuestion(user(req), req.params.id, req.body)),
  });

  app.get('/api/questions/:id', {
    config: { access: BANK_ROLES },
    schema: {
      tags,
      summary: 'Câu hỏi, các phiên bản và ý kiến duyệt',
      params: IdParams,
      response: {
        200: Type.Object({ question: QuestionDto, versions: Type.Array(QuestionDto), comments: Type.Array(CommentDto) }),
      },
    },
    handler: async (req) => {
      await svc.assertRead(user(req), await svc.questionSubject(req.params.id));
      return svc.getQuestion(req.params.id);
    },
  });

  app.put('/api/questions/:id', {
    config: { access: ['admin', 'board', 'author'] },
    bodyLimit: QUESTION_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Sửa câu hỏi (câu đã duyệt: tạo phiên bản mới)',
      params: IdParams,
      body: QuestionBody,
      response: { 200: QuestionDto },
    },
    handler: async (req) => svc.updateQuestion(user(req), req.params.id, req.body),
  });

  app.post('/api/questions/:id/transition', {
    config: { access: ['admin', 'board', 'author', 'reviewer'] },
    schema: {
      tags,
      summary: 'Gửi duyệt, duyệt, trả lại, ngừng sử dụng',
      params: IdParams,
      body: TransitionBody,
      response: { 200: QuestionDto },
    },
    handler: async (req) => svc.transition(user(req), req.params.id, req.body.to, req.body.comment),
  });

  app.post('/api/questions/:id/comments', {
    config: { access: BANK_ROLES },
    schema: { tags, params: IdParams, body: CommentBody, response: { 201: CommentDto } },
    handler: async (req, reply) => reply.status(201).send(await svc.addComment(user(req), req.params.id, req.body.body)),
  });

  // imports read the raw file whatever its declared type: a JSON bank file sent as application/json
  // is read by the import worker like any other upload, not parsed on the event loop
  await app.register(async (plain) => {
    rawJsonBodies(plain);
    const child = plain.withTypeProvider<TypeBoxTypeProvider>();
    child.post('/api/subjects/:id/import', {
      config: { access: ['admin', 'board', 'author'] },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Nhập câu hỏi từ tệp (chạy thử trước, sau đó ghi tất cả hoặc không ghi gì)',
        params: IdParams,
        querystring: Type.Object({
          format: Type.Union([lit(IMPORT_FORMATS), Type.Literal('auto')], {
            description: '"auto": recognised from the content (zip entries, XML root, text markers)',
          }),
          dryRun: Type.Optional(Type.Boolean({ default: true })),
          defaultTopic: Type.Optional(Type.String()),
          defaultDifficulty: Type.Optional(DifficultySchema),
          validOnly: Type.Optional(
            Type.Boolean({
              default: false,
              description: 'after a dry run: import only the questions without an error (audited); the default is all or nothing',
            }),
          ),
        }),
        response: { 200: ImportReport },
      },
      handler: async (req) => {
        const body = req.body;
        if (!Buffer.isBuffer(body) || body.length === 0) {
          throw new AppError(400, 'FILE_REQUIRED', 'Chưa chọn tệp để nhập', 'No file uploaded');
        }
        return svc.importFile(user(req), req.params.id, req.query.format, body, {
          dryRun: req.query.dryRun ?? true,
          defaultTopic: req.query.defaultTopic,
          defaultDifficulty: req.query.defaultDifficulty,
          validOnly: req.query.validOnly ?? false,
        });
      },
    });
  });

  app.get('/api/subjects/:id/export', {
    config: { access: BANK_ROLES },
    schema: {
      tags,
      summary: 'Xuất ngân hàng câu hỏi',
      params: IdParams,
      querystring: Type.Object({
        format: lit(IMPORT_FORMATS),
        qtiVersion: Type.Optional(lit(['2.1', '3.0'] as const)),
      }),
      response: { 200: fileResponse(...EXPORT_MEDIA_TYPES) },
    },
    handler: async (req, reply) => {
      await svc.assertRead(user(req), req.params.id);
      const bank = await svc.exportBank(req.params.id);
      const t = EXPORT_TYPES[req.query.format];
      // DOCX, Moodle XML and QTI carry the images inside the file; the other formats keep the references
      const images = ['docx', 'moodlexml', 'qti'].includes(req.query.format) ? await svc.exportImages(bank) : undefined;
      const buf = await exportBankOffThread(req.query.format, bank, { qtiVersion: req.query.qtiVersion, images });
      return reply
        .header('content-type', t.mime)
        .header('content-disposition', contentDisposition(`ngan-hang-${bank.subject.code}.${t.ext}`))
        .send(buf);
    },
  });

  app.get('/api/import-templates/:format', {
    config: { access: BANK_ROLES },
    schema: {
      tags,
      summary: 'Tệp mẫu nhập câu hỏi',
      params: Type.Object({ format: lit(['xlsx', 'csv', 'docx'] as const) }),
      response: { 200: fileResponse(...EXPORT_MEDIA_TYPES) },
    },
    handler: async (req, reply) => {
      const f = req.params.format;
      const buf = f === 'xlsx' ? await xlsxTemplate() : f === 'docx' ? await docxTemplate() : await csvTemplate();
      return reply
        .header('content-type', EXPORT_TYPES[f].mime)
        .header('content-disposition', contentDisposition(`mau-nhap-cau-hoi.${req.params.format}`))
        .send(buf);
    },
  });

  // one candidate's papers as .docx (issue 18)
  await app.register(paperExportRoutes);

  app.post('/api/images', {
    config: { access: ['admin', 'board', 'author'] },
    bodyLimit: IMAGE_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Tải ảnh dùng trong câu hỏi',
      response: { 201: Type.Object({ id: Type.String(), url: Type.String() }) },
    },
    handler: async (req, reply) => {
      const body = req.body;
      const img = Buffer.isBuffer(body) ? imageFromBytes(body) : null;
      if (!img) {
        throw new AppError(400, 'IMAGE_INVALID', 'Tệp không phải ảnh PNG, JPEG, GIF hoặc WebP', 'Not a PNG/JPEG/GIF/WebP image');
      }
      await svc.uploadImage(actorOf(req), img);
      return reply.status(201).send({ id: img.id, url: `/api/images/${img.id}` });
    },
  });
};
