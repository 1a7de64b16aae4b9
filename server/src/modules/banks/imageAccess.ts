import type { Db } from '../../db/connection.js';
import { type AuthUser, hasRole } from '../../plugins/auth.js';

/**
 * Whether a staff member may read a bank image: the board and admins always; authors and reviewers
 * when a question of one of their subjects shows it, or when they uploaded it themselves (an image
 * uploaded in the editor before its question is saved). Invigilators and everyone else: no.
 * (Candidates are checked against their own papers: DeliveryService.candidateMaySeeImage.)
 */
export function staffMaySeeImage(db: Db, user: AuthUser, imageId: string): boolean {
  if (hasRole(user, 'admin', 'board')) return true;
  if (!hasRole(user, 'author', 'reviewer')) return false;
  const sqlite = db.$client;
  if (sqlite.prepare('SELECT 1 FROM images WHERE id = ? AND uploaded_by = ?').get(imageId, user.id)) return true;
  if (user.subjectIds.length === 0) return false;
  const subjects = sqlite.prepare('SELECT subject_id FROM image_subjects WHERE image_id = ?').pluck().all(imageId);
  return subjects.some((s) => typeof s === 'number' && user.subjectIds.includes(s));
}
