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
  analyzeItems,
  CHOICE_BLANK,
  type ChoiceAnswer,
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
  type ScoringQuestion,
} from '@exam/shared';
import type { Db } from '../../db/connection.js';
import { notFound } from '../../plugins/errors.js';
import { decodePaper } from '../exams/papers.js';
import { ItemAnalysisRepo } from './itemAnalysisRepo.js';
import { examCorrections } from './repo.js';

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

async function loadVersions(repo: ItemAnalysisRepo, ids: readonly number[]): Promise<Map<number, LoadedVersion>> {
  const out = new Map<number, LoadedVersion>();
  for (const v of await repo.versions(ids)) {
    out.set(v.id, {
      id: v.id,
      versionId: v.id,
      questionId: v.questionId,
      version: v.version,
      type: v.type,
      stem: v.stem,
      options: v.options,
      partialCredit: v.partialCredit,
      index: new Map(v.options.map((o, i) => [o.id, i])),
    });
  }
  return out;
}

/** Item analysis of one computer part. */
async function analysePart(
  repo: ItemAnalysisRepo,
  part: PartRow,
  corrections: ReadonlyMap<number, KeyCorrection>,
): Promise<PartItemAnalysisDto> {
  const attempts = (await repo.submittedPapers(part.id)).map((a) => ({
    id: a.id,
    versionIds: decodePaper(a.items).items.map((i) => Number(i.versionId)),
  }));

  const distinct = [...new Set(attempts.flatMap((a) => a.versionIds))].sort((a, b) => a - b);
  const versions = await loadVersions(repo, distinct);
  const dropped = distinct.filter((id) => {
    const c = corrections.get(id);
    return c?.kind === 'void' && c.mode === 'drop';
  });
  const columns = distinct.filter((id) => versions.has(id) && !dropped.includes(id));
  const column = new Map(columns.map((id, j) => [id, j]));
  const k = columns.length;

  const answers = new Map<number, Map<number, ChoiceAnswer>>();
  for (const a of await repo.submittedAnswers(part.id)) {
    let m = answers.get(a.attemptId);
    if (!m) {
      m = new Map();
      answers.set(a.attemptId, m);
    }
    m.set(a.no, a.choice);
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
    const credits = gradeQuestions(questions, given, corrections);
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
  const items: ItemAnalysisItemDto[] = columns.flatMap((id, j) => {
    const v = versions.get(id);
    if (!v) return [];
    const stat = res.items[j];
    const fix = corrections.get(id);
    const key = fix?.kind === 'rekey' ? new Set(fix.correct) : null;
    const item: ItemAnalysisItemDto = {
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
    return [item];
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

/** Item analysis of every computer part of an exam. */
export async function examItemAnalysis(db: Db, examId: number): Promise<ExamItemAnalysisDto> {
  const repo = new ItemAnalysisRepo(db);
  const name = await repo.examName(examId);
  if (name === undefined) throw notFound('kỳ thi', 'Exam');
  const corrections = examCorrections(db, examId);
  const parts: PartItemAnalysisDto[] = [];
  for (const p of await repo.computerParts(examId)) parts.push(await analysePart(repo, p, corrections));
  return { examId, examName: name, parts };
}

/** The subject of a question (for the author/reviewer scope check); 404 when there is no such question. */
export async function questionSubject(db: Db, questionId: number): Promise<number> {
  const subjectId = await new ItemAnalysisRepo(db).questionSubject(questionId);
  if (subjectId === undefined) throw notFound('câu hỏi', 'Question');
  return subjectId;
}

/** The question's statistics in every exam whose submitted papers held one of its versions. */
export async function questionItemAnalysis(db: Db, questionId: number): Promise<QuestionItemAnalysisDto> {
  await questionSubject(db, questionId);
  const repo = new ItemAnalysisRepo(db);
  const parts = await repo.partsHolding(questionId);

  const exams: QuestionExamItemDto[] = [];
  const corrections = new Map<number, Map<number, KeyCorrection>>();
  for (const p of parts) {
    let fixes = corrections.get(p.examId);
    if (!fixes) {
      fixes = examCorrections(db, p.examId);
      corrections.set(p.examId, fixes);
    }
    const analysis = await analysePart(repo, p, fixes);
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
