/**
 * Worked examples of the Council's vote on moving a công chức to a higher-rank post (NĐ 170/2025
 * Điều 23–24 as the reference reports them: an odd number of members, a 2/3 quorum, majority vote, the
 * chair's side wins a tie).
 */
import { describe, expect, it } from 'vitest';
import { COUNCIL_ND170_2025, type CouncilMember, councilDecision } from './council.js';

const five: CouncilMember[] = [
  { id: 'ct', name: 'Nguyễn Văn Chủ', isChair: true },
  { id: 'm1', name: 'Trần Thị Một', isChair: false },
  { id: 'm2', name: 'Lê Văn Hai', isChair: false },
  { id: 'm3', name: 'Phạm Thị Ba', isChair: false },
  { id: 'm4', name: 'Hoàng Văn Bốn', isChair: false },
];

describe('councilDecision (NĐ 170/2025)', () => {
  it('5 members, all present, 3 agree to 2: approved; every vote recorded', () => {
    const r = councilDecision(COUNCIL_ND170_2025, five, {
      ct: 'agree',
      m1: 'agree',
      m2: 'agree',
      m3: 'disagree',
      m4: 'disagree',
    });
    expect(r).toMatchObject({ outcome: 'approved', present: 5, quorumNeeded: 4, agree: 3, disagree: 2, decidedByChair: false });
    expect(r.votes.map((v) => `${v.memberId}:${v.vote}`)).toEqual([
      'ct:agree',
      'm1:agree',
      'm2:agree',
      'm3:disagree',
      'm4:disagree',
    ]);
  });

  it('a tied vote: 4 present (one absent), 2–2; the chair voted agree, so the Council agrees', () => {
    const r = councilDecision(COUNCIL_ND170_2025, five, { ct: 'agree', m1: 'agree', m2: 'disagree', m3: 'disagree', m4: null });
    expect(r).toMatchObject({ outcome: 'approved', present: 4, agree: 2, disagree: 2, decidedByChair: true });
    expect(r.message).toContain('Chủ tịch Hội đồng');
    // the same tie with the chair on the other side
    const other = councilDecision(COUNCIL_ND170_2025, five, { ct: 'disagree', m1: 'agree', m2: 'agree', m3: 'disagree' });
    expect(other).toMatchObject({ outcome: 'rejected', decidedByChair: true });
  });

  it('missing quorum: 3 of 5 present is below ⌈5 × 2/3⌉ = 4, even if all 3 agree', () => {
    const r = councilDecision(COUNCIL_ND170_2025, five, { ct: 'agree', m1: 'agree', m2: 'agree' });
    expect(r).toMatchObject({ outcome: 'no_quorum', present: 3, quorumNeeded: 4 });
    expect(r.message).toBe('Không đủ số thành viên tham dự: có mặt 3/5, cần ít nhất 4 (2/3). Hội đồng chưa thể biểu quyết.');
  });

  it('an even number of members, two chairs, or a vote from a non-member: the Council is not valid', () => {
    expect(councilDecision(COUNCIL_ND170_2025, five.slice(0, 4), { ct: 'agree' }).outcome).toBe('invalid_council');
    expect(
      councilDecision(
        COUNCIL_ND170_2025,
        five.map((m) => ({ ...m, isChair: true })),
        {},
      ).outcome,
    ).toBe('invalid_council');
    expect(councilDecision(COUNCIL_ND170_2025, five, { x: 'agree' }).outcome).toBe('invalid_council');
  });

  it('majority of those present or of all members (a setting while the text is NOT FOUND): 2 agree, 1 disagree, 3 of 5 present', () => {
    const rule = { ...COUNCIL_ND170_2025, quorum: { numerator: 3, denominator: 5 } };
    const votes = { ct: 'agree', m1: 'agree', m2: 'disagree' } as const;
    expect(councilDecision(rule, five, votes).outcome).toBe('approved');
    expect(councilDecision({ ...rule, majorityOf: 'members' }, five, votes).outcome).toBe('rejected');
  });
});
