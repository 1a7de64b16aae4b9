import type { KeyCorrection } from '@exam/shared';
import type Database from 'better-sqlite3';

/**
 * An exam's key corrections by question version id, the latest per version winning: what grading
 * at submission, re-scoring and item analysis all apply.
 */
export function examCorrections(sqlite: Database.Database, examId: number): Map<number, KeyCorrection> {
  const rows = sqlite
    .prepare('SELECT version_id AS versionId, kind, correct, mode FROM key_corrections WHERE exam_id = ? ORDER BY id')
    .all(examId) as { versionId: number; kind: string; correct: string | null; mode: string | null }[];
  const map = new Map<number, KeyCorrection>();
  for (const k of rows)
    map.set(
      k.versionId,
      k.kind === 'rekey'
        ? { kind: 'rekey', correct: JSON.parse(k.correct ?? '[]') as string[] }
        : { kind: 'void', mode: k.mode === 'drop' ? 'drop' : 'full_marks' },
    );
  return map;
}
