import type {
  AnswerAck,
  AnswerBody,
  AttemptDto,
  CandidateLoginBody,
  CandidateMeDto,
  FlagBody,
  SubmitResultDto,
} from '@exam/shared';
import { ApiError, http, NETWORK_ERROR } from '../api/http';

/** The candidate's REST calls (types only from @exam/shared: no runtime of it in this chunk). */
export const candidateApi = {
  login: (body: CandidateLoginBody) => http.post<CandidateMeDto>('/api/candidate/login', body),
  logout: () => http.post<{ ok: true }>('/api/candidate/logout'),
  me: () => http.get<CandidateMeDto>('/api/candidate/me'),
  acknowledge: () => http.post<CandidateMeDto>('/api/candidate/acknowledge'),
  /** `paper: 'key'`: this PC holds the sealed paper; the answer carries its key instead of the questions */
  start: (partId: number, paper?: 'key') =>
    http.post<AttemptDto>(`/api/candidate/parts/${partId}/start${paper ? `?paper=${paper}` : ''}`),
  attempt: (attemptId: number) => http.get<AttemptDto>(`/api/candidate/attempts/${attemptId}`),
  flag: (attemptId: number, body: FlagBody) => http.post<{ ok: true }>(`/api/candidate/attempts/${attemptId}/flags`, body),
  submit: (attemptId: number) => http.post<SubmitResultDto>(`/api/candidate/attempts/${attemptId}/submit`),

  /**
   * The HTTP fallback for one answer. The server answers a refused answer with an AnswerAck
   * (`ok: false`, status 409/403), which is returned as is; other failures throw an ApiError.
   */
  answer: async (attemptId: number, body: AnswerBody): Promise<AnswerAck> => {
    let res: Response;
    try {
      res = await fetch(`/api/candidate/attempts/${attemptId}/answers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError({ status: 0, code: NETWORK_ERROR, message: 'Không kết nối được máy chủ.', messageEn: 'Offline' });
    }
    const data = (await res.json().catch(() => null)) as unknown;
    if (data && typeof data === 'object' && 'ok' in data && 'seq' in data) return data as AnswerAck;
    const err =
      data && typeof data === 'object' && 'error' in data ? (data as { error: { code: string; message: string } }).error : null;
    throw new ApiError({ status: res.status, code: err?.code ?? `HTTP_${res.status}`, message: err?.message ?? res.statusText });
  },
};
