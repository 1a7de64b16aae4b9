/**
 * Moving a công chức to a job position of a higher rank under NĐ 170/2025 (from 1/7/2025 this replaces
 * the promotion exam, thi nâng ngạch) [S27][S54][S55]: the head sets up a Council that checks the
 * conditions (a vacancy within the rank ratio, rated "tốt" or better, not under discipline, fit with
 * the competency framework) and votes. As the reference reports NĐ 170/2025 Điều 23–24: the Council has
 * an odd number of members, meets with a quorum of 2/3 of them, decides by majority vote, and where
 * the votes are tied the side the chair voted for wins. Every member's vote is recorded.
 *
 * NOT FOUND with the search tool (kept as settings, listed in COUNCIL_ND170_2025.gaps): the exact words
 * of the quorum ("ít nhất 2/3 số thành viên"?), and whether the majority is counted over the members
 * present or over all members. Defaults follow the reference: 2/3 quorum, majority of votes cast.
 */

export type CouncilVote = 'agree' | 'disagree';

export interface CouncilMember {
  id: string;
  name: string;
  isChair: boolean;
}

export interface CouncilRule {
  /** Quorum as a fraction of all members (2/3 in the reference). */
  quorum: { numerator: number; denominator: number };
  /** A majority of the votes cast by the members present, or of all members. */
  majorityOf: 'present' | 'members';
  /** On a tie, the side the chair voted for wins. */
  chairBreaksTie: boolean;
  source: string;
  gaps: string[];
}

export const COUNCIL_ND170_2025: CouncilRule = {
  quorum: { numerator: 2, denominator: 3 },
  majorityOf: 'present',
  chairBreaksTie: true,
  source: 'NĐ 170/2025 Điều 23–24 (reference §4 and §5b, news.laodong 1584223, 1659031) [S54][S55]',
  gaps: [
    'Lời văn chính xác về số lượng thành viên tối thiểu, tỷ lệ có mặt (2/3) và cách tính đa số (trên số có mặt hay trên tổng số thành viên): KHÔNG TÌM THẤY văn bản gốc bằng công cụ tìm kiếm; mặc định theo tài liệu tham khảo.',
  ],
};

export type CouncilOutcome =
  | 'approved'
  | 'rejected'
  /** fewer members present than the quorum: no decision can be taken */
  | 'no_quorum'
  /** the Council is not properly constituted (even number of members, no chair, …) */
  | 'invalid_council';

export interface CouncilResult {
  outcome: CouncilOutcome;
  members: number;
  present: number;
  quorumNeeded: number;
  agree: number;
  disagree: number;
  /** The tie was decided by the chair's side. */
  decidedByChair: boolean;
  /** Every member's vote as recorded (null: absent). */
  votes: { memberId: string; name: string; isChair: boolean; vote: CouncilVote | null }[];
  /** Vietnamese, for the minutes. */
  message: string;
}

/**
 * The Council's outcome from each member's recorded vote (absent members have none). Pure.
 * - an even number of members, no chair or more than one, or a vote from a non-member: invalid;
 * - present < ⌈members × quorum⌉: no quorum;
 * - agree > disagree (of those present, or agree > members / 2): approved; the reverse: rejected;
 * - a tie: the chair's side wins when the chair voted; a tie without the chair's vote has no outcome
 *   and is reported as invalid (never guessed either way).
 */
export function councilDecision(
  rule: CouncilRule,
  members: readonly CouncilMember[],
  votes: Readonly<Record<string, CouncilVote | null | undefined>>,
): CouncilResult {
  const n = members.length;
  const recorded = members.map((m) => ({ memberId: m.id, name: m.name, isChair: m.isChair, vote: votes[m.id] ?? null }));
  const agree = recorded.filter((v) => v.vote === 'agree').length;
  const disagree = recorded.filter((v) => v.vote === 'disagree').length;
  const present = agree + disagree;
  const quorumNeeded = Math.ceil((n * rule.quorum.numerator) / rule.quorum.denominator);
  const base = { members: n, present, quorumNeeded, agree, disagree, votes: recorded };
  const invalid = (message: string): CouncilResult => ({ ...base, outcome: 'invalid_council', decidedByChair: false, message });

  const ids = new Set(members.map((m) => m.id));
  const stranger = Object.keys(votes).find((id) => !ids.has(id) && votes[id] != null);
  if (stranger !== undefined) return invalid(`"${stranger}" không phải thành viên Hội đồng nên không được biểu quyết.`);
  if (ids.size !== n) return invalid('Danh sách thành viên Hội đồng có người bị trùng.');
  if (n === 0 || n % 2 === 0) return invalid(`Hội đồng phải có số thành viên lẻ (hiện có ${n}).`);
  const chairs = members.filter((m) => m.isChair);
  if (chairs.length !== 1) return invalid('Hội đồng phải có đúng một Chủ tịch.');
  const chair = recorded.find((v) => v.isChair);

  if (present < quorumNeeded) {
    return {
      ...base,
      outcome: 'no_quorum',
      decidedByChair: false,
      message: `Không đủ số thành viên tham dự: có mặt ${present}/${n}, cần ít nhất ${quorumNeeded} (${rule.quorum.numerator}/${rule.quorum.denominator}). Hội đồng chưa thể biểu quyết.`,
    };
  }
  const pool = rule.majorityOf === 'present' ? present : n;
  if (agree * 2 > pool) {
    return { ...base, outcome: 'approved', decidedByChair: false, message: `Hội đồng đồng ý: ${agree}/${pool} phiếu đồng ý.` };
  }
  if (disagree * 2 > pool || (rule.majorityOf === 'members' && agree !== disagree)) {
    return {
      ...base,
      outcome: 'rejected',
      decidedByChair: false,
      message: `Hội đồng không đồng ý: ${agree}/${pool} phiếu đồng ý.`,
    };
  }
  // agree === disagree: the chair's side wins
  if (rule.chairBreaksTie && chair?.vote) {
    const outcome = chair.vote === 'agree' ? 'approved' : 'rejected';
    return {
      ...base,
      outcome,
      decidedByChair: true,
      message: `Số phiếu ngang nhau (${agree}–${disagree}); kết quả theo ý kiến của Chủ tịch Hội đồng: ${outcome === 'approved' ? 'đồng ý' : 'không đồng ý'}.`,
    };
  }
  return invalid(`Số phiếu ngang nhau (${agree}–${disagree}) và Chủ tịch Hội đồng không biểu quyết: chưa có kết quả.`);
}
