/**
 * One candidate's papers as a Word file for printing and review (issue 18): every computer part's
 * paper in the order the candidate saw it (questions and options), the key and the answers given,
 * in the same convention as the bank's .docx export. Read from the stored papers and the exact
 * question versions they hold; the board or an admin only, audited.
 */
import type { BankQuestion, ChoiceOption, QuestionTypeId } from '@exam/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { actorOf } from '../../plugins/auth.js';
import { notFound } from '../../plugins/errors.js';
import { decodePaper } from '../exams/papers.js';
import { paperDocx } from './formats/docx.js';

interface VersionRow {
  id: number;
  type: QuestionTypeId;
  stem: string;
  options: string;
  ref: string;
}

function parseStrings(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function parseOptions(text: string): ChoiceOption[] {
  const v: unknown = JSON.parse(text);
  if (!Array.isArray(v)) return [];
  return v.flatMap((o: unknown) =>
    o &&
    typeof o === 'object' &&
    'id' in o &&
    'text' in o &&
    'correct' in o &&
    typeof o.id === 'string' &&
    typeof o.text === 'string'
      ? [{ id: o.id, text: o.text, correct: o.correct === true }]
      : [],
  );
}

export const paperExportRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const sqlite = db.$client;
  app.get('/api/candidates/:id/papers.docx', {
    config: { access: ['admin', 'board'] },
    schema: {
      tags: ['Ngân hàng câu hỏi / Question banks'],
      summary:
        'Đề thi của một thí sinh (Word) để in và rà soát: câu hỏi, phương án theo thứ tự thí sinh thấy, đáp án và lựa chọn',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
    },
    handler: async (req, reply) => {
      const c = sqlite
        .prepare(
          'SELECT c.id, c.number, c.full_name AS fullName, e.name AS examName FROM candidates c JOIN exams e ON e.id = c.exam_id WHERE c.id = ?',
        )
        .get(req.params.id) as { id: number; number: string; fullName: string; examName: string } | undefined;
      if (!c) throw notFound('Thí sinh', 'Candidate');
      const papers = sqlite
        .prepare(
          `SELECT p.id, p.items, p.digest, ep.name AS partName,
                  (SELECT a.id FROM attempts a WHERE a.paper_id = p.id ORDER BY a.id DESC LIMIT 1) AS attemptId
             FROM papers p JOIN exam_parts ep ON ep.id = p.part_id WHERE p.candidate_id = ? ORDER BY ep.id, p.attempt`,
        )
        .all(c.id) as { id: number; items: string; digest: string; partName: string; attemptId: number | null }[];
      if (papers.length === 0) throw notFound('Đề thi của thí sinh', 'Paper');
      const version = sqlite.prepare(
        'SELECT v.id, v.type, v.stem, v.options, q.ref FROM question_versions v JOIN questions q ON q.id = v.question_id WHERE v.id = ?',
      );
      const answer = sqlite.prepare('SELECT choice FROM answers WHERE attempt_id = ? AND question_no = ?');
      const questions: { question: BankQuestion; chosen: number[] }[] = [];
      for (const p of papers) {
        decodePaper(p.items).items.forEach((item, k) => {
          const v = version.get(item.versionId) as VersionRow | undefined;
          if (!v) return;
          const byId = new Map(parseOptions(v.options).map((o) => [o.id, o]));
          const shown = item.optionOrder.flatMap((id) => {
            const o = byId.get(id);
            return o ? [o] : [];
          });
          const row = p.attemptId ? (answer.get(p.attemptId, k + 1) as { choice: string } | undefined) : undefined;
          const chosenIds = row ? parseStrings(row.choice) : [];
          questions.push({
            question: {
              ref: v.ref,
              type: v.type,
              topic: '',
              difficulty: 'nhan_biet',
              stem: v.stem,
              options: shown.map((o) => ({ text: o.text, correct: o.correct })),
            },
            chosen: shown.flatMap((o, i) => (chosenIds.includes(o.id) ? [i] : [])),
          });
        });
      }
      const buf = await paperDocx({
        title: `ĐỀ THI CỦA THÍ SINH — ${c.examName.toUpperCase()}`,
        lines: [
          `Số báo danh: ${c.number} · Họ và tên: ${c.fullName}`,
          ...papers.map((p) => `${p.partName}: mã đề (SHA-256) ${p.digest.slice(0, 16)}…`),
          'Bản in để rà soát: phương án theo đúng thứ tự thí sinh đã thấy; đáp án và lựa chọn ở bảng cuối (A, B, … là vị trí trên đề).',
        ],
        questions,
      });
      appendAudit(db, {
        actor: actorOf(req),
        action: 'paper.export.docx',
        entity: 'candidate',
        entityId: c.id,
        detail: { papers: papers.map((p) => p.id), questions: questions.length },
      });
      const name = `de-thi-${c.number}.docx`;
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('content-disposition', `attachment; filename="${name.replace(/[^\w.-]+/g, '_')}"`)
        .send(buf);
    },
  });
};
