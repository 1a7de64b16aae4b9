import type { AttemptDto, CandidateQuestionDto, SubmitResultDto } from '@exam/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countPending, isPending, isSaved, readStored, setSender, useAttempt } from './attempt';

/**
 * The client half of answer durability (the server half is in server/test/delivery.test.ts and
 * crash.test.ts): every change is kept in memory and in localStorage until the server's ack, a
 * reload replays what was not acked, a refused or overtaken change is never shown as saved, and a
 * full localStorage loses nothing held in memory.
 */

/** The browser's Storage, with a byte quota as browsers have (about 5 MB there; small here). */
class QuotaStorage implements Storage {
  private readonly items = new Map<string, string>();
  constructor(public quota = Number.POSITIVE_INFINITY) {}
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    let used = 0;
    for (const [k, v] of this.items) if (k !== key) used += k.length + v.length;
    if (used + key.length + value.length > this.quota) {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    this.items.set(key, value);
  }
}

const storage = new QuotaStorage();
Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true });

function question(no: number, type: 'single' | 'multiple' = 'single'): CandidateQuestionDto {
  return {
    no,
    type,
    stem: `Câu ${no}`,
    options: ['A', 'B', 'C', 'D'].map((id) => ({ id, text: `Phương án ${id}` })),
  };
}

function attemptDto(over: Partial<AttemptDto> = {}): AttemptDto {
  return {
    attemptId: 41,
    partId: 7,
    partName: 'Phần I',
    questions: [question(1), question(2), question(3, 'multiple')],
    answers: {},
    flags: [],
    lastSeq: 0,
    timing: {
      state: 'running',
      startedAt: 1,
      deadline: 3_600_001,
      remainingMs: 3_600_000,
      pausedMs: 0,
      extendedMs: 0,
      serverNow: 1,
    },
    ...over,
  };
}

let sent: string[];
beforeEach(() => {
  storage.clear();
  storage.quota = Number.POSITIVE_INFINITY;
  sent = [];
  setSender({ answer: (no) => sent.push(`answer ${no}`), flag: (no) => sent.push(`flag ${no}`) });
  useAttempt.getState().reset();
});
afterEach(() => setSender(null));

