import { PROCTOR_SANCTIONS, type ProctorSanction, type SeatDto, type SeatLockdown, type SeatState } from '@exam/shared';
import type { DeliveryService } from '../delivery/service.js';
import type { ProctorRepo } from './repo.js';

/** A sitting as the seat map needs it: its computer parts, in order. */
export interface SittingParts {
  parts: { id: number; name: string; exemptibleBy: string[] }[];
}

/** What the seat map reads besides the database: who is connected, refused sign-ins, lockdown. */
export interface SeatSources {
  repo: ProctorRepo;
  delivery: DeliveryService;
  /** live candidate sockets, and since when a candidate has none */
  presence: ReadonlyMap<number, { sockets: number; since: number | null }>;
  refusedAt: ReadonlyMap<number, number>;
  /** when this server started (after a restart nobody is connected until they come back) */
  startedAt: number;
  lockdown: { state(candidateId: number): SeatLockdown } | null;
}

type Part = SittingParts['parts'][number];
interface AttemptRow {
  id: number;
  candidateId: number;
  partId: number;
  status: string;
}
interface Current {
  part: Part;
  index: number;
  attempt: AttemptRow | null;
}

const isSanction = (code: string): code is ProctorSanction => (PROCTOR_SANCTIONS as readonly string[]).includes(code);

/** The part a candidate is on: the running one, else between parts the last submitted, else the first. */
function currentPart(s: SittingParts, exemptions: readonly string[], mine: readonly AttemptRow[]) {
  let pick: Current | null = null;
  let last: Current | null = null;
  let lastSubmitted: Current | null = null;
  let done = true;
  for (const [index, part] of s.parts.entries()) {
    if (part.exemptibleBy.some((x) => exemptions.includes(x))) continue;
    const attempt = mine.find((a) => a.partId === part.id) ?? null;
    last = { part, index, attempt };
    if (attempt?.status === 'submitted') {
      if (!pick) lastSubmitted = last;
      continue;
    }
    done = false;
    pick ??= { part, index, attempt };
  }
  // between parts (the previous one submitted, the next not started) the seat shows the submitted part
  const chosen = pick && !pick.attempt && lastSubmitted ? lastSubmitted : (pick ?? last);
  return { current: chosen, allDone: done && last !== null };
}

/**
 * The seats of a room (or some of them). `light` skips the answer and flag counts (the overview
 * needs states only).
 */
export async function buildSeats(
  src: SeatSources,
  s: SittingParts,
  sittingId: number,
  roomId: number,
  only: readonly number[] | null,
  light: boolean,
): Promise<SeatDto[]> {
  const now = Date.now();
  const rows = await src.repo.seatRows(sittingId, roomId, only);
  if (rows.length === 0) return [];
  const byCandidate = new Map<number, AttemptRow[]>();
  for (const a of await src.repo.roomAttempts(sittingId, roomId, only)) {
    const list = byCandidate.get(a.candidateId) ?? [];
    list.push(a);
    byCandidate.set(a.candidateId, list);
  }
  const sanctions = new Map<number, ProctorSanction[]>();
  for (const r of await src.repo.roomSanctions(sittingId, roomId, only)) {
    if (!isSanction(r.code)) continue;
    const list = sanctions.get(r.id) ?? [];
    list.push(r.code);
    sanctions.set(r.id, list);
  }
  const counts = new Map<number, { n: number; last: number | null }>();
  const flags = new Map<number, number>();
  if (!light) {
    for (const r of await src.repo.roomAnswerCounts(sittingId, roomId, only)) counts.set(r.id, { n: r.n, last: r.last });
    for (const r of await src.repo.roomFlagCounts(sittingId, roomId, only)) flags.set(r.id, r.n);
  }

  return rows.map((r) => {
    const { current: cur, allDone } = currentPart(s, r.exemptions, byCandidate.get(r.id) ?? []);
    const attempt = cur?.attempt ?? null;
    const timing = attempt ? src.delivery.timing(attempt.id, now) : null;
    const p = src.presence.get(r.id);
    const signedIn = r.deviceId !== null;
    const connected = (p?.sockets ?? 0) > 0;
    // after a restart nobody is connected until they come back: count from the server's start
    const disconnectedSince = connected || !signedIn ? null : (p?.since ?? src.startedAt);
    const mySanctions = sanctions.get(r.id) ?? [];
    let state: SeatState;
    if (mySanctions.includes('dinh_chi')) state = 'suspended';
    else if (!signedIn) state = 'not_signed_in';
    else if (allDone || attempt?.status === 'submitted') state = 'submitted';
    else if (attempt?.status === 'running' && timing) {
      if (timing.state === 'paused') state = 'paused';
      else if (timing.state === 'expired' || timing.state === 'submitted') state = 'submitted';
      else state = connected ? 'working' : 'disconnected';
    } else state = !connected && p ? 'disconnected' : 'signed_in';
    const c = attempt && !light ? counts.get(attempt.id) : undefined;
    return {
      candidateId: r.id,
      number: r.number,
      fullName: r.fullName,
      seatNo: r.seatNo,
      state,
      part: cur
        ? {
            partId: cur.part.id,
            name: cur.part.name,
            attemptId: attempt?.id ?? null,
            index: cur.index + 1,
            count: s.parts.length,
          }
        : null,
      answered: c?.n ?? 0,
      total: attempt ? src.delivery.questionCount(attempt.id) : 0,
      flagged: attempt ? (flags.get(attempt.id) ?? 0) : 0,
      startedAt: timing?.startedAt ?? null,
      deadline: timing?.deadline ?? null,
      remainingMs: timing?.remainingMs ?? null,
      extendedMs: timing?.extendedMs ?? 0,
      lastSaveAt: c?.last ?? null,
      connected,
      disconnectedSince: state === 'submitted' || state === 'suspended' ? null : disconnectedSince,
      device: signedIn ? { ip: r.ip, userAgent: r.userAgent, boundAt: r.boundAt ?? 0 } : null,
      otherDeviceTriedAt: src.refusedAt.get(r.id) ?? null,
      moveAllowed: !!r.moveAllowed,
      sanctions: mySanctions,
      signInLockedUntil: src.delivery.signInLock.lockedUntil(r.id, now),
      lockdown: src.lockdown?.state(r.id) ?? null,
    };
  });
}
