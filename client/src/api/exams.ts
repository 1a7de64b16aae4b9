import type {
  AssignResult,
  BlueprintCell,
  BlueprintShortfall,
  CandidateDto,
  CandidateImportReport,
  ExamKind,
  ExamListItem,
  ExamPartDto,
  ExamStatus,
  GradeCode,
  ImportIssue,
  JobDto,
  LocalizedText,
  OverrideDiff,
  PartCheckDto,
  PartMode,
  UserDto,
} from '@exam/shared';
import { ApiError, http, NETWORK_ERROR, upload } from './http';

export type {
  AssignResult,
  CandidateDto,
  CandidateImportReport,
  ExamListItem,
  ExamPartDto,
  ExamStatus,
  GeneratedPartDto,
  JobDto,
  JobStatus,
  PaperVerification,
  PartCheckDto,
} from '@exam/shared';
// the shapes the server sends, from the shared contracts
export { EXAM_STATUSES } from '@exam/shared';
export type CandidateImportIssue = ImportIssue;
export type BlueprintShortfallDto = BlueprintShortfall;

export type PartRole = 'counted' | 'condition';

export interface ProfileSummary {
  id: string;
  name: LocalizedText;
  kind: ExamKind;
  legalBasis: string;
  /** the dates the profile governs (ISO, inclusive; null: open) */
  effective: { from: string | null; to: string | null; note?: string };
  parts: {
    id: string;
    name: LocalizedText;
    round: number;
    mode: PartMode | null;
    questionCount: number | null;
    durationMin: number | null;
  }[];
  gaps: string[];
}

export interface PositionDto {
  id: number;
  code: string;
  name: string;
  quota: number;
  grade: GradeCode | null;
  candidates: number;
}

export interface RoomDto {
  id: number;
  code: string;
  name: string;
  location: string;
  seats: number;
  seatsPerRow: number;
}

export interface SittingDto {
  id: number;
  name: string;
  startsAt: string;
  partIds: number[];
  /** Candidates holding a seat in this sitting. */
  assigned: number;
}

export interface ExamDetail extends ExamListItem {
  overrides: unknown;
  /** What differs from the regulation profile. */
  overridden: OverrideDiff[];
  parts: ExamPartDto[];
  positions: PositionDto[];
  rooms: RoomDto[];
  sittings: SittingDto[];
  /** Number of candidates. */
  candidates: number;
  /** NOT FOUND items of the profile that the board must settle. */
  profileGaps: string[];
}

export interface CreateExamBody {
  code: string;
  name: string;
  profileId: string;
  organisingBody?: string;
  examDate?: string;
  applicationDeadline?: string;
  /** the board's reason for a profile not in force on examDate (refused without it) */
  profileOutOfForceReason?: string;
}

/** Blueprint cell as the API takes it: topic ids are numbers (null = the whole subject). */
export interface BlueprintCellBody extends Omit<BlueprintCell, 'topicId'> {
  topicId: number | null;
}

export interface UpdatePartBody {
  subjectId?: number | null;
  mode?: string;
  durationMin?: number;
  questionCount?: number;
  scoreScale?: number;
  role?: PartRole;
  coefficient?: number | null;
  blueprint?: { cells: BlueprintCellBody[] };
}

export interface BlueprintCheckDto {
  ok: boolean;
  multiple: number;
  parts: PartCheckDto[];
}

export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

function fileNameOf(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(cd);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(cd);
  return plain?.[1]?.trim() || fallback;
}

/**
 * POSTs and returns the answer as a file (for documents produced by an action, e.g. PIN slips).
 * Errors come back as JSON and are thrown as ApiError like every other call.
 */
