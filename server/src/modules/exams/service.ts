import { randomBytes } from 'node:crypto';
import {
  applyOverrides,
  type Blueprint,
  blueprintIssues,
  DEFAULT_TIME_ZONE,
  diffFromProfile,
  type ExamPartDto,
  getProfile,
  legalIssues,
  type OverrideDiff,
  type ProfileOverrides,
  type RegulationProfile,
} from '@exam/shared';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import { AppError, notFound } from '../../plugins/errors.js';
import { parseBlueprint } from '../papers/papers.js';
import { codesColumn } from '../papers/repo.js';
import {
  assertInForce,
  assertTimeZone,
  parseOverrides,
  partRuleValues,
  subjectFor,
  withExamParts,
  withoutParts,
} from './profileParts.js';
import { Readiness } from './readiness.js';
import { type ExamRow, ExamsRepo, type PartValues } from './repo/exams.js';
import { Seating } from './seating.js';

export { withExamParts } from './profileParts.js';
export type { ExamRow } from './repo/exams.js';

const exemptibleByColumn = codesColumn('exam_parts.exemptible_by');

/**
 * Exams, their parts and positions (modules/exams). Rooms, sittings and seats are in seating.ts,
 * the blueprint check, papers and the move to "ready" in readiness.ts; this class is their one
 * entry point (`app.exams`).
 */
export class ExamService {
  private readonly repo: ExamsRepo;
  private readonly seating: Seating;
  private readonly readiness: Readiness;
  constructor(private readonly db: Db) {
    this.repo = new ExamsRepo(db);
    this.seating = new Seating(db, {
      assertDraftExam: (id) => this.assertDraftExam(id),
      partIds: (id) => this.repo.partsSync(id).map((p) => p.id),
    });
    this.readiness = new Readiness(db, this.repo, this);
  }

  // ---------- exams ----------

  /** The exam's row. Synchronous: delivery, proctor and results call it from synchronous code (repo/exams.ts). */
  examRow(id: number): ExamRow {
    const e = this.repo.examSync(id);
    if (!e) throw notFound('kỳ thi', 'Exam');
    return e;
  }

  profileOf(e: Pick<ExamRow, 'profileId'>): RegulationProfile {
    const p = getProfile(e.profileId);
    if (!p) throw new AppError(500, 'PROFILE_UNKNOWN', `Không có quy chế "${e.profileId}"`, 'Unknown profile');
    return p;
  }

  /**
   * The exam's effective profile: the profile with the board's overrides, and every part's rules
   * (duration, question count, scale, pass rule, role, coefficient, exemptions) read from
   * exam_parts, the one place they are stored. Delivery, marking, ranking, documents and the auditor
   * all read them through here or from exam_parts directly, so they cannot disagree.
   */
  effectiveProfile(e: ExamRow): RegulationProfile {
    const base = applyOverrides(this.profileOf(e), withoutParts(parseOverrides(e.overrides)));
    return withExamParts(base, this.repo.partRulesSync(e.id));
  }

  /** Refuses with EXAM_FROZEN unless the exam is a draft. */
  assertDraftExam(examId: number): void {
    this.assertDraft(this.examRow(examId));
  }

  private assertDraft(e: ExamRow): void {
    if (e.status !== 'draft') {
      throw new AppError(
        409,
        'EXAM_FROZEN',
        'Kỳ thi đã sẵn sàng (đề đã khóa); không thể thay đổi cấu hình.',
        'The exam is no longer a draft; its setup is frozen.',
      );
    }
  }

  list() {
    return this.repo.list();
  }

  async candidateCount(examId: number): Promise<number> {
    return this.repo.candidateCount(examId);
  }