describe('candidate answer store', () => {
  it('queues each change with a rising seq, keeps it in localStorage before sending, and is saved only on its ack', () => {
    const s = useAttempt.getState();
    s.load(attemptDto());
    s.choose(1, 'B');
    s.choose(2, 'C');
    s.choose(1, 'D');
    expect(sent).toEqual(['answer 1', 'answer 2', 'answer 1']);
    const st = useAttempt.getState();
    expect(st.answers[1]).toMatchObject({ choice: ['D'], seq: 3, ackedSeq: 0 });
    expect(st.answers[2]).toMatchObject({ choice: ['C'], seq: 2 });
    expect(countPending(st.answers)).toBe(2);
    expect(readStored(41)?.answers).toEqual({ 1: [['D'], 3], 2: [['C'], 2] });

    // the ack of the first change (seq 1) arrives after the second change: question 1 stays unsaved
    useAttempt.getState().acked(1, 1);
    expect(isSaved(useAttempt.getState().answers[1])).toBe(false);
    expect(isPending(useAttempt.getState().answers[1])).toBe(true);
    useAttempt.getState().acked(1, 3);
    useAttempt.getState().acked(2, 2);
    expect(isSaved(useAttempt.getState().answers[1])).toBe(true);
    expect(countPending(useAttempt.getState().answers)).toBe(0);
    // nothing left to replay once everything is acked
    expect(readStored(41)?.answers).toEqual({});
  });

  it('a reload replays exactly the unacked changes, which win over the server copy, and seq goes on above both', () => {
    const s = useAttempt.getState();
    s.load(attemptDto({ answers: { 1: ['A'] }, lastSeq: 5 }));
    s.choose(2, 'B'); // seq 6
    s.choose(3, 'A'); // seq 7
    s.choose(3, 'C'); // seq 8: multiple choice toggles → [A, C]
    s.toggleFlag(2);
    useAttempt.getState().acked(2, 6);

    // the page reloads: memory is gone, localStorage is not; the server has answer 2 but not 3
    useAttempt.getState().reset();
    sent = [];
    useAttempt.getState().load(attemptDto({ answers: { 1: ['A'], 2: ['B'] }, lastSeq: 6 }));
    const st = useAttempt.getState();
    expect(st.answers[3]).toMatchObject({ choice: ['A', 'C'], seq: 8, ackedSeq: 0 });
    expect(isPending(st.answers[3])).toBe(true);
    expect(isSaved(st.answers[2])).toBe(true);
    expect(st.flags[2]).toBe(true);
    expect(st.unsentFlags).toEqual({ 2: true });
    expect(st.seq).toBe(8);
    useAttempt.getState().choose(1, 'D');
    expect(useAttempt.getState().answers[1]?.seq).toBe(9);
  });

  it('an ack with applied: false shows the newer answer the server holds, never ours as saved', () => {
    const s = useAttempt.getState();
    s.load(attemptDto({ lastSeq: 10 }));
    s.choose(1, 'A'); // seq 11
    // another PC saved seq 14 meanwhile
    useAttempt.getState().storedWins(1, 11, { choice: ['C'], seq: 14 });
    let st = useAttempt.getState();
    expect(st.answers[1]).toMatchObject({ choice: ['C'], seq: 0, ackedSeq: 0 });
    expect(isSaved(st.answers[1])).toBe(true);
    expect(st.seq).toBe(14);
    // the next change here counts on from the server's seq, so it is not overtaken again
    useAttempt.getState().choose(1, 'B');
    expect(useAttempt.getState().answers[1]?.seq).toBe(15);
    // a stale "stored wins" for the older seq does not undo the newer change
    useAttempt.getState().storedWins(1, 11, { choice: ['C'], seq: 14 });
    st = useAttempt.getState();
    expect(st.answers[1]).toMatchObject({ choice: ['B'], seq: 15 });
    expect(isPending(st.answers[1])).toBe(true);
  });

  it('a refused change is neither saved nor sent again, and a newer change clears the refusal', () => {
    const s = useAttempt.getState();
    s.load(attemptDto());
    s.choose(2, 'A');
    useAttempt.getState().rejected(2, 1, 'Câu trả lời không hợp lệ');
    let a = useAttempt.getState().answers[2];
    expect(a?.error).toBe('Câu trả lời không hợp lệ');
    expect(isSaved(a)).toBe(false);
    expect(isPending(a)).toBe(false);
    useAttempt.getState().choose(2, 'B');
    a = useAttempt.getState().answers[2];
    expect(a).toMatchObject({ choice: ['B'], seq: 2, error: null });
    expect(isPending(a)).toBe(true);
  });

  it('a full localStorage loses nothing held in memory: changes are still sent and saved on their acks', () => {
    const s = useAttempt.getState();
    s.load(attemptDto());
    s.choose(1, 'A');
    const before = readStored(41);
    storage.quota = 0; // full from now on
    expect(() => useAttempt.getState().choose(2, 'B')).not.toThrow();
    expect(() => useAttempt.getState().toggleFlag(3)).not.toThrow();
    const st = useAttempt.getState();
    expect(st.answers[2]).toMatchObject({ choice: ['B'], seq: 2 });
    expect(sent).toEqual(['answer 1', 'answer 2', 'flag 3']);
    // what could not be stored is still pending in memory, and the stored copy is the last good one
    expect(countPending(st.answers)).toBe(2);
    expect(readStored(41)).toEqual(before);
    useAttempt.getState().acked(1, 1);
    useAttempt.getState().acked(2, 2);
    expect(countPending(useAttempt.getState().answers)).toBe(0);
  });

  it('a finished attempt forgets its stored changes and takes no more', () => {
    const s = useAttempt.getState();
    s.load(attemptDto());
    s.choose(1, 'A');
    expect(readStored(41)).not.toBeNull();
    const result: SubmitResultDto = { attemptId: 41, submittedAt: 2, reason: 'candidate', result: null };
    useAttempt.getState().finished(result, 'candidate');
    expect(readStored(41)).toBeNull();
    expect(useAttempt.getState().phase).toBe('done');
    useAttempt.getState().choose(2, 'B');
    expect(useAttempt.getState().answers[2]).toBeUndefined();
    expect(sent).toEqual(['answer 1']);
  });

  it('ignores stored data that is not ours (another version, or not JSON)', () => {
    storage.setItem('exam.attempt.41', '{"v":2,"seq":"x"}');
    expect(readStored(41)).toBeNull();
    storage.setItem('exam.attempt.41', '{"v":1,"seq":4,"current":1,"answers":{"1":["B",4]},"flags":{}}');
    expect(readStored(41)).toBeNull();
    storage.setItem('exam.attempt.41', 'not json');
    expect(readStored(41)).toBeNull();
    useAttempt.getState().load(attemptDto({ answers: { 1: ['B'] }, lastSeq: 3 }));
    expect(useAttempt.getState().answers[1]).toMatchObject({ choice: ['B'], seq: 0 });
    expect(useAttempt.getState().seq).toBe(3);
  });
});
