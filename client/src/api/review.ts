import type {
  EligibilityDataBody,
  EligibilityDto,
  EligibilityOverrideBody,
  GradeEquivalence,
  GradeEquivalenceBody,
  PublicationVersionDto,
  RepublicationReportDto,
  ReviewAssignBody,
  ReviewerOptionDto,
  ReviewMarkBody,
  ReviewRequestBody,
  ReviewRequestDto,
  ReviewSettingsBody,
  ReviewSettingsDto,
} from '@exam/shared';
import { http } from './http';

export type {
  EligibilityDataBody,
  EligibilityDto,
  GradeEquivalence,
  PublicationVersionDto,
  RepublicationReportDto,
  ReviewerOptionDto,
  ReviewRequestDto,
  ReviewSettingsDto,
} from '@exam/shared';

/** Phúc khảo (issue 13): settings, requests, reviewers, review marks, republication, notices. */
export const reviewApi = {
  settings: (examId: number) => http.get<ReviewSettingsDto>(`/api/exams/${examId}/reviews/settings`),
  setSettings: (examId: number, body: ReviewSettingsBody) =>
    http.put<ReviewSettingsDto>(`/api/exams/${examId}/reviews/settings`, body),
  list: (examId: number) => http.get<ReviewRequestDto[]>(`/api/exams/${examId}/reviews`),
  request: (examId: number, body: ReviewRequestBody) => http.post<ReviewRequestDto>(`/api/exams/${examId}/reviews`, body),
  reviewerOptions: (examId: number, requestId: number) =>
    http.get<ReviewerOptionDto[]>(`/api/exams/${examId}/reviews/${requestId}/reviewers`),
  assign: (examId: number, requestId: number, body: ReviewAssignBody) =>
    http.post<ReviewRequestDto>(`/api/exams/${examId}/reviews/${requestId}/reviewers`, body),
  mark: (examId: number, requestId: number, body: ReviewMarkBody) =>
    http.post<ReviewRequestDto>(`/api/exams/${examId}/reviews/${requestId}/marks`, body),
  republish: (examId: number, reason: string) =>
    http.post<RepublicationReportDto>(`/api/exams/${examId}/reviews/republish`, { reason }),
  publications: (examId: number) => http.get<PublicationVersionDto[]>(`/api/exams/${examId}/results/publications`),
  noticeUrl: (examId: number, requestId: number) => `/api/exams/${examId}/reviews/${requestId}/notice.pdf`,
};

/** Eligibility records and grade equivalences (issue 13). */
export const eligibilityApi = {
  list: (examId: number) => http.get<EligibilityDto[]>(`/api/exams/${examId}/eligibility`),
  get: (examId: number, candidateId: number) =>
    http.get<EligibilityDto>(`/api/exams/${examId}/candidates/${candidateId}/eligibility`),
  update: (examId: number, candidateId: number, body: EligibilityDataBody) =>
    http.put<EligibilityDto>(`/api/exams/${examId}/candidates/${candidateId}/eligibility`, body),
  override: (examId: number, candidateId: number, body: EligibilityOverrideBody) =>
    http.post<EligibilityDto>(`/api/exams/${examId}/candidates/${candidateId}/eligibility/override`, body),
  equivalences: (examId: number) => http.get<GradeEquivalence[]>(`/api/exams/${examId}/grade-equivalences`),
  addEquivalence: (examId: number, body: GradeEquivalenceBody) =>
    http.post<GradeEquivalence[]>(`/api/exams/${examId}/grade-equivalences`, body),
};
