/**
 * One candidate's papers as a Word file for printing and review (issue 18): every computer part's
 * paper in the order the candidate saw it (questions and options), the key and the answers given,
 * in the same convention as the bank's .docx export. Read from the stored papers and the exact
 * question versions they hold; the board or an admin only, audited.
 */
import { type BankQuestion, fileResponse } from '@exam/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import { actorOf } from '../../plugins/auth.js';
import { notFound } from '../../plugins/errors.js';
import { decodePaper } from '../exams/papers.js';
import { paperDocx } from './formats/docx.js';
import type { ExportImages } from './formats/exportImages.js';
import type { PaperRepo } from './repo/paperRepo.js';
import { optionsColumn, questionTypeOf } from './repo/rows.js';
import { imageIdsIn, type StoredImage } from './sanitize.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The candidate's papers as a .docx, and its file name; audited. */
export async function candidatePapersDocx(
  db: Db,
  repo: PaperRepo,
  actor: Actor,
  candidateId: number,
  /** the stored images by id, printed as pictures in the paper */
  loadImages: (ids: string[]) => Promise<StoredImage[]>,
): Promise<{ docx: Buffer; filename: string }> {
  const c = await repo.candidate(candidateId);
  if (!c) throw notFound('Thí sinh', 'Candidate');
  const papers = await repo.papers(c.id);
  if (papers.length === 0) throw notFound('Đề thi của thí sinh', 'Paper');
  const questions: { question: BankQuestion; chosen: number[] }[] = [];
  for (const p of papers) {
    const items = decodePaper(p.items).items;
    for (const [k, item] of items.entries()) {
      // a stored paper names bank versions by their integer id
      const v = await repo.version(Number(item.versionId));
      if (!v) continue;
      const byId = new Map(optionsColumn.parse(v.options).map((o) => [o.id, o]));
      const shown = item.optionOrder.flatMap((id) => {
        const o = byId.get(id);
        return o ? [o] : [];
      });
      const chosenIds = p.attemptId ? await repo.chosen(p.attemptId, k + 1) : [];
      questions.push({
        question: {
          ref: v.ref,
          type: questionTypeOf(v.type),
          topic: '',
          difficulty: 'nhan_biet',
          stem: v.stem,
          options: shown.map((o) => ({ text: o.text, correct: o.correct })),
        },
        chosen: shown.flatMap((o, i) => (chosenIds.includes(o.id) ? [i] : [])),
      });
    }
  }
  const images: ExportImages = {};
  const ids = questions.flatMap((x) => [
    ...imageIdsIn(x.question.stem),
    ...x.question.options.flatMap((o) => imageIdsIn(o.text)),
  ]);
  for (const img of await loadImages(ids)) images[img.id] = { mime: img.mime, bytes: img.bytes };
  const docx = await paperDocx({
    images,
    title: `ĐỀ THI CỦA THÍ SINH — ${c.examName.toUpperCase()}`,
    lines: [
      `Số báo danh: ${c.number} · Họ và tên: ${c.fullName}`,
      ...papers.map((p) => `${p.partName}: mã đề (SHA-256) ${p.digest.slice(0, 16)}…`),
      'Bản in để rà soát: phương án theo đúng thứ tự thí sinh đã thấy; đáp án và lựa chọn ở bảng cuối (A, B, … là vị trí trên đề).',
    ],
    questions,
  });
  await transaction(db, () =>
    appendAudit(db, {
      actor,
      action: 'paper.export.docx',
      entity: 'candidate',
      entityId: c.id,
      detail: { papers: papers.map((p) => p.id), questions: questions.length },
    }),
  );
  return { docx, filename: `de-thi-${c.number}.docx` };
}

export const paperExportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/candidates/:id/papers.docx', {
    config: { access: ['admin', 'board'] },
    schema: {
      tags: ['Ngân hàng câu hỏi / Question banks'],
      summary:
        'Đề thi của một thí sinh (Word) để in và rà soát: câu hỏi, phương án theo thứ tự thí sinh thấy, đáp án và lựa chọn',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      response: { 200: fileResponse(DOCX) },
    },
    handler: async (req, reply) => {
      const { docx, filename } = await app.banks.candidatePapersDocx(actorOf(req), req.params.id);
      return reply
        .header('content-type', DOCX)
        .header('content-disposition', `attachment; filename="${filename.replace(/[^\w.-]+/g, '_')}"`)
        .send(docx);
    },
  });
};
