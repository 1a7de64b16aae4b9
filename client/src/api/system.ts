import { http } from './http';

export interface BackupDto {
  name: string;
  bytes: number;
  createdAt: string;
}

export interface AuditRow {
  id: number;
  ts: string;
  actorId: number | null;
  actorName: string;
  action: string;
  entity: string;
  entityId: string | null;
  beforeDigest: string | null;
  afterDigest: string | null;
  detail: string;
  hash: string;
}

export interface AuditVerify {
  ok: boolean;
  rows: number;
  lastHash: string;
  firstBroken?: { id: number; reason: string; message: string };
  /** the chain's anchor now ("rows:head"), to print and check later */
  anchor: { rows: number; head: string; text: string };
  /** the check of an anchor printed earlier, when one was given */
  anchorCheck?: { ok: boolean; rows: number; message: string };
}

export const systemApi = {
  backups: () => http.get<BackupDto[]>('/api/admin/backups'),
  backupNow: () => http.post<BackupDto>('/api/admin/backups'),
  backupUrl: (name: string) => `/api/admin/backups/${encodeURIComponent(name)}`,
  audit: (query: { offset?: number; limit?: number; action?: string }) =>
    http.get<{ items: AuditRow[]; total: number }>('/api/audit', query),
  verify: (anchor?: string) => http.get<AuditVerify>('/api/audit/verify', anchor ? { anchor } : {}),
};
