import type {
  CommentDto,
  Difficulty,
  ImportFormat,
  ImportReport,
  QuestionBody,
  QuestionDto,
  QuestionQuery,
  QuestionStatus,
  SubjectBody,
  SubjectDto,
  SummaryDto,
  TopicBody,
  TopicDto,
} from '@exam/shared';
import { http, upload } from './http';

export interface QuestionDetail {
  question: QuestionDto;
  versions: QuestionDto[];
  comments: CommentDto[];
}

export interface Page<T> {
  items: T[];
  total: number;
}

export const EXPORT_FORMATS: readonly ImportFormat[] = ['xlsx', 'csv', 'json', 'docx', 'moodlexml', 'qti', 'aiken', 'gift'];

export const banksApi = {
  subjects: () => http.get<SubjectDto[]>('/api/subjects'),
  subject: (id: number) => http.get<SubjectDto>(`/api/subjects/${id}`),
  createSubject: (body: SubjectBody) => http.post<SubjectDto>('/api/subjects', body),
  topics: (subjectId: number) => http.get<TopicDto[]>(`/api/subjects/${subjectId}/topics`),
  createTopic: (subjectId: number, body: TopicBody) => http.post<TopicDto>(`/api/subjects/${subjectId}/topics`, body),
  updateTopic: (topicId: number, body: TopicBody) => http.put<TopicDto>(`/api/topics/${topicId}`, body),
  summary: (subjectId: number) => http.get<SummaryDto>(`/api/subjects/${subjectId}/summary`),
  questions: (subjectId: number, query: QuestionQuery, signal?: AbortSignal) =>
    http.get<Page<QuestionDto>>(`/api/subjects/${subjectId}/questions`, { ...query }, signal),
  question: (id: number) => http.get<QuestionDetail>(`/api/questions/${id}`),
  createQuestion: (subjectId: number, body: QuestionBody) => http.post<QuestionDto>(`/api/subjects/${subjectId}/questions`, body),
  updateQuestion: (id: number, body: QuestionBody) => http.put<QuestionDto>(`/api/questions/${id}`, body),
  transition: (id: number, to: QuestionStatus, comment?: string) =>
    http.post<QuestionDto>(`/api/questions/${id}/transition`, comment ? { to, comment } : { to }),
  comment: (id: number, body: string) => http.post<CommentDto>(`/api/questions/${id}/comments`, { body }),
  importFile: (
    subjectId: number,
    file: Blob,
    opts: {
      format: ImportFormat | 'auto';
      dryRun: boolean;
      validOnly?: boolean;
      defaultTopic?: string;
      defaultDifficulty?: Difficulty;
      onProgress?: (fraction: number) => void;
    },
  ) =>
    upload<ImportReport>(`/api/subjects/${subjectId}/import`, file, {
      query: {
        format: opts.format,
        dryRun: opts.dryRun,
        validOnly: opts.validOnly || undefined,
        defaultTopic: opts.defaultTopic,
        defaultDifficulty: opts.defaultDifficulty,
      },
      onProgress: opts.onProgress,
    }),
  uploadImage: (file: Blob) => upload<{ id: string; url: string }>('/api/images', file),
  exportUrl: (subjectId: number, format: ImportFormat, qtiVersion?: '2.1' | '3.0') =>
    `/api/subjects/${subjectId}/export?format=${format}${qtiVersion ? `&qtiVersion=${qtiVersion}` : ''}`,
  templateUrl: (format: 'xlsx' | 'csv' | 'docx') => `/api/import-templates/${format}`,
};