  async create(
    actor: Actor,
    body: {
      code: string;
      name: string;
      profileId: string;
      organisingBody?: string;
      examDate?: string;
      timeZone?: string;
      applicationDeadline?: string;
      profileOutOfForceReason?: string;
    },
  ): Promise<number> {
    if (body.timeZone !== undefined) assertTimeZone(body.timeZone);
    const profile = getProfile(body.profileId);
    if (!profile) {
      throw new AppError(400, 'PROFILE_UNKNOWN', `Không có quy chế "${body.profileId}"`, `Unknown profile ${body.profileId}`);
    }
    const outOfForce = assertInForce(profile, body.examDate, body.profileOutOfForceReason);
    const code = body.code.trim().toUpperCase();
    const secret = randomBytes(32).toString('hex');
    return transaction(this.db, async () => {
      if (await this.repo.codeTaken(code)) {
        throw new AppError(409, 'EXAM_CODE_TAKEN', `Mã kỳ thi "${code}" đã tồn tại`, 'Exam code exists');
      }
      const id = await this.repo.insertExam({
        code,
        name: body.name.trim(),
        kind: profile.kind,
        profileId: profile.id,
        organisingBody: body.organisingBody?.trim() ?? '',
        secret,
        examDate: body.examDate ?? null,
        timeZone: body.timeZone ?? DEFAULT_TIME_ZONE,
        createdBy: actor.id,
        applicationDeadline: body.applicationDeadline ?? null,
        profileOutOfForceReason: outOfForce,
      });
      for (const [i, p] of profile.parts.entries()) {
        if (p.droppedWhen?.onComputer || p.choice) continue; // dropped on computer, or one option of a board choice
        await this.insertPart(id, p, i);
      }
      await this.syncChoiceParts(id);
      appendAudit(this.db, {
        actor,
        action: 'exam.create',
        entity: 'exam',
        entityId: id,
        after: { code, name: body.name, profileId: profile.id, timeZone: body.timeZone ?? DEFAULT_TIME_ZONE },
      });
      if (outOfForce !== null) {
        appendAudit(this.db, {
          actor,
          action: 'exam.profile_out_of_force',
          entity: 'exam',
          entityId: id,
          after: { profileId: profile.id, effective: profile.effective, examDate: body.examDate ?? null },
          detail: { reason: outOfForce },
        });
      }
      return id;
    });
  }

  async update(
    actor: Actor,
    id: number,
    body: {
      name?: string;
      organisingBody?: string;
      examDate?: string;
      timeZone?: string;
      applicationDeadline?: string;
      profileOutOfForceReason?: string;
      overrides?: ProfileOverrides;
    },
  ): Promise<void> {
    const e = this.examRow(id);
    this.assertDraft(e);
    if (body.timeZone !== undefined) assertTimeZone(body.timeZone);
    const outOfForce =
      body.examDate !== undefined
        ? assertInForce(this.profileOf(e), body.examDate, body.profileOutOfForceReason ?? e.profileOutOfForceReason ?? undefined)
        : null;
    // part values in the overrides are applied to exam_parts (their one home), the rest is kept as JSON
    let merged: RegulationProfile | null = null;
    if (body.overrides) {
      let effective: RegulationProfile;
      try {
        effective = applyOverrides(this.profileOf(e), body.overrides);
        merged = applyOverrides(this.effectiveProfile(e), body.overrides);
      } catch (err) {
        throw new AppError(
          400,
          'OVERRIDES_INVALID',
          `Giá trị điều chỉnh không hợp lệ: ${err instanceof Error ? err.message : String(err)}`,
          'Invalid overrides',
        );
      }
      const legal = legalIssues(effective);
      if (legal.length > 0) {
        throw new AppError(
          400,
          'PROFILE_AGAINST_RULES',
          legal.map((i) => i.message).join(' '),
          'Overrides break the regulation',
          {
            issues: legal,
          },
        );
      }
    }
    await transaction(this.db, async () => {
      // only the fields given change (an absent field keeps its value)
      const set = {
        ...(body.name != null && { name: body.name }),
        ...(body.organisingBody != null && { organisingBody: body.organisingBody }),
        ...(body.examDate != null && { examDate: body.examDate }),
        ...(body.timeZone != null && { timeZone: body.timeZone }),
        ...(body.overrides && { overrides: JSON.stringify(withoutParts(body.overrides)) }),
        ...(body.applicationDeadline != null && { applicationDeadline: body.applicationDeadline }),
        ...(outOfForce !== null && { profileOutOfForceReason: outOfForce }),
      };
      await this.repo.updateExam(id, set);
      if (outOfForce !== null && outOfForce !== e.profileOutOfForceReason) {
        appendAudit(this.db, {
          actor,
          action: 'exam.profile_out_of_force',
          entity: 'exam',
          entityId: id,
          after: { profileId: e.profileId, examDate: body.examDate },
          detail: { reason: outOfForce },
        });
      }
      if (body.overrides && merged) {
        await this.syncPartsFrom(id, merged, body.overrides.parts ?? []);
        await this.syncChoiceParts(id);
      }
      appendAudit(this.db, { actor, action: 'exam.update', entity: 'exam', entityId: id, before: e, after: body });
    });
  }

