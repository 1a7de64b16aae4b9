/**
 * Item analysis of an exam's computer parts (phân tích câu hỏi sau kỳ thi, issue 6), from the
 * submitted attempts: attempts → papers (the frozen versions and their option order) → answers →
 * question versions. One response matrix per part; its columns are the part's distinct question
 * versions (papers are drawn at random, so a version missing from a candidate's paper is NaN, which
 * analyzeItems() handles pairwise). Item scores go through the question-type registry with the
 * board's key corrections (gradeQuestions(), exactly what re-scoring uses): a re-keyed version is
 * graded with the new key, a version voided with full marks scores 1 for everyone, and a version
 * voided with "drop" is left out of the matrix. Choices are recorded as the option's index in the
 * version's canonical option order (not the candidate's shuffled order): as an index when every
 * question of the part is single-answer or true/false, as a bit mask when the part has a
 * multiple-answer question.
 */
import {
  type AnswerSource,
  analyzeItems,
  CHOICE_BLANK,
  type ChoiceAnswer,
  type ChoiceOption,
  createItemMatrix,
  type ExamItemAnalysisDto,
  gradeQuestions,
  type ItemAnalysisItemDto,
  type KeyCorrection,
  optionIdAt,
  type PartItemAnalysisDto,
  plainText,
  type QuestionExamItemDto,
  type QuestionItemAnalysisDto,
  type QuestionTypeId,
  type ScoringQuestion,
} from '@exam/shared';
import type { Db } from '../../db/connection.js';
import { notFound } from '../../plugins/errors.js';
import { decodePaper } from '../exams/papers.js';
import { examCorrections } from './corrections.js';

interface VersionRow {
  id: number;
  questionId: number;
  version: number;
  type: QuestionTypeId;
  stem: string;
  options: string;
  partialCredit: number;
}

interface LoadedVersion extends ScoringQuestion {
  id: number;
  questionId: number;
  version: number;
  /** option id → canonical index */
  index: Map<string, number>;
}

interface PartRow {
  id: number;
  code: string;
  name: string;
}

