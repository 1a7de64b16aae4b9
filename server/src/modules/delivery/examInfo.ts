import type { ExamPartDto, RegulationProfile } from '@exam/shared';
import type { ExamService } from '../exams/service.js';
import { exemptibleByColumn, partIdsColumn } from './repo.js';

/** An exam's set-up as delivery reads it: fixed once the exam is ready, so cached briefly. */
export interface ExamInfo {
  examRow: ReturnType<ExamService['examRow']>;
  profile: RegulationProfile;
  parts: ExamPartDto[];
  partRows: Map<number, ReturnType<ExamService['partRow']>>;
  /** each part's exemption codes, parsed once */
  exemptibleBy: Map<number, string[]>;
  loadedAt: number;
}

/** How long an exam's set-up is reused (a ready exam's set-up is frozen; the status may move on). */
const EXAM_INFO_TTL_MS = 10_000;

/** The exams' set-up, read through the exams service and reused for EXAM_INFO_TTL_MS. */
export class ExamInfoCache {
  private readonly infos = new Map<number, ExamInfo>();
  /** a sitting's part list, parsed once per distinct text (a sitting's candidates share it) */
  private readonly partLists = new Map<string, number[]>();

  constructor(private readonly exams: ExamService) {}

  get(examId: number): ExamInfo {
    const now = Date.now();
    const hit = this.infos.get(examId);
    if (hit && now - hit.loadedAt < EXAM_INFO_TTL_MS) return hit;
    const examRow = this.exams.examRow(examId);
    const parts = this.exams.parts(examId);
    const partRows = new Map(parts.map((p) => [p.id, this.exams.partRow(p.id)]));
    const info: ExamInfo = {
      examRow,
      profile: this.exams.effectiveProfile(examRow),
      parts,
      partRows,
      exemptibleBy: new Map([...partRows].map(([id, r]) => [id, exemptibleByColumn.parse(r.exemptibleBy)])),
      loadedAt: now,
    };
    this.infos.set(examId, info);
    return info;
  }

  /** A part outside the cached set-up (not expected: every part of a sitting is one of its exam's). */
  partRow(partId: number): ReturnType<ExamService['partRow']> {
    return this.exams.partRow(partId);
  }

  /** sittings.part_ids, parsed and checked once per distinct value. */
  partIds(text: string): number[] {
    let hit = this.partLists.get(text);
    if (!hit) {
      hit = partIdsColumn.parse(text);
      if (this.partLists.size > 1000) this.partLists.clear();
      this.partLists.set(text, hit);
    }
    return hit;
  }
}

export interface SittingClock {
  startsAt: string;
  openedAt: string | null;
  roomOpenedAt: number | null;
}

/** Open: an invigilator opened the room (or the whole sitting), or the scheduled time has come. */
export function sittingOpen(s: SittingClock, now: number): boolean {
  return s.roomOpenedAt !== null || s.openedAt !== null || now >= Date.parse(s.startsAt);
}

/**
 * When the sitting's clock starts in a room (fixed-window mode): the invigilator's opening if the
 * room was opened by hand, else the sitting's opening, else the scheduled time.
 */
export function windowStart(s: SittingClock): number {
  const scheduled = Date.parse(s.startsAt);
  if (s.roomOpenedAt !== null) return Math.min(s.roomOpenedAt, scheduled);
  if (s.openedAt !== null) return Math.min(Date.parse(s.openedAt), scheduled);
  return scheduled;
}

/** The clock of a part starts after the earlier computer parts of the sitting. */
export function partWindowStart(s: SittingClock, partIds: readonly number[], partId: number, parts: ExamPartDto[]): number {
  let start = windowStart(s);
  for (const pid of partIds) {
    if (pid === partId) break;
    const earlier = parts.find((p) => p.id === pid);
    if (earlier?.mode === 'computer_mc') start += (earlier.durationMin ?? 0) * 60_000;
  }
  return start;
}
