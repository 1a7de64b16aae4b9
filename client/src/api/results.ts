import type {
  CandidateMarksDto,
  ExamItemAnalysisDto,
  ExamResultsDto,
  KeyCorrectionBody,
  KeyCorrectionDto,
  KeyCorrectionReport,
  MarkingRuleBody,
  MarkingRuleDto,
  QuestionItemAnalysisDto,
  ResultLookupBody,
  ResultLookupDto,
  ResultsStatsDto,
  ScoreEntryBody,
  ScoreEntryIssue,
  ScoreEntryReport,
  TieDecisionBody,
} from '@exam/shared';
import { ApiError, hasCode, http, NETWORK_ERROR } from './http';

export type {
  ExamItemAnalysisDto,
  ExamResultsDto,
  HistogramDto,
  ItemAnalysisItemDto,
  KeyCorrectionBody,
  KeyCorrectionDto,
  KeyCorrectionReport,
  MarkDto,
  MarkingRuleBody,
  MarkingRuleDto,
  PartItemAnalysisDto,
  PassRateDto,
  PositionResultDto,
  QuestionItemAnalysisDto,
  ResultLookupDto,
  ResultRowDto,
  ResultsStatsDto,
  ScoreEntryBody,
  ScoreEntryIssue,
  TiedGroupDto,
} from '@exam/shared';
export type { CandidateMarksDto };

/** One candidate's marks on a manually marked part (GET /api/exams/:id/scores). */
/** The row-level report of a refused score batch (400 SCORES_INVALID), or [] for any other error. */
export function scoreIssues(err: unknown): ScoreEntryIssue[] {
  if (!hasCode(err, 'SCORES_INVALID')) return [];
  const d = err.details;
  if (!d || typeof d !== 'object' || !('issues' in d) || !Array.isArray(d.issues)) return [];
  return d.issues.filter(
    (i: unknown): i is ScoreEntryIssue =>
      !!i && typeof i === 'object' && 'row' in i && typeof i.row === 'number' && 'message' in i && typeof i.message === 'string',
  );
}

/**
 * The candidate's public lookup. Not sent through `http`: its 401 means "wrong number or PIN", not
 * "the staff session ended", so it must not sign out a staff member who happens to use the page.
 */
async function lookup(body: ResultLookupBody): Promise<ResultLookupDto> {
  let res: Response;
  try {
    res = await fetch('/api/results/lookup', {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
    });
  } catch {
    throw new ApiError({
      status: 0,
      code: NETWORK_ERROR,
      message: 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.',
      messageEn: 'Cannot reach the server.',
    });
  }
  let data: unknown;
  try {
    data = await res.json();
  } catch {
    data = undefined;
  }
  if (res.ok) return data as ResultLookupDto;
  const e = data && typeof data === 'object' && 'error' in data ? (data as { error: Record<string, unknown> }).error : null;
  throw new ApiError({
    status: res.status,
    code: typeof e?.code === 'string' ? e.code : `HTTP_${res.status}`,
    message: typeof e?.message === 'string' ? e.message : `Lỗi máy chủ (${res.status})`,
    messageEn: typeof e?.messageEn === 'string' ? e.messageEn : res.statusText,
    details: e?.details,
  });
}

export const resultsApi = {
  markingRules: (examId: number) => http.get<MarkingRuleDto[]>(`/api/exams/${examId}/marking`),
  setMarkingRule: (examId: number, partId: number, body: MarkingRuleBody) =>
    http.put<MarkingRuleDto>(`/api/exams/${examId}/parts/${partId}/marking`, body),
  marks: (examId: number, partId: number) => http.get<CandidateMarksDto[]>(`/api/exams/${examId}/scores`, { partId }),
  enterScores: (examId: number, body: ScoreEntryBody) => http.post<ScoreEntryReport>(`/api/exams/${examId}/scores`, body),
  results: (examId: number) => http.get<ExamResultsDto>(`/api/exams/${examId}/results`),
  cancelResult: (examId: number, candidateId: number, reason: string) =>
    http.post<ExamResultsDto>(`/api/exams/${examId}/candidates/${candidateId}/cancel-result`, { reason }),
  decideTie: (examId: number, body: TieDecisionBody) => http.post<ExamResultsDto>(`/api/exams/${examId}/results/ties`, body),
  publish: (examId: number, reason: string) =>
    http.post<ExamResultsDto>(`/api/exams/${examId}/results/publish`, reason.trim() ? { reason: reason.trim() } : {}),
  corrections: (examId: number) => http.get<KeyCorrectionDto[]>(`/api/exams/${examId}/key-corrections`),
  correctKey: (examId: number, body: KeyCorrectionBody) =>
    http.post<KeyCorrectionReport>(`/api/exams/${examId}/key-corrections`, body),
  stats: (examId: number) => http.get<ResultsStatsDto>(`/api/exams/${examId}/results/stats`),
  itemAnalysis: (examId: number) => http.get<ExamItemAnalysisDto>(`/api/exams/${examId}/item-analysis`),
  questionItemAnalysis: (questionId: number) => http.get<QuestionItemAnalysisDto>(`/api/questions/${questionId}/item-analysis`),
  lookup,
  xlsxUrl: (examId: number) => `/api/exams/${examId}/results.xlsx`,
  rankingPdfUrl: (examId: number) => `/api/exams/${examId}/results/ranking.pdf`,
  noticesPdfUrl: (examId: number) => `/api/exams/${examId}/results/notices.pdf`,
};
