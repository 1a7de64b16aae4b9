import { afterEach, describe, expect, it, vi } from 'vitest';
import { headDecisionRef } from '../src/modules/results/headDecision.js';

/**
 * The head's decision may be dated today in the exam's time zone. At 18:30 UTC it is already the
 * next morning in Hà Nội (UTC+7): a decision signed that morning was refused as "in the future"
 * when today was taken in UTC (seen in the e2e run of issue 13 in the evening, UTC).
 */
const body = (decisionDate: string) => ({
  positionId: 1,
  candidateIds: [1, 2],
  reason: 'Thủ trưởng quyết định',
  decisionNumber: '45/QĐ-SNV',
  decisionDate,
  signer: 'Nguyễn Văn Thủ',
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the head decision date', () => {
  it("is checked against today in the exam's zone, not in UTC", () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-07T18:30:00Z'));
    expect(headDecisionRef(body('2026-12-08'), 'Asia/Ho_Chi_Minh').decisionDate).toBe('2026-12-08');
    expect(() => headDecisionRef(body('2026-12-09'), 'Asia/Ho_Chi_Minh')).toThrow(/không thể sau hôm nay/);
    // in a zone behind UTC, the 8th has not begun yet
    expect(() => headDecisionRef(body('2026-12-08'), 'America/New_York')).toThrow(/không thể sau hôm nay/);
  });
});