export async function postForFile(path: string, fallbackName: string): Promise<DownloadedFile> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/pdf, application/json' },
    });
  } catch {
    throw new ApiError({
      status: 0,
      code: NETWORK_ERROR,
      message: 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.',
      messageEn: 'Cannot reach the server.',
    });
  }
  if (!res.ok) {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    const e = body && typeof body === 'object' && 'error' in body ? (body as { error: Record<string, unknown> }).error : null;
    throw new ApiError({
      status: res.status,
      code: typeof e?.code === 'string' ? e.code : `HTTP_${res.status}`,
      message: typeof e?.message === 'string' ? e.message : `Lỗi máy chủ (${res.status})`,
      messageEn: typeof e?.messageEn === 'string' ? e.messageEn : res.statusText,
      details: e?.details,
    });
  }
  return { blob: await res.blob(), fileName: fileNameOf(res, fallbackName) };
}

/** Hands a file to the browser as a download. */
export function saveFile({ blob, fileName }: DownloadedFile): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export const examsApi = {
  profiles: () => http.get<ProfileSummary[]>('/api/profiles'),
  list: () => http.get<ExamListItem[]>('/api/exams'),
  create: (body: CreateExamBody) => http.post<{ id: number }>('/api/exams', body),
  get: (id: number) => http.get<ExamDetail>(`/api/exams/${id}`),
  markReady: (id: number) => http.post<{ ok: true }>(`/api/exams/${id}/ready`),
  updatePart: (partId: number, body: UpdatePartBody) => http.put<ExamPartDto>(`/api/exam-parts/${partId}`, body),
  addPosition: (examId: number, body: { code: string; name: string; quota: number; grade?: string | null }) =>
    http.post<{ id: number }>(`/api/exams/${examId}/positions`, body),
  addRoom: (examId: number, body: { code: string; name: string; location?: string; seats: number; seatsPerRow?: number }) =>
    http.post<{ id: number }>(`/api/exams/${examId}/rooms`, body),
  addSitting: (examId: number, body: { name: string; startsAt: string; partIds: number[] }) =>
    http.post<{ id: number }>(`/api/exams/${examId}/sittings`, body),
  assignSeats: (sittingId: number) => http.post<AssignResult>(`/api/sittings/${sittingId}/assign`),
  moveSeat: (sittingId: number, candidateId: number, roomId: number, seatNo: number) =>
    http.put<{ ok: true }>(`/api/sittings/${sittingId}/seats/${candidateId}`, { roomId, seatNo }),
  assignInvigilator: (sittingId: number, roomId: number, userId: number) =>
    http.post<{ ok: true }>(`/api/sittings/${sittingId}/invigilators`, { roomId, userId }),
  /** Accounts (admin only): the board gets 403 and types nothing. */
  users: () => http.get<UserDto[]>('/api/users'),
  candidates: (examId: number) => http.get<CandidateDto[]>(`/api/exams/${examId}/candidates`),
  importCandidates: (
    examId: number,
    file: Blob,
    opts: { dryRun: boolean; keepIneligible?: boolean; onProgress?: (fraction: number) => void },
  ) =>
    upload<CandidateImportReport>(`/api/exams/${examId}/candidates/import`, file, {
      query: opts.keepIneligible ? { dryRun: opts.dryRun, keepIneligible: true } : { dryRun: opts.dryRun },
      onProgress: opts.onProgress,
    }),
  /** New PINs (all, or only for candidates without one) as a PDF of PIN slips. */
  issuePins: (examId: number, onlyMissing = false) =>
    postForFile(`/api/exams/${examId}/pins${onlyMissing ? '?onlyMissing=true' : ''}`, `phieu-ma-pin-${examId}.pdf`),
  blueprintCheck: (examId: number) => http.get<BlueprintCheckDto>(`/api/exams/${examId}/blueprint-check`),
  generatePapers: (examId: number) => http.post<{ jobId: number }>(`/api/exams/${examId}/papers`),
  job: (jobId: number, signal?: AbortSignal) => http.get<JobDto>(`/api/jobs/${jobId}`, undefined, signal),
  templateUrl: (examId: number) => `/api/exams/${examId}/candidates/template`,
  admissionSlipsUrl: (examId: number) => `/api/exams/${examId}/admission-slips.pdf`,
  roomListPdfUrl: (sittingId: number) => `/api/sittings/${sittingId}/room-list.pdf`,
  roomListXlsxUrl: (sittingId: number) => `/api/sittings/${sittingId}/room-list.xlsx`,
};