/** Shortened plain text for lists. */
export function shortText(html: string, max: number): string {
  const text = plainText(html).replace(/\s+/g, ' ').trim();
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

const r4 = (x: number | null): number | null => (x === null ? null : Math.round(x * 10_000) / 10_000);

function loadVersions(db: Db, ids: readonly number[]): Map<number, LoadedVersion> {
  const rows = db.$client
    .prepare(
      `SELECT id, question_id AS questionId, version, type, stem, options, partial_credit AS partialCredit
         FROM question_versions WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as VersionRow[];
  const out = new Map<number, LoadedVersion>();
  for (const v of rows) {
    const options = JSON.parse(v.options) as ChoiceOption[];
    out.set(v.id, {
      id: v.id,
      versionId: v.id,
      questionId: v.questionId,
      version: v.version,
      type: v.type,
      stem: v.stem,
      options,
      partialCredit: !!v.partialCredit,
      index: new Map(options.map((o, i) => [o.id, i])),
    });
  }
  return out;
}

/** Item analysis of one computer part. */
function analysePart(db: Db, part: PartRow, corrections: ReadonlyMap<number, KeyCorrection>): PartItemAnalysisDto {
  const sqlite = db.$client;
  const attempts = (
    sqlite
      .prepare(
        `SELECT a.id, p.items FROM attempts a JOIN papers p ON p.id = a.paper_id
          WHERE a.part_id = ? AND a.status = 'submitted' ORDER BY a.id`,
      )
      .all(part.id) as { id: number; items: string }[]
  ).map((a) => ({ id: a.id, versionIds: decodePaper(a.items).items.map((i) => Number(i.versionId)) }));

  const distinct = [...new Set(attempts.flatMap((a) => a.versionIds))].sort((a, b) => a - b);
  const versions = loadVersions(db, distinct);
  const dropped = distinct.filter((id) => {
    const c = corrections.get(id);
    return c?.kind === 'void' && c.mode === 'drop';
  });
  const columns = distinct.filter((id) => versions.has(id) && !dropped.includes(id));
  const column = new Map(columns.map((id, j) => [id, j]));
  const k = columns.length;

  const answers = new Map<number, Map<number, ChoiceAnswer>>();
  for (const a of sqlite
    .prepare(
      `SELECT n.attempt_id AS attemptId, n.question_no AS no, n.choice FROM answers n
         JOIN attempts a ON a.id = n.attempt_id WHERE a.part_id = ? AND a.status = 'submitted'`,
    )
    .iterate(part.id) as IterableIterator<{ attemptId: number; no: number; choice: string }>) {
    let m = answers.get(a.attemptId);
    if (!m) {
      m = new Map();
      answers.set(a.attemptId, m);
    }
    const parsed = JSON.parse(a.choice) as unknown;
    m.set(a.no, Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : []);
  }

  const useMask = columns.some((id) => versions.get(id)?.type === 'multiple');
  const optionsPerItem = columns.map((id) => Math.max(1, versions.get(id)?.options.length ?? 1));
  const m = createItemMatrix(k, attempts.length, { choices: useMask ? 'mask' : 'index', optionsPerItem });
  const empty = new Map<number, ChoiceAnswer>();

  attempts.forEach((a, c) => {
    const questions: LoadedVersion[] = [];
    for (const id of a.versionIds) {
      const v = versions.get(id);
      if (!v) return; // a paper whose version vanished cannot be graded; leave the row empty
      questions.push(v);
    }
    const given = answers.get(a.id) ?? empty;
    const credits = gradeQuestions(questions, given as AnswerSource, corrections);
    questions.forEach((q, i) => {
      const j = column.get(q.id);
      const credit = credits[i];
      if (j === undefined || credit === null || credit === undefined) return;
      const cell = c * k + j;
      m.scores[cell] = credit;
      const choice = given.get(i + 1) ?? [];
      if (m.choiceMasks) {
        let mask = 0;
        for (const id of choice) {
          const idx = q.index.get(id);
          if (idx !== undefined && idx < 8) mask |= 1 << idx;
        }
        m.choiceMasks[cell] = mask;
      } else if (m.choices) {
        const idx = choice.length > 0 ? q.index.get(choice[0] ?? '') : undefined;
        m.choices[cell] = idx ?? CHOICE_BLANK;
      }
    });
  });

  const res = analyzeItems(m);
  const items: ItemAnalysisItemDto[] = columns.map((id, j) => {
    const v = versions.get(id) as LoadedVersion;
    const stat = res.items[j];
    const fix = corrections.get(id);
    const key = fix?.kind === 'rekey' ? new Set(fix.correct) : null;
    return {
      versionId: id,
      questionId: v.questionId,
      version: v.version,
      type: v.type,
      stemText: shortText(v.stem, 160),
      candidates: stat?.n ?? 0,
      facility: r4(stat?.facility ?? null),
      discrimination: r4(stat?.discrimination ?? null),
      pointBiserial: r4(stat?.pointBiserial ?? null),
      distractors: v.options.map((o, i) => ({
        id: o.id,
        letter: optionIdAt(i),
        text: shortText(o.text, 80),
        count: stat?.distractors?.options[i] ?? 0,
        correct: key ? key.has(o.id) : o.correct,
      })),
      blank: stat?.distractors?.blank ?? 0,
      flags: stat?.flags ?? [],
      correction: fix?.kind === 'rekey' ? 'rekey' : fix?.kind === 'void' && fix.mode === 'full_marks' ? 'full_marks' : null,
    };
  });

  return {
    partId: part.id,
    code: part.code,
    name: part.name,
    candidates: res.candidates,
    complete: res.complete,
    meanTotal: r4(res.meanTotal),
    sdTotal: r4(res.sdTotal),
    alpha: r4(res.alpha),
    kr20: r4(res.kr20),
    items,
    droppedVersionIds: dropped,
  };
}

function examName(db: Db, examId: number): string {
  const e = db.$client.prepare('SELECT name FROM exams WHERE id = ?').get(examId) as { name: string } | undefined;
  if (!e) throw notFound('kỳ thi', 'Exam');
  return e.name;
}

function computerParts(db: Db, examId: number): PartRow[] {
  return db.$client
    .prepare(`SELECT id, code, name FROM exam_parts WHERE exam_id = ? AND mode = 'computer_mc' ORDER BY round, sort_order, id`)
    .all(examId) as PartRow[];
}

/** Item analysis of every computer part of an exam. */
export function examItemAnalysis(db: Db, examId: number): ExamItemAnalysisDto {
  const name = examName(db, examId);
  const corrections = examCorrections(db.$client, examId);
  return { examId, examName: name, parts: computerParts(db, examId).map((p) => analysePart(db, p, corrections)) };
}

/** The subject of a question (for the author/reviewer scope check); 404 when there is no such question. */
export function questionSubject(db: Db, questionId: number): number {
  const q = db.$client.prepare('SELECT subject_id AS subjectId FROM questions WHERE id = ?').get(questionId) as
    | { subjectId: number }
    | undefined;
  if (!q) throw notFound('câu hỏi', 'Question');
  return q.subjectId;
}

/** The question's statistics in every exam whose submitted papers held one of its versions. */
export function questionItemAnalysis(db: Db, questionId: number): QuestionItemAnalysisDto {
  questionSubject(db, questionId);
  // papers store [[versionId, questionId, "order"], …]: the question id is the only number that is
  // preceded by a comma and followed by a comma and a quote
  const parts = db.$client
    .prepare(
      `SELECT DISTINCT ep.id, ep.code, ep.name, ep.exam_id AS examId, e.name AS examName
         FROM papers p
         JOIN attempts a ON a.paper_id = p.id AND a.status = 'submitted'
         JOIN exam_parts ep ON ep.id = p.part_id AND ep.mode = 'computer_mc'
         JOIN exams e ON e.id = ep.exam_id
        WHERE p.items LIKE ? OR p.items LIKE ?
        ORDER BY ep.exam_id, ep.round, ep.sort_order, ep.id`,
    )
    .all(`%,${questionId},"%`, `%,"${questionId}","%`) as (PartRow & { examId: number; examName: string })[];

  const exams: QuestionExamItemDto[] = [];
  const corrections = new Map<number, Map<number, KeyCorrection>>();
  for (const p of parts) {
    let fixes = corrections.get(p.examId);
    if (!fixes) {
      fixes = examCorrections(db.$client, p.examId);
      corrections.set(p.examId, fixes);
    }
    const analysis = analysePart(db, p, fixes);
    for (const item of analysis.items) {
      if (item.questionId !== questionId) continue;
      exams.push({
        examId: p.examId,
        examName: p.examName,
        partId: p.id,
        partName: p.name,
        versionId: item.versionId,
        candidates: item.candidates,
        facility: item.facility,
        discrimination: item.discrimination,
        pointBiserial: item.pointBiserial,
        flags: item.flags,
      });
    }
  }
  return { questionId, exams };
}
