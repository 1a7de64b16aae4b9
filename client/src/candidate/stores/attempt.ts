import type { AttemptDto, CandidateQuestionDto, SubmitResultDto } from '@exam/shared';
import { create } from 'zustand';

/**
 * The paper being answered: one entry per question, actions inside the store, and every change
 * kept in memory and in localStorage until the server acknowledges it (ARCHITECTURE.md, "The way
 * one answer travels"). Components subscribe to one question's entry at a time, so a change to
 * question 7 re-renders question 7 and its navigator button, nothing else; time lives in clock.ts.
 */

export interface AnswerState {
  /** chosen option ids, in display order */
  choice: string[];
  /** seq of the latest change; 0 for an answer that came saved from the server */
  seq: number;
  /** highest seq the server has acknowledged (committed) for this question */
  ackedSeq: number;
  /** the server refused the latest change for good (it is not sent again) */
  error: string | null;
}

export type FinishReason = 'candidate' | 'timeout' | 'server';
export type AttemptPhase = 'none' | 'active' | 'finishing' | 'done';

/** Saved: the server has committed this question's latest change. */
export const isSaved = (a: AnswerState | undefined): boolean => !!a && a.ackedSeq >= a.seq;
/** Pending: changed here, not yet acknowledged, and still worth sending. */
export const isPending = (a: AnswerState | undefined): boolean => !!a && a.seq > a.ackedSeq && a.error === null;
export const isAnswered = (a: AnswerState | undefined): boolean => !!a && a.choice.length > 0;

export function countPending(answers: Record<number, AnswerState>): number {
  let n = 0;
  for (const k in answers) if (isPending(answers[k])) n++;
  return n;
}

/** Whatever talks to the server: set by live.ts, so the store needs no network code. */
export interface AttemptSender {
  answer: (questionNo: number) => void;
  flag: (questionNo: number) => void;
}
let sender: AttemptSender | null = null;
export function setSender(s: AttemptSender | null): void {
  sender = s;
}

// ---------- localStorage: the unacknowledged changes of one attempt ----------

const storageKey = (attemptId: number) => `exam.attempt.${attemptId}`;

interface StoredAttempt {
  v: 1;
  /** highest seq issued on this PC */
  seq: number;
  /** question last viewed */
  current: number;
  /** changes not yet acknowledged: question no → [choice, seq] */
  answers: Record<string, [string[], number]>;
  /** flag changes not yet acknowledged */
  flags: Record<string, boolean>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What another tab, an older version or a hand edit left in localStorage is checked, not trusted. */
function isStoredAttempt(v: unknown): v is StoredAttempt {
  if (!isRecord(v) || v.v !== 1 || typeof v.seq !== 'number' || typeof v.current !== 'number') return false;
  const { answers, flags } = v;
  if (!isRecord(answers) || !isRecord(flags)) return false;
  for (const a of Object.values(answers)) {
    if (!Array.isArray(a) || a.length !== 2 || typeof a[1] !== 'number') return false;
    const choice: unknown = a[0];
    if (!Array.isArray(choice) || !choice.every((c) => typeof c === 'string')) return false;
  }
  return Object.values(flags).every((f) => typeof f === 'boolean');
}

export function readStored(attemptId: number): StoredAttempt | null {
  try {
    const raw = localStorage.getItem(storageKey(attemptId));
    if (!raw) return null;
    const v: unknown = JSON.parse(raw);
    return isStoredAttempt(v) ? v : null;
  } catch {
    return null;
  }
}

export function clearStored(attemptId: number): void {
  try {
    localStorage.removeItem(storageKey(attemptId));
  } catch {
    // nothing to do
  }
}

function persist(s: AttemptState): void {
  if (s.attemptId === null) return;
  const answers: StoredAttempt['answers'] = {};
  for (const k in s.answers) {
    const a = s.answers[k];
    if (a && isPending(a)) answers[k] = [a.choice, a.seq];
  }
  const data: StoredAttempt = { v: 1, seq: s.seq, current: s.current, answers, flags: s.unsentFlags };
  try {
    localStorage.setItem(storageKey(s.attemptId), JSON.stringify(data));
  } catch {
    // storage full or disabled: the answers are still kept in memory and sent when possible
  }
}

// ---------- the store ----------

export interface AttemptState {
  attemptId: number | null;
  partId: number | null;
  partName: string;
  questions: CandidateQuestionDto[];
  answers: Record<number, AnswerState>;
  flags: Record<number, boolean>;
  /** flag changes the server has not confirmed yet */
  unsentFlags: Record<number, boolean>;
  /** highest seq issued for this attempt (never below the server's lastSeq) */
  seq: number;
  /** the question shown (single view) or last worked on (list view) */
  current: number;
  /** bumped by navigation (keys, navigator, previous/next) so the list view scrolls there */
  navTick: number;
  phase: AttemptPhase;
  finishReason: FinishReason | null;
  result: SubmitResultDto | null;
  /** why the last submit did not go through */
  submitError: string | null;

