import type { Db } from '../../db/connection.js';
import { type AuthUser, hasRole } from '../../plugins/auth.js';
import { BankRepo } from './repo/bankRepo.js';

/**
 * Whether a staff member may read a bank image: the board and admins always; authors and reviewers
 * when a question of one of their subjects shows it, or when they uploaded it themselves (an image
 * uploaded in the editor before its question is saved). Invigilators and everyone else: no.
 * (Candidates are checked against their own papers: DeliveryService.candidateMaySeeImage.)
 */
export async function staffMaySeeImage(db: Db, user: AuthUser, imageId: string): Promise<boolean> {
  if (hasRole(user, 'admin', 'board')) return true;
  if (!hasRole(user, 'author', 'reviewer')) return false;
  const repo = new BankRepo(db);
  if (await repo.imageUploadedBy(imageId, user.id)) return true;
  if (user.subjectIds.length === 0) return false;
  const subjects = await repo.imageSubjects(imageId);
  return subjects.some((s) => user.subjectIds.includes(s));
}
