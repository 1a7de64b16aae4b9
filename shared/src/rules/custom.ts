/**
 * A blank profile the board fills in through overrides (parts are added by id). Nothing here is a
 * legal fact: every regulatory value is null or empty, except that "hủy kết quả" cancels the result
 * by its very name, only the highest priority category counts (the rule in every regime of the
 * reference), and an unresolved tie goes to the head of the agency.
 */
import { ROUND_1, sanctionsUnknown } from './common.js';
import type { RegulationProfile } from './types.js';

export const CUSTOM: RegulationProfile = {
  id: 'custom',
  name: { vi: 'Tùy chỉnh (Hội đồng tự cấu hình)', en: 'Custom (configured by the board)' },
  // The exam's own kind is what matters; the board overrides this.
  kind: 'recruitment',
  legalBasis: '',
  sources: [],
  effective: { from: null, to: null },
  targetGrades: null,
  rounds: [{ round: 1, name: ROUND_1 }],
  parts: [],
  choices: [],
  total: { priorityAddedTo: null, maxBeforePriority: null, minScores: [], source: '' },
  priority: { combine: 'highest_only', categories: [], source: '' },
  tieBreak: { chain: ['head_decides'], partSources: {}, source: '' },
  sanctions: sanctionsUnknown('Hội đồng cấu hình'),
  timingMode: null,
  autoSubmit: null,
  showResultImmediately: null,
  resultSheetSigned: null,
  noPhucKhaoComputerRound1: null,
  lateAdmission: null,
  bankMultiple: null,
  kiemDinhValidityMonths: null,
  // Off by default. The board may turn it on for this profile only, and the screen says that scoring a
  // multiple-answer question in part is outside the regulations: every official regime counts "số câu
  // trả lời đúng" (see NO_PARTIAL_CREDIT in common.ts), and validateProfile refuses it anywhere else.
  partialCredit: false,
  resultsCarryOver: null,
  eligibility: null,
  gaps: [
    'Hồ sơ tùy chỉnh: Hội đồng phải khai báo các phần thi, cách tính điểm, ưu tiên và tiêu chí xét khi bằng điểm.',
    'Tính điểm từng phần cho câu nhiều đáp án (partialCredit) là lựa chọn NGOÀI QUY ĐỊNH: các quy định chính thức chỉ tính số câu trả lời đúng.',
  ],
};