  /** Opens an attempt from the server's copy merged with this PC's unacknowledged changes. */
  load: (dto: AttemptDto) => void;
  reset: () => void;
  /** Chooses (single) or toggles (multiple) an option by id. */
  choose: (questionNo: number, optionId: string) => void;
  /** Chooses by display position (0 = A / 1). */
  chooseAt: (questionNo: number, index: number) => void;
  toggleFlag: (questionNo: number) => void;
  goTo: (questionNo: number) => void;
  move: (delta: number) => void;
  /** Marks the question current without scrolling (a click inside it). */
  setCurrent: (questionNo: number) => void;
  acked: (questionNo: number, seq: number) => void;
  rejected: (questionNo: number, seq: number, message: string) => void;
  /** The server kept a newer answer (another tab or PC): show it as saved, and count on from its seq. */
  storedWins: (questionNo: number, seq: number, stored: { choice: string[]; seq: number }) => void;
  flagSent: (questionNo: number, flagged: boolean) => void;
  beginFinish: (reason: FinishReason) => void;
  cancelFinish: (error: string | null) => void;
  finished: (result: SubmitResultDto, reason: FinishReason) => void;
}

const EMPTY = {
  attemptId: null,
  partId: null,
  partName: '',
  questions: [],
  answers: {},
  flags: {},
  unsentFlags: {},
  seq: 0,
  current: 1,
  navTick: 0,
  phase: 'none' as AttemptPhase,
  finishReason: null,
  result: null,
  submitError: null,
};

export const useAttempt = create<AttemptState>()((set, get) => ({
  ...EMPTY,

  load: (dto) => {
    const stored = readStored(dto.attemptId);
    const answers: Record<number, AnswerState> = {};
    for (const [no, choice] of Object.entries(dto.answers)) {
      answers[Number(no)] = { choice, seq: 0, ackedSeq: 0, error: null };
    }
    // changes this PC made that the server may not have: they win here and are sent again; the
    // server keeps the highest seq per question, so a replay of something it already has is harmless
    if (stored) {
      for (const [no, [choice, seq]] of Object.entries(stored.answers)) {
        if (dto.questions[Number(no) - 1]) answers[Number(no)] = { choice, seq, ackedSeq: 0, error: null };
      }
    }
    const flags: Record<number, boolean> = {};
    for (const no of dto.flags) flags[no] = true;
    const unsentFlags: Record<number, boolean> = {};
    if (stored) {
      for (const [no, f] of Object.entries(stored.flags)) {
        flags[Number(no)] = f;
        unsentFlags[Number(no)] = f;
      }
    }
    const current = stored && stored.current >= 1 && stored.current <= dto.questions.length ? stored.current : 1;
    set({
      ...EMPTY,
      attemptId: dto.attemptId,
      partId: dto.partId,
      partName: dto.partName,
      questions: dto.questions,
      answers,
      flags,
      unsentFlags,
      seq: Math.max(dto.lastSeq, stored?.seq ?? 0),
      current,
      phase: dto.timing.state === 'submitted' ? 'done' : 'active',
    });
    persist(get());
  },

  reset: () => set({ ...EMPTY }),

  choose: (questionNo, optionId) => {
    const s = get();
    const q = s.questions[questionNo - 1];
    if (!q || s.phase !== 'active' || !q.options.some((o) => o.id === optionId)) return;
    const prev = s.answers[questionNo];
    const before = prev?.choice ?? [];
    let choice: string[];
    if (q.type === 'multiple') {
      const picked = new Set(before);
      if (picked.has(optionId)) picked.delete(optionId);
      else picked.add(optionId);
      choice = q.options.filter((o) => picked.has(o.id)).map((o) => o.id);
    } else {
      if (before.length === 1 && before[0] === optionId) return;
      choice = [optionId];
    }
    const seq = s.seq + 1;
    set({
      seq,
      current: questionNo,
      answers: { ...s.answers, [questionNo]: { choice, seq, ackedSeq: prev?.ackedSeq ?? 0, error: null } },
    });
    persist(get());
    sender?.answer(questionNo);
  },

  chooseAt: (questionNo, index) => {
    const opt = get().questions[questionNo - 1]?.options[index];
    if (opt) get().choose(questionNo, opt.id);
  },

  toggleFlag: (questionNo) => {
    const s = get();
    if (s.phase !== 'active' || !s.questions[questionNo - 1]) return;
    const flagged = !s.flags[questionNo];
    set({ flags: { ...s.flags, [questionNo]: flagged }, unsentFlags: { ...s.unsentFlags, [questionNo]: flagged } });
    persist(get());
    sender?.flag(questionNo);
  },

  goTo: (questionNo) => {
    const s = get();
    if (questionNo < 1 || questionNo > s.questions.length) return;
    set({ current: questionNo, navTick: s.navTick + 1 });
    persist(get());
  },

  move: (delta) => get().goTo(Math.min(get().questions.length, Math.max(1, get().current + delta))),

  setCurrent: (questionNo) => {
    if (get().current !== questionNo && get().questions[questionNo - 1]) set({ current: questionNo });
  },

  acked: (questionNo, seq) => {
    const s = get();
    const a = s.answers[questionNo];
    if (!a || a.ackedSeq >= seq) return;
    set({ answers: { ...s.answers, [questionNo]: { ...a, ackedSeq: seq } } });
    persist(get());
  },

  storedWins: (questionNo, seq, stored) => {
    const s = get();
    const a = s.answers[questionNo];
    if (!a || a.seq !== seq) return; // a newer change here is on its way and will be judged on its own
    const next = Math.max(s.seq, stored.seq);
    set({ seq: next, answers: { ...s.answers, [questionNo]: { choice: stored.choice, seq: 0, ackedSeq: 0, error: null } } });
    persist(get());
  },

  rejected: (questionNo, seq, message) => {
    const s = get();
    const a = s.answers[questionNo];
    if (!a || a.seq !== seq) return;
    set({ answers: { ...s.answers, [questionNo]: { ...a, error: message } } });
    persist(get());
  },

  flagSent: (questionNo, flagged) => {
    const s = get();
    if (s.unsentFlags[questionNo] !== flagged) return;
    const unsentFlags = { ...s.unsentFlags };
    delete unsentFlags[questionNo];
    set({ unsentFlags });
    persist(get());
  },

  beginFinish: (reason) => {
    if (get().phase === 'active') set({ phase: 'finishing', finishReason: reason, submitError: null });
  },

  cancelFinish: (error) => {
    if (get().phase === 'finishing') set({ phase: 'active', finishReason: null, submitError: error });
  },

  finished: (result, reason) => {
    const s = get();
    if (s.attemptId !== result.attemptId || s.phase === 'done') return;
    clearStored(result.attemptId);
    set({ phase: 'done', result, finishReason: s.finishReason ?? reason, submitError: null });
  },
}));

/** Question numbers not answered (no option chosen). */
export function unansweredNumbers(s: Pick<AttemptState, 'questions' | 'answers'>): number[] {
  return s.questions.filter((q) => !isAnswered(s.answers[q.no])).map((q) => q.no);
}

export function flaggedNumbers(s: Pick<AttemptState, 'questions' | 'flags'>): number[] {
  return s.questions.filter((q) => s.flags[q.no]).map((q) => q.no);
}
