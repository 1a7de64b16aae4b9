import type { Db } from '../../db/connection.js';
import { transaction } from '../../db/tx.js';
import { AppError } from '../../plugins/errors.js';
import { SignInLockRepo } from './repo.js';

/** Wrong PINs allowed for one số báo danh before the delay starts. */
export const FREE_FAILURES = 5;
/** The first delay; each further wrong PIN doubles it, up to MAX_DELAY_MS. */
export const BASE_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 60 * 60_000;

/** The delay after the n-th consecutive wrong PIN (0 while n < FREE_FAILURES). */
export function lockDelayMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - FREE_FAILURES));
}

/**
 * Most PIN guesses one số báo danh can receive in `windowMs`, from any number of addresses: the free
 * tries, then one per delay. 24 h: 34, so a 6-digit PIN (10^6 values) is found with probability
 * 34 / 10^6 = 0.0034 % a day per number, and every locked seat shows on the invigilator's map.
 */
export function maxGuesses(windowMs: number): number {
  let n = 0;
  let t = 0;
  while (t <= windowMs) {
    n++;
    t += lockDelayMs(n);
  }
  return n;
}

/**
 * Per-number lock-out of the candidate sign-in (and the result lookup): after FREE_FAILURES wrong
 * PINs in a row the number is locked for a delay that doubles with every further wrong PIN. It is
 * kept per candidate, not per address, so a lab behind one NAT address is never locked out as a
 * whole; an invigilator of the candidate's room can lift it (proctor action `unlock_signin`).
 */
export class SignInLockout {
  constructor(
    private readonly db: Db,
    private readonly repo: SignInLockRepo = new SignInLockRepo(db),
  ) {}

  private row(candidateId: number): { failures: number; lockedUntil: number } | null {
    return this.repo.lockout(candidateId) ?? null;
  }

  /** Epoch ms until which the number is locked, or null. */
  lockedUntil(candidateId: number, now = Date.now()): number | null {
    const r = this.row(candidateId);
    return r && r.lockedUntil > now ? r.lockedUntil : null;
  }

  /** Consecutive wrong PINs so far. */
  failures(candidateId: number): number {
    return this.row(candidateId)?.failures ?? 0;
  }

  /** Refuses while the number is locked. */
  check(candidateId: number, now = Date.now()): void {
    const until = this.lockedUntil(candidateId, now);
    if (until === null) return;
    const sec = Math.ceil((until - now) / 1000);
    throw new AppError(
      429,
      'SIGNIN_LOCKED',
      `Số báo danh này đã nhập sai mã PIN nhiều lần và bị tạm khóa ${sec} giây. Hãy báo giám thị phòng thi để được mở khóa.`,
      `This candidate number is locked for ${sec} s after repeated wrong PINs. Ask the room's invigilator to lift it.`,
      { lockedUntil: until, retryAfterSec: sec },
    );
  }

  /** Records a wrong PIN; returns the new lock's end (or null while still within the free tries). */
  async failed(candidateId: number, now = Date.now()): Promise<number | null> {
    const n = this.failures(candidateId) + 1;
    const delay = lockDelayMs(n);
    const lockedUntil = delay > 0 ? now + delay : 0;
    await transaction(this.db, () => this.repo.recordFailure(candidateId, lockedUntil, now));
    return delay > 0 ? lockedUntil : null;
  }

  /**
   * A right PIN (or an invigilator's decision) clears the count; true when there was a lock or
   * failures. Joins the caller's transaction when there is one.
   */
  async clear(candidateId: number): Promise<boolean> {
    if (this.repo.lockout(candidateId) === undefined) return false;
    return transaction(this.db, () => this.repo.clearLockout(candidateId));
  }
}
