import { randomBytes } from 'node:crypto';
import {
  applyOverrides,
  type Blueprint,
  blueprintIssues,
  DEFAULT_TIME_ZONE,
  diffFromProfile,
  EXEMPTION_CODES,
  type ExamPartDto,
  type ExamStatus,
  type ExemptionCode,
  getProfile,
  isValidTimeZone,
  legalIssues,
  type OverrideDiff,
  type PassRule,
  type ProfileOverrides,
  type ProfilePart,
  profileInForce,
  type RegulationProfile,
} from '@exam/shared';
import type { Statement } from 'better-sqlite3';
import { type Actor, appendAudit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { StatementCache } from '../../db/statements.js';
import { AppError, notFound } from '../../plugins/errors.js';
import {
  checkPart,
  type GeneratedPart,
  generatePartPapers,
  type PartCheck,
  type PartRow,
  verifyPaper,
} from '../papers/papers.js';
import { renderExamViews } from './paperView.js';

export interface ExamRow {
  id: number;
  code: string;
  name: string;
  kind: string;
  profileId: string;
  overrides: string;
  organisingBody: string;
  status: ExamStatus;
  secret: string;
  examDate: string | null;
  timeZone: string;
  applicationDeadline: string | null;
  profileOutOfForceReason: string | null;
  frozenAt: string | null;
  createdAt: string;
}

/**
 * A profile not in force on the exam's date (its `effective` dates) needs the board's confirmation with
 * a reason: refused with PROFILE_NOT_IN_FORCE without one. Returns the reason to store (null when the
 * profile is in force or the exam has no date yet).
 */
function assertInForce(profile: RegulationProfile, examDate: string | undefined, reason: string | undefined): string | null {
  const f = profileInForce(profile, examDate);
  if (f.inForce !== false) return null;
  const why = reason?.trim() ?? '';
  if (!why)
    throw new AppError(
      409,
      'PROFILE_NOT_IN_FORCE',
      `${f.message} Hội đồng phải xác nhận và ghi lý do (ví dụ: kỳ tuyển dụng chuyển tiếp theo NĐ 170/2025 Điều 70).`,
      'The profile is not in force on the exam date; confirm with a reason',
      { effective: profile.effective },
    );
  return why;
}

/** Subject codes the sample banks use for each profile subject hint. */
const SUBJECT_FOR_HINT: Record<string, string[]> = { KTC: ['KTC'], NN: ['TA', 'NN'], TH: ['TH'] };

const PART_COLUMNS = `id, exam_id AS examId, code, name, subject_id AS subjectId, mode, round, question_count AS questionCount,
  duration_min AS durationMin, score_scale AS scoreScale, pass_rule AS passRule, role, coefficient,
  exemptible_by AS exemptibleBy, blueprint, sort_order AS sortOrder, bank_version AS bankVersion, frozen_pool AS frozenPool`;

export class ExamService {
  private readonly sqlite;
  private readonly stmts: StatementCache;
  constructor(private readonly db: Db) {
    this.sqlite = db.$client;
    this.stmts = new StatementCache(db.$client);
  }

  private stmt(sql: string): Statement {
    return this.stmts.get(sql);
  }

  // ---------- exams ----------

  examRow(id: number): ExamRow {
    const e = this.stmt(
      `SELECT id, code, name, kind, profile_id AS profileId, overrides, organising_body AS organisingBody, status, secret,
              exam_date AS examDate, time_zone AS timeZone, application_deadline AS applicationDeadline,
              profile_out_of_force_reason AS profileOutOfForceReason, frozen_at AS frozenAt, created_at AS createdAt
         FROM exams WHERE id = ?`,
    ).get(id) as ExamRow | undefined;
    if (!e) throw notFound('kỳ thi', 'Exam');
    return e;
  }

  profileOf(e: ExamRow): RegulationProfile {
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
    return withExamParts(base, this.partRules(e.id));
  }

  /** The rule columns of the exam's parts (raw rows). */
  private partRules(examId: number): PartRules[] {
    return this.stmt(
      `SELECT code, name, round, question_count AS questionCount, duration_min AS durationMin, score_scale AS scoreScale,
              pass_rule AS passRule, role, coefficient, exemptible_by AS exemptibleBy
         FROM exam_parts WHERE exam_id = ? ORDER BY sort_order, id`,
    ).all(examId) as PartRules[];
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

  list(): Omit<ExamRow, 'secret' | 'overrides'>[] {
    return this.stmt(
      `SELECT id, code, name, kind, profile_id AS profileId, organising_body AS organisingBody, status, exam_date AS examDate,
              time_zone AS timeZone, application_deadline AS applicationDeadline, profile_out_of_force_reason AS profileOutOfForceReason,
              frozen_at AS frozenAt, created_at AS createdAt FROM exams ORDER BY id DESC`,
    ).all() as Omit<ExamRow, 'secret' | 'overrides'>[];
  }

  create(
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
  ): number {
    if (body.timeZone !== undefined) assertTimeZone(body.timeZone);
    const profile = getProfile(body.profileId);
    if (!profile) {
      throw new AppError(400, 'PROFILE_UNKNOWN', `Không có quy chế "${body.profileId}"`, `Unknown profile ${body.profileId}`);
    }
    const outOfForce = assertInForce(profile, body.examDate, body.profileOutOfForceReason);
    const code = body.code.trim().toUpperCase();
    return this.sqlite.transaction(() => {
      if (this.stmt('SELECT 1 FROM exams WHERE code = ?').get(code)) {
        throw new AppError(409, 'EXAM_CODE_TAKEN', `Mã kỳ thi "${code}" đã tồn tại`, 'Exam code exists');
      }
      const id = Number(
        this.stmt(
          `INSERT INTO exams (code, name, kind, profile_id, organising_body, secret, exam_date, time_zone, created_by, application_deadline,
             profile_out_of_force_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          code,
          body.name.trim(),
          profile.kind,
          profile.id,
          body.organisingBody?.trim() ?? '',
          randomBytes(32).toString('hex'),
          body.examDate ?? null,
          body.timeZone ?? DEFAULT_TIME_ZONE,
          actor.id,
          body.applicationDeadline ?? null,
          outOfForce,
        ).lastInsertRowid,
      );
      profile.parts.forEach((p, i) => {
        if (p.droppedWhen?.onComputer || p.choice) return; // dropped on computer, or one option of a board choice
        this.insertPart(id, p, i);
      });
      this.syncChoiceParts(id);
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
    })();
  }

  update(
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
  ): void {
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
          `Giá trị điều chỉnh không hợp lệ: ${(err as Error).message}`,
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
    this.sqlite.transaction(() => {
      this.stmt(
        `UPDATE exams SET name = coalesce(?, name), organising_body = coalesce(?, organising_body), exam_date = coalesce(?, exam_date),
           time_zone = coalesce(?, time_zone), overrides = coalesce(?, overrides), application_deadline = coalesce(?, application_deadline),
           profile_out_of_force_reason = coalesce(?, profile_out_of_force_reason) WHERE id = ?`,
      ).run(
        body.name ?? null,
        body.organisingBody ?? null,
        body.examDate ?? null,
        body.timeZone ?? null,
        body.overrides ? JSON.stringify(withoutParts(body.overrides)) : null,
        body.applicationDeadline ?? null,
        outOfForce,
        id,
      );
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
        this.syncPartsFrom(id, merged, body.overrides.parts ?? []);
        this.syncChoiceParts(id);
      }
      appendAudit(this.db, { actor, action: 'exam.update', entity: 'exam', entityId: id, before: e, after: body });
    })();
  }

  /** Writes the parts an override touched into exam_parts: changed values, new parts, removed parts. */
  private syncPartsFrom(examId: number, merged: RegulationProfile, patches: readonly { id: string; remove?: boolean }[]): void {
    const existing = new Set(this.stmt('SELECT code FROM exam_parts WHERE exam_id = ?').pluck().all(examId) as string[]);
    for (const patch of patches) {
      const part = merged.parts.find((p) => p.id === patch.id);
      if (patch.remove === true || !part) {
        this.stmt('DELETE FROM exam_parts WHERE exam_id = ? AND code = ?').run(examId, patch.id);
        continue;
      }
      if (!existing.has(part.id)) {
        if (part.choice || part.droppedWhen?.onComputer) continue;
        this.insertPart(examId, part, merged.parts.indexOf(part));
        continue;
      }
      this.stmt(
        `UPDATE exam_parts SET name = ?, round = ?, question_count = ?, duration_min = ?, score_scale = ?, pass_rule = ?, role = ?,
           coefficient = ?, exemptible_by = ? WHERE exam_id = ? AND code = ?`,
      ).run(
        part.name.vi,
        part.round,
        part.questionCount,
        part.durationMin,
        part.scoreScale,
        JSON.stringify(part.passRule),
        part.role,
        part.coefficient,
        JSON.stringify(part.exemptibleBy),
        examId,
        part.id,
      );
    }
  }

  /** An exam part from the profile's part (its subject guessed from the part's subject hint). */
  private insertPart(examId: number, p: RegulationProfile['parts'][number], sortOrder: number): void {
    const subjects = this.stmt('SELECT id, code FROM subjects').all() as { id: number; code: string }[];
    const subject = subjects.find((x) => (SUBJECT_FOR_HINT[p.subject] ?? []).includes(x.code));
    this.stmt(
      `INSERT INTO exam_parts (exam_id, code, name, subject_id, mode, round, question_count, duration_min, score_scale, pass_rule,
         role, coefficient, exemptible_by, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      examId,
      p.id,
      p.name.vi,
      subject?.id ?? null,
      p.mode ?? 'written',
      p.round,
      p.questionCount,
      p.durationMin,
      p.scoreScale,
      JSON.stringify(p.passRule),
      p.role,
      p.coefficient,
      JSON.stringify(p.exemptibleBy),
      sortOrder,
    );
  }

  /**
   * The parts that are options of a choice (e.g. the round-2 format) exist in the exam once the
   * choice is made: the selected option's parts are added, the others removed (drafts only, so no
   * paper or score depends on them). A choice each candidate makes (perCandidate) keeps every option.
   */
  private syncChoiceParts(examId: number): void {
    const profile = this.effectiveProfile(this.examRow(examId));
    const existing = new Set(this.stmt('SELECT code FROM exam_parts WHERE exam_id = ?').pluck().all(examId) as string[]);
    profile.parts.forEach((p, i) => {
      if (!p.choice || p.droppedWhen?.onComputer) return;
      const def = profile.choices.find((c) => c.id === p.choice?.choiceId);
      const wanted = def?.perCandidate === true || (def?.selected != null && p.choice.options.includes(def.selected));
      if (wanted && !existing.has(p.id)) {
        this.insertPart(examId, p, i);
      } else if (!wanted && existing.has(p.id)) {
        this.stmt('DELETE FROM exam_parts WHERE exam_id = ? AND code = ?').run(examId, p.id);
      }
    });
  }

  overridesDiff(e: ExamRow): OverrideDiff[] {
    const profile = this.profileOf(e);
    return diffFromProfile(profile, this.effectiveProfile(e));
  }

  parts(examId: number): ExamPartDto[] {
    const rows = this.stmt(`SELECT ${PART_COLUMNS} FROM exam_parts WHERE exam_id = ? ORDER BY sort_order, id`).all(
      examId,
    ) as (PartRow & {
      round: number;
      durationMin: number | null;
      scoreScale: number;
      passRule: string;
      role: string;
      coefficient: number | null;
      sortOrder: number;
    })[];
    const counts = new Map(
      (
        this.stmt(
          'SELECT part_id AS partId, COUNT(*) AS n FROM papers WHERE part_id IN (SELECT id FROM exam_parts WHERE exam_id = ?) GROUP BY part_id',
        ).all(examId) as { partId: number; n: number }[]
      ).map((r) => [r.partId, r.n]),
    );
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      subjectId: r.subjectId,
      mode: r.mode,
      round: r.round,
      questionCount: r.questionCount,
      durationMin: r.durationMin,
      scoreScale: r.scoreScale,
      passRule: JSON.parse(r.passRule) as unknown,
      role: r.role,
      coefficient: r.coefficient,
      exemptibleBy: JSON.parse(r.exemptibleBy) as string[],
      blueprint: JSON.parse(r.blueprint) as Blueprint,
      sortOrder: r.sortOrder,
      bankVersion: r.bankVersion,
      papers: counts.get(r.id) ?? 0,
    }));
  }

  partRow(partId: number): PartRow {
    const r = this.stmt(`SELECT ${PART_COLUMNS} FROM exam_parts WHERE id = ?`).get(partId) as PartRow | undefined;
    if (!r) throw notFound('phần thi', 'Exam part');
    return r;
  }

  /**
   * Edits a part. Values that the profile also defines (duration, question count, scale, role,
   * coefficient) are recorded as overrides, so the exam screen shows what differs from the rules.
   */
  updatePart(
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
  ): ExamPartDto {
    const part = this.partRow(partId);
    const e = this.examRow(part.examId);
    this.assertDraft(e);
    if (body.blueprint) {
      const issues = blueprintIssues(body.blueprint);
      if (issues.length)
        throw new AppError(400, 'BLUEPRINT_INVALID', `Ma trận đề không hợp lệ: ${issues.join('; ')}`, 'Invalid blueprint');
    }
    if (body.subjectId != null && !this.stmt('SELECT 1 FROM subjects WHERE id = ?').get(body.subjectId)) {
      throw new AppError(400, 'SUBJECT_UNKNOWN', 'Môn thi không tồn tại', 'Unknown subject');
    }
    this.sqlite.transaction(() => {
      this.stmt(
        `UPDATE exam_parts SET subject_id = CASE WHEN @setSubject THEN @subjectId ELSE subject_id END, mode = coalesce(@mode, mode),
           duration_min = coalesce(@durationMin, duration_min), question_count = coalesce(@questionCount, question_count),
           score_scale = coalesce(@scoreScale, score_scale), role = coalesce(@role, role),
           coefficient = CASE WHEN @setCoef THEN @coefficient ELSE coefficient END, blueprint = coalesce(@blueprint, blueprint)
         WHERE id = @id`,
      ).run({
        id: partId,
        setSubject: body.subjectId !== undefined ? 1 : 0,
        subjectId: body.subjectId ?? null,
        mode: body.mode ?? null,
        durationMin: body.durationMin ?? null,
        questionCount: body.questionCount ?? null,
        scoreScale: body.scoreScale ?? null,
        role: body.role ?? null,
        setCoef: body.coefficient !== undefined ? 1 : 0,
        coefficient: body.coefficient ?? null,
        blueprint: body.blueprint ? JSON.stringify(body.blueprint) : null,
      });
      // the values live in exam_parts only; the exam screen lists what differs from the profile
    })();
    const dto = this.parts(part.examId).find((p) => p.id === partId);
    if (!dto) throw notFound('phần thi', 'Exam part');
    return dto;
  }

  // ---------- positions ----------

  positions(
    examId: number,
  ): { id: number; code: string; name: string; quota: number; grade: string | null; candidates: number }[] {
    return this.stmt(
      `SELECT p.id, p.code, p.name, p.quota, p.grade, (SELECT COUNT(*) FROM candidates c WHERE c.position_id = p.id) AS candidates
         FROM exam_positions p WHERE p.exam_id = ? ORDER BY p.code`,
    ).all(examId) as { id: number; code: string; name: string; quota: number; grade: string | null; candidates: number }[];
  }

  addPosition(actor: Actor, examId: number, body: { code: string; name: string; quota: number; grade?: string | null }): number {
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
    return this.sqlite.transaction(() => {
      if (this.stmt('SELECT 1 FROM exam_positions WHERE exam_id = ? AND code = ?').get(examId, body.code.trim())) {
        throw new AppError(409, 'POSITION_CODE_TAKEN', `Mã vị trí "${body.code}" đã có`, 'Position code exists');
      }
      const id = Number(
        this.stmt('INSERT INTO exam_positions (exam_id, code, name, quota, grade) VALUES (?, ?, ?, ?, ?)').run(
          examId,
          body.code.trim(),
          body.name.trim(),
          body.quota,
          body.grade ?? null,
        ).lastInsertRowid,
      );
      appendAudit(this.db, { actor, action: 'exam.position.create', entity: 'exam_position', entityId: id, after: body });
      return id;
    })();
  }

  // ---------- rooms, sittings, seats ----------

  rooms(examId: number): { id: number; code: string; name: string; location: string; seats: number; seatsPerRow: number }[] {
    return this.stmt(
      'SELECT id, code, name, location, seats, seats_per_row AS seatsPerRow FROM rooms WHERE exam_id = ? ORDER BY code',
    ).all(examId) as { id: number; code: string; name: string; location: string; seats: number; seatsPerRow: number }[];
  }

  addRoom(
    actor: Actor,
    examId: number,
    body: { code: string; name: string; location?: string; seats: number; seatsPerRow?: number },
  ): number {
    this.assertDraft(this.examRow(examId));
    return this.sqlite.transaction(() => {
      if (this.stmt('SELECT 1 FROM rooms WHERE exam_id = ? AND code = ?').get(examId, body.code.trim())) {
        throw new AppError(409, 'ROOM_CODE_TAKEN', `Mã phòng "${body.code}" đã có`, 'Room code exists');
      }
      const id = Number(
        this.stmt('INSERT INTO rooms (exam_id, code, name, location, seats, seats_per_row) VALUES (?, ?, ?, ?, ?, ?)').run(
          examId,
          body.code.trim(),
          body.name.trim(),
          body.location ?? '',
          body.seats,
          body.seatsPerRow ?? 6,
        ).lastInsertRowid,
      );
      appendAudit(this.db, { actor, action: 'exam.room.create', entity: 'room', entityId: id, after: body });
      return id;
    })();
  }

  sittings(examId: number): { id: number; name: string; startsAt: string; partIds: number[]; assigned: number }[] {
    return (
      this.stmt(
        `SELECT s.id, s.name, s.starts_at AS startsAt, s.part_ids AS partIds,
                (SELECT COUNT(*) FROM seat_assignments a WHERE a.sitting_id = s.id) AS assigned
           FROM sittings s WHERE s.exam_id = ? ORDER BY s.starts_at, s.id`,
      ).all(examId) as { id: number; name: string; startsAt: string; partIds: string; assigned: number }[]
    ).map((s) => ({ ...s, partIds: JSON.parse(s.partIds) as number[] }));
  }

  addSitting(actor: Actor, examId: number, body: { name: string; startsAt: string; partIds: number[] }): number {
    this.assertDraft(this.examRow(examId));
    const own = new Set(this.parts(examId).map((p) => p.id));
    const foreign = body.partIds.filter((p) => !own.has(p));
    if (foreign.length || body.partIds.length === 0) {
      throw new AppError(
        400,
        'SITTING_PARTS_INVALID',
        'Ca thi phải gồm ít nhất một phần thi của kỳ thi này',
        'Invalid sitting parts',
      );
    }
    if (Number.isNaN(Date.parse(body.startsAt))) {
      throw new AppError(400, 'SITTING_TIME_INVALID', 'Thời gian bắt đầu ca thi không hợp lệ', 'Invalid start time');
    }
    return this.sqlite.transaction(() => {
      const id = Number(
        this.stmt('INSERT INTO sittings (exam_id, name, starts_at, part_ids) VALUES (?, ?, ?, ?)').run(
          examId,
          body.name.trim(),
          new Date(body.startsAt).toISOString(),
          JSON.stringify(body.partIds),
        ).lastInsertRowid,
      );
      appendAudit(this.db, { actor, action: 'exam.sitting.create', entity: 'sitting', entityId: id, after: body });
      return id;
    })();
  }

  /**
   * Places every candidate of the exam into the sitting's rooms, balanced: rooms are filled in
   * turn (round robin) so that their head counts differ by at most one, in candidate-number order;
   * existing assignments of the sitting are replaced.
   */
  autoAssign(actor: Actor, sittingId: number): { assigned: number; perRoom: Record<string, number> } {
    const s = this.stmt('SELECT id, exam_id AS examId FROM sittings WHERE id = ?').get(sittingId) as
      | { id: number; examId: number }
      | undefined;
    if (!s) throw notFound('ca thi', 'Sitting');
    this.assertDraft(this.examRow(s.examId));
    const rooms = this.rooms(s.examId);
    const cands = this.stmt('SELECT id FROM candidates WHERE exam_id = ? ORDER BY number').all(s.examId) as { id: number }[];
    const capacity = rooms.reduce((n, r) => n + r.seats, 0);
    if (rooms.length === 0 || capacity < cands.length) {
      throw new AppError(
        409,
        'ROOMS_TOO_SMALL',
        `Các phòng thi có ${capacity} chỗ, không đủ cho ${cands.length} thí sinh`,
        'Not enough seats',
        { capacity, candidates: cands.length },
      );
    }
    // balanced targets: proportional to seats, then even out
    const targets = rooms.map((r) => Math.floor((cands.length * r.seats) / capacity));
    let rest = cands.length - targets.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % rooms.length) {
      const room = rooms[i];
      if (room && (targets[i] ?? 0) < room.seats) {
        targets[i] = (targets[i] ?? 0) + 1;
        rest--;
      }
    }
    return this.sqlite.transaction(() => {
      this.stmt('DELETE FROM seat_assignments WHERE sitting_id = ?').run(sittingId);
      const ins = this.stmt('INSERT INTO seat_assignments (sitting_id, room_id, seat_no, candidate_id) VALUES (?, ?, ?, ?)');
      let k = 0;
      const perRoom: Record<string, number> = {};
      rooms.forEach((r, i) => {
        const n = targets[i] ?? 0;
        for (let seat = 1; seat <= n; seat++) {
          const c = cands[k++];
          if (c) ins.run(sittingId, r.id, seat, c.id);
        }
        perRoom[r.code] = n;
      });
      appendAudit(this.db, { actor, action: 'exam.seats.assign', entity: 'sitting', entityId: sittingId, after: perRoom });
      return { assigned: k, perRoom };
    })();
  }

  moveSeat(actor: Actor, sittingId: number, candidateId: number, roomId: number, seatNo: number): void {
    const s = this.stmt('SELECT exam_id AS examId FROM sittings WHERE id = ?').get(sittingId) as { examId: number } | undefined;
    if (!s) throw notFound('ca thi', 'Sitting');
    this.assertDraft(this.examRow(s.examId));
    const room = this.rooms(s.examId).find((r) => r.id === roomId);
    if (!room || seatNo < 1 || seatNo > room.seats) {
      throw new AppError(400, 'SEAT_INVALID', 'Phòng hoặc số máy không hợp lệ', 'Invalid room or seat');
    }
    const taken = this.stmt(
      'SELECT candidate_id AS c FROM seat_assignments WHERE sitting_id = ? AND room_id = ? AND seat_no = ?',
    ).get(sittingId, roomId, seatNo) as { c: number } | undefined;
    if (taken && taken.c !== candidateId) {
      throw new AppError(409, 'SEAT_TAKEN', `Máy số ${seatNo} của phòng ${room.name} đã có thí sinh`, 'Seat taken');
    }
    this.sqlite.transaction(() => {
      this.stmt('DELETE FROM seat_assignments WHERE sitting_id = ? AND candidate_id = ?').run(sittingId, candidateId);
      this.stmt('INSERT INTO seat_assignments (sitting_id, room_id, seat_no, candidate_id) VALUES (?, ?, ?, ?)').run(
        sittingId,
        roomId,
        seatNo,
        candidateId,
      );
      appendAudit(this.db, {
        actor,
        action: 'exam.seats.move',
        entity: 'candidate',
        entityId: candidateId,
        after: { sittingId, roomId, seatNo },
      });
    })();
  }

  assignInvigilator(actor: Actor, sittingId: number, roomId: number, userId: number): void {
    const u = this.stmt('SELECT roles FROM users WHERE id = ? AND active = 1').get(userId) as { roles: string } | undefined;
    if (!u || !(JSON.parse(u.roles) as string[]).includes('invigilator')) {
      throw new AppError(400, 'NOT_INVIGILATOR', 'Tài khoản không có vai trò giám thị', 'User is not an invigilator');
    }
    this.sqlite.transaction(() => {
      this.stmt('INSERT OR IGNORE INTO room_invigilators (sitting_id, room_id, user_id) VALUES (?, ?, ?)').run(
        sittingId,
        roomId,
        userId,
      );
      appendAudit(this.db, {
        actor,
        action: 'exam.invigilator.assign',
        entity: 'room',
        entityId: roomId,
        after: { sittingId, userId },
      });
    })();
  }

  // ---------- papers ----------

  bankMultiple(e: ExamRow): number {
    return this.effectiveProfile(e).bankMultiple ?? 1;
  }

  computerParts(examId: number): PartRow[] {
    return this.stmt(
      `SELECT ${PART_COLUMNS} FROM exam_parts WHERE exam_id = ? AND mode = 'computer_mc' ORDER BY sort_order, id`,
    ).all(examId) as PartRow[];
  }

  blueprintCheck(examId: number): { ok: boolean; multiple: number; parts: PartCheck[] } {
    const e = this.examRow(examId);
    const multiple = this.bankMultiple(e);
    const parts = this.computerParts(examId).map((p) => checkPart(this.db, p, multiple));
    return { ok: parts.every((p) => p.problems.length === 0 && p.shortfalls.length === 0), multiple, parts };
  }

  async generatePapers(examId: number, progress: (done: number, total: number) => void): Promise<GeneratedPart[]> {
    const e = this.examRow(examId);
    this.assertDraft(e);
    const parts = this.computerParts(examId);
    const n = (this.stmt('SELECT COUNT(*) AS n FROM candidates WHERE exam_id = ?').get(examId) as { n: number }).n;
    const total = n * parts.length;
    const out: GeneratedPart[] = [];
    for (const [i, p] of parts.entries()) {
      out.push(await generatePartPapers(this.db, e, p, this.bankMultiple(e), (d) => progress(i * n + d, total)));
    }
    progress(total, total);
    return out;
  }

  verifyPaper(examId: number, partId: number, candidateId: number) {
    const e = this.examRow(examId);
    const part = this.partRow(partId);
    if (part.examId !== examId) throw notFound('phần thi', 'Exam part');
    return verifyPaper(this.db, e, part, candidateId);
  }

  /** draft → ready: every computer part covered by the bank and every candidate holding a paper; then frozen. */
  markReady(actor: Actor, examId: number): void {
    const e = this.examRow(examId);
    if (e.status !== 'draft')
      throw new AppError(409, 'INVALID_TRANSITION', 'Chỉ kỳ thi ở trạng thái nháp mới chuyển sang sẵn sàng', 'Not a draft');
    const check = this.blueprintCheck(examId);
    if (!check.ok) {
      const lines = check.parts.flatMap((p) => [...p.problems, ...p.shortfalls.map((s) => `${p.name}: ${s.message}`)]);
      throw new AppError(409, 'BLUEPRINT_SHORTFALL', `Chưa thể sẵn sàng: ${lines.join('; ')}`, 'Blueprint not covered', check);
    }
    const missing = this.stmt(
      `SELECT p.name, COUNT(*) AS n FROM candidates c JOIN exam_parts p ON p.exam_id = c.exam_id AND p.mode = 'computer_mc'
        WHERE c.exam_id = ? AND NOT EXISTS (SELECT 1 FROM papers x WHERE x.part_id = p.id AND x.candidate_id = c.id)
          AND NOT EXISTS (SELECT 1 FROM json_each(c.exemptions) ce JOIN json_each(p.exemptible_by) pe ON ce.value = pe.value)
        GROUP BY p.id`,
    ).all(examId) as { name: string; n: number }[];
    if (missing.length) {
      throw new AppError(
        409,
        'PAPERS_MISSING',
        `Còn thí sinh chưa có đề: ${missing.map((m) => `${m.name} (${m.n})`).join(', ')}. Hãy tạo đề thi.`,
        'Some candidates have no paper',
        missing,
      );
    }
    this.sqlite.transaction(() => {
      this.stmt("UPDATE exams SET status = 'ready', frozen_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?").run(examId);
      // each candidate's view of each paper is rendered once, here, and served as stored bytes (issue 15)
      renderExamViews(this.db, examId);
      appendAudit(this.db, {
        actor,
        action: 'exam.ready',
        entity: 'exam',
        entityId: examId,
        before: { status: 'draft' },
        after: { status: 'ready' },
      });
    })();
  }
}

interface PartRules {
  code: string;
  name: string;
  round: number;
  questionCount: number | null;
  durationMin: number | null;
  scoreScale: number;
  passRule: string;
  role: string;
  coefficient: number | null;
  exemptibleBy: string;
}

function assertTimeZone(zone: string): void {
  if (!isValidTimeZone(zone))
    throw new AppError(
      400,
      'TIME_ZONE_INVALID',
      `Múi giờ "${zone}" không hợp lệ (ví dụ đúng: Asia/Ho_Chi_Minh)`,
      `Unknown time zone "${zone}" (e.g. Asia/Ho_Chi_Minh)`,
    );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The exams.overrides column, checked once: an object (the deep-partial profile). */
function parseOverrides(json: string): ProfileOverrides {
  const v: unknown = JSON.parse(json);
  return isObject(v) ? v : {};
}

function withoutParts(o: ProfileOverrides): ProfileOverrides {
  const { parts: _parts, ...rest } = o;
  return rest;
}

function parsePassRule(json: string): PassRule | null {
  const v: unknown = JSON.parse(json);
  if (!isObject(v)) return null;
  if (v.kind === 'none') return { kind: 'none' };
  if (v.kind === 'min_percent' && typeof v.percent === 'number') return { kind: 'min_percent', percent: v.percent };
  if (v.kind === 'min_score' && typeof v.score === 'number') return { kind: 'min_score', score: v.score };
  return null;
}

function parseExemptions(json: string): ExemptionCode[] {
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? v.filter((x): x is ExemptionCode => (EXEMPTION_CODES as readonly unknown[]).includes(x)) : [];
}

/**
 * The profile's parts with the exam's values from exam_parts. A profile part with no row is kept
 * only when it is an unchosen option of a choice or dropped on computer (the rules decide); otherwise
 * the board removed it. A row with no profile part is a part the board added.
 */
export function withExamParts(profile: RegulationProfile, rows: readonly PartRules[]): RegulationProfile {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const apply = (p: ProfilePart, r: PartRules): ProfilePart => ({
    ...p,
    name: r.name === p.name.vi ? p.name : { vi: r.name, en: p.name.en },
    round: r.round,
    questionCount: r.questionCount,
    durationMin: r.durationMin,
    scoreScale: r.scoreScale,
    passRule: parsePassRule(r.passRule) ?? p.passRule,
    role: r.role === 'condition' ? 'condition' : 'counted',
    coefficient: r.coefficient,
    exemptibleBy: parseExemptions(r.exemptibleBy),
  });
  const parts: ProfilePart[] = [];
  for (const p of profile.parts) {
    const r = byCode.get(p.id);
    if (r) parts.push(apply(p, r));
    else if (p.choice || p.droppedWhen?.onComputer) parts.push(p);
  }
  const known = new Set(profile.parts.map((p) => p.id));
  for (const r of rows) {
    if (known.has(r.code)) continue;
    parts.push(
      apply(
        {
          id: r.code,
          name: { vi: r.name, en: r.name },
          subject: 'KTC',
          round: r.round,
          mode: null,
          questionCount: null,
          durationMin: null,
          scoreScale: 100,
          passRule: { kind: 'none' },
          role: 'counted',
          coefficient: null,
          exemptibleBy: [],
          droppedWhen: null,
          appliesToGrades: null,
          choice: null,
          source: 'Hội đồng thi quy định',
        },
        r,
      ),
    );
  }
  return { ...profile, parts };
}
