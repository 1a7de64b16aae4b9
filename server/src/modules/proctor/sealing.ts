import type { IncidentDto, RoomRefDto } from '@exam/shared';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { auditAnchor, canonicalJson } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { AppError } from '../../plugins/errors.js';
import type { ProctorExportRepo } from './exportRepo.js';
import type { ProctorRepo } from './repo.js';

/** What the export and the documents need of a sitting. */
export interface SittingDoc {
  examId: number;
  examName: string;
  examCode: string;
  organisingBody: string;
  timeZone: string;
  name: string;
  startsAt: string;
  parts: { id: number; name: string }[];
}

/** Builds the sitting's data export: every attempt with its events, answers and flags, and the incident log. */
export async function buildExport(
  repo: ProctorExportRepo,
  db: Db,
  s: SittingDoc,
  sittingId: number,
  sealedAt: number,
  sealedBy: string,
  incidents: IncidentDto[],
) {
  let attemptCount = 0;
  let answerCount = 0;
  const out = [];
  for (const c of await repo.exportCandidates(sittingId)) {
    const attempts = [];
    for (const a of await repo.exportAttempts(sittingId, c.id)) {
      attemptCount++;
      const answers = await repo.exportAnswers(a.id);
      answerCount += answers.length;
      attempts.push({
        ...a,
        events: await repo.exportEvents(a.id),
        answers,
        flags: await repo.exportFlags(a.id),
      });
    }
    out.push({ ...c, absentParts: await repo.absentParts(sittingId, c.id), attempts });
  }
  const doc = {
    format: 'vn-exam-sitting-export',
    version: 2,
    exam: { id: s.examId, code: s.examCode, name: s.examName, organisingBody: s.organisingBody },
    sitting: { id: sittingId, name: s.name, startsAt: s.startsAt, timeZone: s.timeZone },
    rooms: await repo.closures(sittingId),
    sealedAt: new Date(sealedAt).toISOString(),
    sealedBy,
    // the audit chain's anchor at sealing (issue 14): check it later at GET /api/audit/verify?anchor=
    auditAnchor: auditAnchor(db).text,
    candidates: out,
    sanctions: await repo.exportSanctions(sittingId),
    incidents,
  };
  return { data: Buffer.from(canonicalJson(doc), 'utf8'), attempts: attemptCount, answers: answerCount };
}

export interface SheetAttempt {
  partId: number;
  status: string;
  correct: number | null;
  total: number | null;
  score: number | null;
  passed: number | null;
}

/** What the minutes and the result sheet print. */
export interface ProctorDocumentData {
  exam: { name: string; code: string; organisingBody: string };
  timeZone: string;
  sitting: { name: string; startsAt: string };
  room: { code: string; name: string; location: string };
  parts: { id: number; name: string }[];
  invigilators: string[];
  sealed: RoomRefDto['sealed'];
  incidents: IncidentDto[];
  rows: {
    seatNo: number;
    id: number;
    number: string;
    fullName: string;
    dateOfBirth: string;
    suspended: boolean;
    absentParts: number[];
    attempts: SheetAttempt[];
  }[];
}

/** What the minutes print (live: the incident log grows until the room closes). */
export async function documentData(
  repo: ProctorRepo,
  s: SittingDoc,
  ref: RoomRefDto,
  incidents: IncidentDto[],
): Promise<ProctorDocumentData> {
  const { sittingId, roomId } = ref;
  const seats = await repo.seatRows(sittingId, roomId, null);
  const scores = await repo.roomAttempts(sittingId, roomId, null);
  const absent = await repo.roomAbsences(sittingId, roomId);
  const suspended = await repo.suspendedIn(sittingId, roomId);
  return {
    exam: { name: s.examName, code: s.examCode, organisingBody: s.organisingBody },
    timeZone: s.timeZone,
    sitting: { name: s.name, startsAt: s.startsAt },
    room: { code: ref.roomCode, name: ref.roomName, location: await repo.roomLocation(roomId) },
    parts: s.parts.map((p) => ({ id: p.id, name: p.name })),
    invigilators: await repo.invigilatorNames(sittingId, roomId),
    sealed: ref.sealed,
    incidents,
    rows: seats.map((r) => ({
      seatNo: r.seatNo,
      id: r.id,
      number: r.number,
      fullName: r.fullName,
      dateOfBirth: r.dateOfBirth,
      suspended: suspended.has(r.id),
      absentParts: absent.filter((a) => a.candidateId === r.id).map((a) => a.partId),
      attempts: scores
        .filter((a) => a.candidateId === r.id)
        .map((a) => ({
          partId: a.partId,
          status: a.status,
          correct: a.correct,
          total: a.total,
          score: a.score,
          passed: a.passed === null ? null : a.passed ? 1 : 0,
        })),
    })),
  };
}

/**
 * What the room's result sheet prints, read from the sealed file itself (not from the live
 * tables), so the sheet and the file under its SHA-256 cannot disagree.
 */
export function resultSheetData(live: ProctorDocumentData, file: { data: Buffer; sha256: string }): ProctorDocumentData {
  const doc = parseSealedExport(file.data);
  const rows = doc.candidates
    .filter((c) => c.roomCode === live.room.code)
    .map((c) => ({
      seatNo: c.seatNo,
      id: c.id,
      number: c.number,
      fullName: c.fullName,
      dateOfBirth: c.dateOfBirth,
      suspended: doc.sanctions.some((x) => x.candidateId === c.id && x.code === 'dinh_chi'),
      absentParts: c.absentParts,
      attempts: c.attempts.map((a) => ({
        partId: a.partId,
        status: a.status,
        correct: a.correct,
        total: a.total,
        score: a.score,
        passed: a.passed === null ? null : a.passed ? 1 : 0,
      })),
    }));
  return {
    ...live,
    sitting: { name: doc.sitting.name, startsAt: doc.sitting.startsAt },
    sealed: { sha256: file.sha256, sealedAt: Date.parse(doc.sealedAt) },
    rows,
  };
}

const Num = Type.Union([Type.Number(), Type.Null()]);
/** The parts of a sealed export (format vn-exam-sitting-export) the result sheet reads; checked when read back. */
const SealedExportRows = Type.Object({
  sealedAt: Type.String(),
  sitting: Type.Object({ name: Type.String(), startsAt: Type.String() }),
  candidates: Type.Array(
    Type.Object({
      id: Type.Integer(),
      number: Type.String(),
      fullName: Type.String(),
      dateOfBirth: Type.String(),
      roomCode: Type.String(),
      seatNo: Type.Integer(),
      absentParts: Type.Array(Type.Integer()),
      attempts: Type.Array(
        Type.Object({
          partId: Type.Integer(),
          status: Type.String(),
          correct: Num,
          total: Num,
          score: Num,
          passed: Type.Union([Type.Boolean(), Type.Null()]),
        }),
      ),
    }),
  ),
  sanctions: Type.Array(Type.Object({ candidateId: Type.Integer(), code: Type.String() })),
});

export function parseSealedExport(data: Buffer): Static<typeof SealedExportRows> {
  const doc: unknown = JSON.parse(data.toString('utf8'));
  if (!Value.Check(SealedExportRows, doc))
    throw new AppError(
      500,
      'SEALED_EXPORT_INVALID',
      'Tệp dữ liệu ca thi đã niêm phong không đọc được',
      'The sealed export cannot be read',
    );
  return doc;
}