  /** Writes the parts an override touched into exam_parts: changed values, new parts, removed parts. */
  private async syncPartsFrom(
    examId: number,
    merged: RegulationProfile,
    patches: readonly { id: string; remove?: boolean }[],
  ): Promise<void> {
    const existing = await this.repo.partCodes(examId);
    for (const patch of patches) {
      const part = merged.parts.find((p) => p.id === patch.id);
      if (patch.remove === true || !part) {
        await this.repo.deletePart(examId, patch.id);
        continue;
      }
      if (!existing.has(part.id)) {
        if (part.choice || part.droppedWhen?.onComputer) continue;
        await this.insertPart(examId, part, merged.parts.indexOf(part));
        continue;
      }
      await this.repo.updatePartByCode(examId, part.id, partRuleValues(part));
    }
  }

  /** An exam part from the profile's part (its subject guessed from the part's subject hint). */
  private async insertPart(examId: number, p: RegulationProfile['parts'][number], sortOrder: number): Promise<void> {
    await this.repo.insertPart(examId, p.id, {
      ...partRuleValues(p),
      subjectId: subjectFor(p, await this.repo.subjects()),
      mode: p.mode ?? 'written',
      sortOrder,
    });
  }

  /**
   * The parts that are options of a choice (e.g. the round-2 format) exist in the exam once the
   * choice is made: the selected option's parts are added, the others removed (drafts only, so no
   * paper or score depends on them). A choice each candidate makes (perCandidate) keeps every option.
   */
  private async syncChoiceParts(examId: number): Promise<void> {
    const profile = this.effectiveProfile(this.examRow(examId));
    const existing = await this.repo.partCodes(examId);
    for (const [i, p] of profile.parts.entries()) {
      if (!p.choice || p.droppedWhen?.onComputer) continue;
      const def = profile.choices.find((c) => c.id === p.choice?.choiceId);
      const wanted = def?.perCandidate === true || (def?.selected != null && p.choice.options.includes(def.selected));
      if (wanted && !existing.has(p.id)) {
        await this.insertPart(examId, p, i);
      } else if (!wanted && existing.has(p.id)) {
        await this.repo.deletePart(examId, p.id);
      }
    }
  }

  overridesDiff(e: ExamRow): OverrideDiff[] {
    const profile = this.profileOf(e);
    return diffFromProfile(profile, this.effectiveProfile(e));
  }

