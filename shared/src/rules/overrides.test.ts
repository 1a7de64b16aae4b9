import { describe, expect, it } from 'vitest';
import {
  applyOverrides,
  computeCandidateResult,
  diffFromProfile,
  ND24_2010,
  ND138_2020,
  PROFILES,
  ProfileOverrideError,
  rankCandidates,
} from './index.js';

describe('applyOverrides', () => {
  it('merges a deep partial, parts matched by id, without touching the profile', () => {
    const eff = applyOverrides(ND138_2020, {
      parts: [{ id: 'r1_ktc', durationMin: 90, name: { en: 'Part I' } }],
      choices: [{ id: 'round2_format', selected: 'written' }],
    });
    const ktc = eff.parts.find((p) => p.id === 'r1_ktc')!;
    expect(ktc.durationMin).toBe(90);
    expect(ktc.questionCount).toBe(60);
    expect(ktc.name).toEqual({ vi: 'Vòng 1 — Phần I: Kiến thức chung', en: 'Part I' });
    expect(eff.parts.map((p) => p.id)).toEqual(ND138_2020.parts.map((p) => p.id));
    expect(PROFILES['nd138-2020'].parts[0]!.durationMin).toBe(60);
    expect(eff.choices[0]!.selected).toBe('written');
    expect(eff.id).toBe('nd138-2020');
  });

  it('null sets a value; arrays without keys are replaced; a changed pass-rule kind is replaced whole', () => {
    const eff = applyOverrides(ND138_2020, {
      bankMultiple: null,
      tieBreak: { chain: ['round2_score', 'female', 'head_decides'] },
      parts: [{ id: 'r1_nn', passRule: { kind: 'min_score', score: 20 } }],
    });
    expect(eff.bankMultiple).toBeNull();
    expect(eff.tieBreak.chain).toEqual(['round2_score', 'female', 'head_decides']);
    expect(eff.parts.find((p) => p.id === 'r1_nn')!.passRule).toEqual({ kind: 'min_score', score: 20 });
  });

  it('adds new parts (complete, with defaults) and removes parts', () => {
    const eff = applyOverrides(ND138_2020, {
      parts: [
        { id: 'r1_th', remove: true },
        {
          id: 'r2_practice',
          name: { vi: 'Thực hành', en: 'Practical' },
          subject: 'CM',
          round: 2,
          mode: 'practical',
          questionCount: null,
          durationMin: 45,
          scoreScale: 100,
          passRule: { kind: 'min_score', score: 50 },
          role: 'condition',
          coefficient: null,
        },
      ],
    });
    expect(eff.parts.map((p) => p.id)).not.toContain('r1_th');
    expect(eff.parts.at(-1)).toMatchObject({ id: 'r2_practice', exemptibleBy: [], choice: null, appliesToGrades: null });
    expect(() => applyOverrides(ND138_2020, { parts: [{ id: 'half', durationMin: 10 }] })).toThrow(ProfileOverrideError);
    expect(() => applyOverrides(ND138_2020, { parts: [{ id: 'half', durationMin: 10 }] })).toThrow(
      'parts[half]: new item lacks name, subject, round, mode, questionCount, scoreScale, passRule, role, coefficient',
    );
  });
});

describe('diffFromProfile', () => {
  it('lists every overridden path with old and new values', () => {
    const eff = applyOverrides(ND138_2020, {
      parts: [
        { id: 'r1_ktc', durationMin: 90 },
        { id: 'r1_th', remove: true },
      ],
      choices: [{ id: 'round2_format', selected: 'written' }],
      priority: { categories: [{ code: 'dan_toc_thieu_so', points: 6 }] },
      tieBreak: { chain: ['round2_score', 'female', 'head_decides'] },
      sanctions: [{ code: 'khien_trach', deductionPercent: 20 }],
      bankMultiple: 4,
    });
    expect(diffFromProfile(ND138_2020, eff)).toEqual([
      { path: 'parts[r1_ktc].durationMin', change: 'changed', old: 60, new: 90 },
      { path: 'parts[r1_th]', change: 'removed', old: ND138_2020.parts.find((p) => p.id === 'r1_th'), new: undefined },
      { path: 'choices[round2_format].selected', change: 'changed', old: null, new: 'written' },
      { path: 'priority.categories[dan_toc_thieu_so].points', change: 'changed', old: 5, new: 6 },
      {
        path: 'tieBreak.chain',
        change: 'changed',
        old: ['round2_score', 'head_decides'],
        new: ['round2_score', 'female', 'head_decides'],
      },
      { path: 'sanctions[khien_trach].deductionPercent', change: 'changed', old: null, new: 20 },
      { path: 'bankMultiple', change: 'changed', old: 3, new: 4 },
    ]);
  });

  it('is empty without overrides, and shows added items', () => {
    expect(diffFromProfile(ND24_2010, applyOverrides(ND24_2010, {}))).toEqual([]);
    expect(diffFromProfile(ND24_2010, applyOverrides(ND24_2010, undefined))).toEqual([]);
    const eff = applyOverrides(ND24_2010, {
      priority: { categories: [{ code: 'moi', label: { vi: 'Mới', en: 'New' }, points: 5 }] },
    });
    expect(diffFromProfile(ND24_2010, eff)).toEqual([
      {
        path: 'priority.categories[moi]',
        change: 'added',
        old: undefined,
        new: { code: 'moi', label: { vi: 'Mới', en: 'New' }, points: 5, source: 'Hội đồng thi quy định' },
      },
    ]);
  });
});

describe('a board-configured sanction deduction (e.g. the Hà Nội 2015 practice) is applied', () => {
  it('khiển trách −20% on round 2 turns 60 into 48 and fails round 2', () => {
    const eff = applyOverrides(ND138_2020, {
      choices: [{ id: 'round2_format', selected: 'written' }],
      sanctions: [
        { code: 'khien_trach', deductionPercent: 20 },
        { code: 'canh_cao', deductionPercent: 40 },
      ],
    });
    const scores = [
      { partId: 'r1_ktc', correct: 40, total: 60 },
      { partId: 'r1_nn', correct: 20, total: 30 },
      { partId: 'r2_written', score: 60 },
    ];
    const r = computeCandidateResult(eff, { id: 'a', sanctions: [{ partId: 'r2_written', code: 'khien_trach' }] }, scores);
    const w = r.parts.find((p) => p.partId === 'r2_written')!;
    expect([w.rawScore, w.score, w.passed]).toEqual([60, 48, false]);
    expect(r.warnings).toEqual([]);
    expect(r.reasons[0]!.message).toBe('Không đạt phần "Vòng 2 — Thi viết": 48/100 điểm (48%), yêu cầu từ 50 điểm trở lên.');
    // Both sanctions on one part: the larger deduction (40%) applies, not 60%.
    const both = computeCandidateResult(
      eff,
      {
        id: 'b',
        sanctions: [
          { partId: 'r2_written', code: 'khien_trach' },
          { partId: 'r2_written', code: 'canh_cao' },
        ],
      },
      [...scores.slice(0, 2), { partId: 'r2_written', score: 90 }],
    );
    expect(both.total).toBe(54);
    const ranking = rankCandidates(eff, [r, both], 1);
    expect(ranking.rows.map((x) => [x.candidateId, x.status])).toEqual([
      ['b', 'selected'],
      ['a', 'failed'],
    ]);
  });
});
