import type { AttemptDto, CandidateMeDto, CandidatePartDto, PaperKeyDto } from '@exam/shared';
import { candidateApi } from './api';
import { attemptOpened, finishAttempt, onPaperKeys } from './live';
import { holdsSealed, openSealed, unlock } from './sealed';
import { useAttempt } from './stores/attempt';
import { useClock } from './stores/clock';
import { useSession } from './stores/session';

/** Statuses of a part the candidate still has to sit. */
const OPEN: CandidatePartDto['status'][] = ['not_started', 'running', 'paused'];

/** The part in progress (or past its deadline but not collected yet), if any. */
export function partInProgress(me: CandidateMeDto): CandidatePartDto | undefined {
  return me.parts.find(
    (p) => p.attemptId !== null && (p.status === 'running' || p.status === 'paused' || p.status === 'expired'),
  );
}

/**
 * The next part to sit: parts run in the order the server lists them; exempt parts are skipped.
 * `finishedAttemptId`: an attempt just submitted here, which a not yet refreshed `me` may still
 * list as running.
 */
export function nextPart(me: CandidateMeDto, finishedAttemptId?: number | null): CandidatePartDto | undefined {
  return me.parts.find((p) => OPEN.includes(p.status) && (p.attemptId === null || p.attemptId !== finishedAttemptId));
}

/**
 * Opens a part: starts it (or resumes the attempt the server already has) and loads the paper. A
 * paper held sealed on this PC (prefetched while waiting) needs only its key from the start;
 * otherwise the start brings the paper (the cold path).
 */
export async function openPart(part: CandidatePartDto): Promise<void> {
  const t0 = Date.now();
  let dto: AttemptDto;
  if (part.attemptId) dto = await candidateApi.attempt(part.attemptId);
  else if (await holdsSealed(part.partId)) {
    const started = await candidateApi.start(part.partId, 'key');
    const questions = started.paperKey ? await openSealed(started.paperKey) : null;
    dto = questions ? { ...started, questions } : await candidateApi.attempt(started.attemptId);
  } else dto = await candidateApi.start(part.partId);
  useClock.getState().sample(t0, Date.now(), dto.timing.serverNow);
  enter(dto);
}

function enter(dto: AttemptDto): void {
  useClock.getState().setTiming(dto.attemptId, dto.timing);
  useAttempt.getState().load(dto);
  attemptOpened();
  if (dto.timing.state === 'expired') void finishAttempt('timeout');
  void useSession.getState().refresh();
}

/**
 * The sitting opened and the key of this PC's sealed paper came over the socket: the paper opens
 * here at once and the part starts by itself. Without a paper held, the waiting screen's start
 * button brings it.
 */
export async function onPaperKey(key: PaperKeyDto): Promise<void> {
  if (!(await unlock(key)) || useAttempt.getState().phase !== 'none') return;
  const part = useSession.getState().me?.parts.find((p) => p.partId === key.partId);
  if (!part) return;
  const questions = key.attempt ? await openSealed(key) : null;
  // the opening started the part: everything is here, no request
  if (key.attempt && questions) {
    const { attemptId, timing } = key.attempt;
    enter({ attemptId, partId: part.partId, partName: part.name, questions, answers: {}, flags: [], lastSeq: 0, timing });
    return;
  }
  await openPart(part).catch(() => useSession.getState().refresh());
}

// keys pushed over the socket at the opening come here
onPaperKeys(onPaperKey);