  /** The exam's parts. Synchronous: delivery, proctor and results call it from synchronous code. */
  parts(examId: number): ExamPartDto[] {
    const counts = this.repo.paperCountsSync(examId);
    return this.repo.partsSync(examId).map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      subjectId: r.subjectId,
      mode: r.mode,
      round: r.round,
      questionCount: r.questionCount,
      durationMin: r.durationMin,
      scoreScale: r.scoreScale,
      passRule: passRuleValue(r.passRule),
      role: r.role,
      coefficient: r.coefficient,
      exemptibleBy: exemptibleByColumn.parse(r.exemptibleBy),
      blueprint: parseBlueprint(r.blueprint),
      sortOrder: r.sortOrder,
      bankVersion: r.bankVersion,
      papers: counts.get(r.id) ?? 0,
    }));
  }

  /** One part's row. Synchronous: delivery calls it from synchronous code. */
  partRow(partId: number) {
    const r = this.repo.partSync(partId);
    if (!r) throw notFound('phần thi', 'Exam part');
    return r;
  }

  /**
   * Edits a part. Values that the profile also defines (duration, question count, scale, role,
   * coefficient) are recorded as overrides, so the exam screen shows what differs from the rules.
   */
  async updatePart(
    actor: Actor,
    partId: number,
    body: {
      subjectId?: number | null;
      mode?: string;
      durationMin?: number;
      questionCount?: number;
      scoreScale?: number;
      role?: 'counted' | 'condition';
      coefficient?: number | null;
      blueprint?: Blueprint;
    },
  ): Promise<ExamPartDto> {
    const part = this.partRow(partId);
    const e = this.examRow(part.examId);
    this.assertDraft(e);
    if (body.blueprint) {
      const issues = blueprintIssues(body.blueprint);
      if (issues.length)
        throw new AppError(400, 'BLUEPRINT_INVALID', `Ma trận đề không hợp lệ: ${issues.join('; ')}`, 'Invalid blueprint');
    }
    if (body.subjectId != null && !(await this.repo.subjectExists(body.subjectId))) {
      throw new AppError(400, 'SUBJECT_UNKNOWN', 'Môn thi không tồn tại', 'Unknown subject');
    }
    const set: Partial<PartValues> = {
      ...(body.subjectId !== undefined && { subjectId: body.subjectId }),
      ...(body.mode != null && { mode: body.mode }),
      ...(body.durationMin != null && { durationMin: body.durationMin }),
      ...(body.questionCount != null && { questionCount: body.questionCount }),
      ...(body.scoreScale != null && { scoreScale: body.scoreScale }),
      ...(body.role != null && { role: body.role }),
      ...(body.coefficient !== undefined && { coefficient: body.coefficient }),
      ...(body.blueprint && { blueprint: JSON.stringify(body.blueprint) }),
    };
    // the values live in exam_parts only; the exam screen lists what differs from the profile
    await transaction(this.db, () => this.repo.updatePart(partId, set));
    const dto = this.parts(part.examId).find((p) => p.id === partId);
    if (!dto) throw notFound('phần thi', 'Exam part');
    return dto;
  }

  // ---------- positions ----------

  positions(examId: number) {
    return this.repo.positions(examId);
  }

  async addPosition(
    actor: Actor,
    examId: number,
    body: { code: string; name: string; quota: number; grade?: string | null },
  ): Promise<number> {
    const e = this.examRow(examId);
    this.assertDraft(e);
    if (e.kind === 'promotion' && !body.grade) {
      throw new AppError(
        400,
        'GRADE_REQUIRED',
        'Kỳ thi nâng ngạch cần chọn ngạch dự thi (01.001 … 01.005)',
        'Target grade required',
      );
    }
    return transaction(this.db, async () => {
      if (await this.repo.positionCodeTaken(examId, body.code.trim())) {
        throw new AppError(409, 'POSITION_CODE_TAKEN', `Mã vị trí "${body.code}" đã có`, 'Position code exists');
      }
      const id = await this.repo.insertPosition({
        examId,
        code: body.code.trim(),
        name: body.name.trim(),
        quota: body.quota,
        grade: body.grade ?? null,
      });
      appendAudit(this.db, { actor, action: 'exam.position.create', entity: 'exam_position', entityId: id, after: body });
      return id;
    });
  }

  // ---------- rooms, sittings, seats (seating.ts) ----------

  rooms(examId: number) {
    return this.seating.rooms(examId);
  }
  addRoom(...args: Parameters<Seating['addRoom']>) {
    return this.seating.addRoom(...args);
  }
  sittings(examId: number) {
    return this.seating.sittings(examId);
  }
  addSitting(...args: Parameters<Seating['addSitting']>) {
    return this.seating.addSitting(...args);
  }
  autoAssign(...args: Parameters<Seating['autoAssign']>) {
    return this.seating.autoAssign(...args);
  }
  moveSeat(...args: Parameters<Seating['moveSeat']>) {
    return this.seating.moveSeat(...args);
  }
  assignInvigilator(...args: Parameters<Seating['assignInvigilator']>) {
    return this.seating.assignInvigilator(...args);
  }

  // ---------- papers and readiness (readiness.ts) ----------

  bankMultiple(e: ExamRow): number {
    return this.readiness.bankMultiple(e);
  }
  computerParts(examId: number) {
    return this.readiness.computerParts(examId);
  }
  blueprintCheck(examId: number) {
    return this.readiness.blueprintCheck(examId);
  }
  generatePapers(...args: Parameters<Readiness['generatePapers']>) {
    return this.readiness.generatePapers(...args);
  }
  verifyPaper(...args: Parameters<Readiness['verifyPaper']>) {
    return this.readiness.verifyPaper(...args);
  }
  markReady(...args: Parameters<Readiness['markReady']>) {
    return this.readiness.markReady(...args);
  }
}

/** exam_parts.pass_rule as the part DTO carries it (unknown to the client; checked where scored). */
function passRuleValue(text: string): unknown {
  return JSON.parse(text);
}
