import {
  type CandidateResult,
  computeCandidateResult,
  DEFAULT_MARKING_RULE,
  type ExamResultsDto,
  isEthnicMinority,
  isGradeCode,
  type MarkDto,
  type MarkingRuleBody,
  type PartScoreInput,
  type PositionResultDto,
  type ProfileCandidate,
  type RegulationProfile,
  type ResultPartDto,
  type ResultRowDto,
  rankCandidates,
  type SanctionRecord,
  type TieDecisionDto,
} from '@exam/shared';
import type { EligibilityService } from '../exams/eligibility.js';
import type { ExamService } from '../exams/service.js';
import { explainPosition, type PositionDecision } from './explain.js';
import { groupMarks, markDto } from './marks.js';
import type { ResultsRepo } from './repo.js';

/** What computing an exam's results reads from: the results repository and the exams area's services. */
export interface ComputeDeps {
  repo: ResultsRepo;
  exams: ExamService;
  eligibility: EligibilityService;
}

type CandidateRow = Awaited<ReturnType<ResultsRepo['candidates']>>[number];

/**
 * What the sittings say about the computer parts: which parts are scheduled in a sitting, the
 * absences confirmed when rooms closed (part:candidate), and the sittings not yet sealed.
 */
async function sittingCoverage(
  repo: ResultsRepo,
  examId: number,
): Promise<{ scheduled: Set<number>; absent: Set<string>; unsealed: string[] }> {
  const sittings = await repo.sittings(examId);
  const scheduled = new Set<number>();
  for (const st of sittings) for (const id of st.partIds) scheduled.add(id);
  const absent = new Set((await repo.absences(examId)).map((a) => `${a.partId}:${a.candidateId}`));
  return { scheduled, absent, unsealed: sittings.filter((x) => !x.sealed).map((x) => x.name) };
}

/**
 * The results of an exam computed now (ignoring any publication): each candidate's parts under the
 * marking rules and the marks that stand after phúc khảo, the profile's conditions and priority, the
 * ranking per position with the head's tie decisions, the explanations, and what blocks publication.
 */
export async function computeResults(deps: ComputeDeps, examId: number): Promise<ExamResultsDto> {
  const { repo, exams } = deps;
  const e = exams.examRow(examId);
  const profile: RegulationProfile = exams.effectiveProfile(e);
  const parts = exams.parts(examId);
  const byCode = new Map(parts.map((p) => [p.code, p]));
  const firstPart = [...parts].sort((a, b) => a.round - b.round || a.sortOrder - b.sortOrder)[0];
  const rules = new Map<number, MarkingRuleBody>();
  for (const p of parts) rules.set(p.id, (await repo.markingRule(p.id)) ?? DEFAULT_MARKING_RULE);
  const marks = groupMarks(await repo.marks(examId));
  const sat = await sittingCoverage(repo, examId);
  const reviewed = await repo.reviewedMarks(examId);
  const ineligible = await deps.eligibility.notEligible(examId);
  const attempts = new Map<string, { status: string; correct: number | null; total: number | null; score: number | null }>();
  for (const a of await repo.attemptScores(examId)) attempts.set(`${a.partId}:${a.candidateId}`, a);
  const sanctions = new Map<number, SanctionRecord[]>();
  for (const s of await repo.sanctions(examId)) {
    const code = (s.partId !== null ? parts.find((p) => p.id === s.partId)?.code : undefined) ?? firstPart?.code ?? '';
    const list = sanctions.get(s.candidateId) ?? [];
    list.push({ partId: code, code: s.code });
    sanctions.set(s.candidateId, list);
  }
  const rooms = await repo.latestRooms(examId);
  const decisions = await repo.tieDecisions(examId);
  const decisionDto = (d: (typeof decisions)[number]): TieDecisionDto => ({
    candidateIds: d.ids,
    reason: d.reason,
    by: d.byName ?? '',
    at: d.at,
    ref:
      d.decisionNumber && d.decisionDate && d.signer
        ? { decisionNumber: d.decisionNumber, decisionDate: d.decisionDate, signer: d.signer }
        : null,
  });
  const headOrder = new Map<number, number>();
  for (const d of decisions) {
    d.ids.forEach((id, i) => {
      headOrder.set(id, i + 1);
    });
  }

  const all = await repo.candidates(examId);
  const positions = new Map<number, CandidateRow[]>();
  for (const c of all) {
    const list = positions.get(c.positionId) ?? [];
    list.push(c);
    positions.set(c.positionId, list);
  }
  const posRows = await repo.positions(examId);
  let missing = 0;
  /** computer parts not sat yet, by part id: candidates who must sit them */
  const unsat = new Map<number, number>();
  let unresolved = 0;
  let tiesPending = 0;

  const out: PositionResultDto[] = posRows.map((pos) => {
    const members = positions.get(pos.id) ?? [];
    const results = new Map<string, CandidateResult>();
    const marksOf = new Map<string, MarkDto>();
    for (const c of members) {
      const inputs: PartScoreInput[] = [];
      for (const p of parts) {
        if (p.mode === 'computer_mc') {
          const a = attempts.get(`${p.id}:${c.id}`);
          if (a?.status === 'submitted')
            inputs.push({ partId: p.code, correct: a.correct ?? 0, total: a.total ?? 0, score: a.score ?? 0 });
          // absent (vắng) only when the invigilator confirmed it at the room's closing; otherwise the
          // part has not been sat yet and its score is missing
          else if (sat.absent.has(`${p.id}:${c.id}`)) inputs.push({ partId: p.code, absent: true });
        } else {
          const m = markDto(rules.get(p.id) ?? DEFAULT_MARKING_RULE, marks.get(`${p.id}:${c.id}`));
          marksOf.set(`${p.id}:${c.id}`, m);
          // after phúc khảo the mark that stands replaces the original (issue 13)
          const stands = reviewed.get(`${p.id}:${c.id}`);
          if (stands !== undefined) inputs.push({ partId: p.code, score: stands });
          else if (m.state === 'absent') inputs.push({ partId: p.code, absent: true });
          else if (m.final !== null) inputs.push({ partId: p.code, score: m.final });
        }
      }
      const extra = c.extra;
      const candidate: ProfileCandidate = {
        id: String(c.id),
        gender: c.gender === 'female' ? 'female' : 'male',
        // from the list of the 54 groups: "Việt (Kinh)" is not a minority (issue 13)
        ethnicMinority: isEthnicMinority(c.ethnicity) === true,
        birthDate: c.dateOfBirth,
        serviceMonths:
          typeof extra.serviceMonths === 'number'
            ? extra.serviceMonths
            : typeof extra.yearsOfService === 'number'
              ? Math.round(extra.yearsOfService * 12)
              : null,
        grade: isGradeCode(c.grade) ? c.grade : null,
        priorityCodes: c.priorityCategory ? [c.priorityCategory] : [],
        exemptions: c.exemptions,
        kiemDinh: c.kiemDinh,
        foreignLanguageRequired: !!c.requiresForeignLanguage,
        choices: extra.choices,
        sanctions: sanctions.get(c.id) ?? [],
        headDecisionOrder: headOrder.get(c.id) ?? null,
        achievementLevel: typeof extra.achievementLevel === 'number' ? extra.achievementLevel : null,
      };
      const res = computeCandidateResult(profile, candidate, inputs, {
        examDate: e.examDate ?? undefined,
        applicationDeadline: e.applicationDeadline ?? undefined,
      });
      // a candidate kept on record as not eligible is not ranked (issue 13)
      const notEligible = ineligible.get(c.id);
      results.set(
        String(c.id),
        notEligible === undefined
          ? res
          : {
              ...res,
              passed: false,
              reasons: [
                {
                  code: 'not_eligible',
                  message: `Không đủ điều kiện dự thi: ${notEligible}`,
                  messageEn: `Not eligible to sit the exam: ${notEligible}`,
                },
                ...res.reasons,
              ],
            },
      );
    }
    const ranking = rankCandidates(profile, [...results.values()], pos.quota);
    const byId = new Map(members.map((c) => [String(c.id), c]));
    const bare: Omit<ResultRowDto, 'explanation'>[] = ranking.rows.flatMap((rr) => {
      const c = byId.get(rr.candidateId);
      const res = results.get(rr.candidateId);
      if (!c || !res) return [];
      const partDtos: ResultPartDto[] = res.parts.map((o) => {
        const p = byCode.get(o.partId);
        const m = p ? (marksOf.get(`${p.id}:${c.id}`) ?? null) : null;
        // a candidate kept on record as not eligible sits nothing and needs no marks (issue 13)
        if (o.status === 'missing' && !ineligible.has(c.id)) {
          if (p?.mode === 'computer_mc') unsat.set(p.id, (unsat.get(p.id) ?? 0) + 1);
          else missing++;
        }
        if (m?.state === 'needs_resolution') unresolved++;
        return {
          partId: p?.id ?? 0,
          code: o.partId,
          name: p?.name ?? o.name.vi,
          round: o.round,
          mode: p?.mode ?? '',
          role: o.role,
          status: o.status,
          score: o.score,
          scoreScale: o.scoreScale,
          // computer parts: the correct answers counted at grading (the outcome keeps only the score)
          correct: p?.mode === 'computer_mc' ? (attempts.get(`${p.id}:${c.id}`)?.correct ?? o.correct) : o.correct,
          total: p?.mode === 'computer_mc' ? (attempts.get(`${p.id}:${c.id}`)?.total ?? null) : null,
          marks: m,
        };
      });
      if (rr.status === 'tie_pending') tiesPending++;
      const row: Omit<ResultRowDto, 'explanation'> = {
        candidateId: c.id,
        number: c.number,
        fullName: c.fullName,
        dateOfBirth: c.dateOfBirth,
        roomCode: rooms.get(c.id) ?? null,
        parts: partDtos,
        conditionsMet: res.conditionsMet,
        baseScore: res.baseScore,
        priorityPoints: res.priorityPoints,
        priorityCode: res.priorityCode,
        total: rr.total,
        rank: rr.rank,
        selected: rr.selected,
        status: rr.status,
        reason: rr.reason ?? (rr.selected ? null : (res.reasons[0]?.message ?? null)),
        reasonEn: rr.reasonEn ?? (rr.selected ? null : (res.reasons[0]?.messageEn ?? null)),
        reasons: res.reasons.map((x) => x.message),
        reasonsEn: res.reasons.map((x) => x.messageEn),
        warnings: res.warnings.map((x) => x.message),
        warningsEn: res.warnings.map((x) => x.messageEn),
        tieGroup: rr.tieGroup,
        sanctions: (sanctions.get(c.id) ?? []).map((s) => s.code),
      };
      return [row];
    });
    const posDecisions = decisions.filter((d) => d.positionId === pos.id);
    const explanations = explainPosition({
      profile,
      quota: pos.quota,
      rows: bare,
      results: new Map([...results].map(([id, res]) => [Number(id), res])),
      ethnicity: new Map(members.map((c) => [c.id, c.ethnicity])),
      decisions: posDecisions.flatMap((d): PositionDecision[] => {
        const ref = decisionDto(d).ref;
        return ref ? [{ ...ref, candidateIds: d.ids }] : [];
      }),
      priorityLabel: (code) => profile.priority.categories.find((x) => x.code === code)?.label ?? { vi: code, en: code },
    });
    const rows: ResultRowDto[] = bare.map((r) => ({
      ...r,
      explanation: explanations.get(r.candidateId) ?? { lines: [], tie: null },
    }));
    return {
      positionId: pos.id,
      code: pos.code,
      name: pos.name,
      quota: pos.quota,
      rows,
      selected: ranking.selectedCount,
      tiedGroups: [
        // ties the head has decided (the chain now resolves them at its head_decides step)
        ...posDecisions.flatMap((d) => {
          const ids = d.ids;
          const decidedRows = ranking.rows.filter((x) => ids.includes(Number(x.candidateId)));
          if (!decidedRows.some((x) => x.decidedBy === 'head_decides')) return [];
          return [
            {
              rank: Math.min(...decidedRows.map((x) => x.rank ?? Number.POSITIVE_INFINITY)),
              candidateIds: ids,
              seats: decidedRows.filter((x) => x.selected).length,
              decision: decisionDto(d),
            },
          ];
        }),
        ...ranking.tiedGroups.map((g) => {
          const ids = g.candidateIds.map(Number);
          const d = [...posDecisions].reverse().find((x) => {
            return ids.every((id) => x.ids.includes(id));
          });
          return {
            rank: g.rank,
            candidateIds: ids,
            seats: g.seats,
            decision: d ? decisionDto(d) : null,
          };
        }),
      ],
    };
  });
  const blockers: ExamResultsDto['blockers'] = [];
  for (const p of parts) {
    if (p.mode !== 'computer_mc' || sat.scheduled.has(p.id)) continue;
    blockers.push({
      code: 'PART_NOT_SCHEDULED',
      count: 1,
      message: `Phần thi "${p.name}" chưa được xếp vào ca thi nào`,
    });
  }
  for (const [partId, n] of unsat) {
    const p = parts.find((x) => x.id === partId);
    blockers.push({
      code: 'PARTS_UNSAT',
      count: n,
      message: `Phần thi "${p?.name ?? partId}": ${n} thí sinh chưa thi (phòng thi chưa đóng, thí sinh vắng chưa được xác nhận)`,
    });
  }
  if (sat.unsealed.length > 0)
    blockers.push({
      code: 'SITTINGS_NOT_SEALED',
      count: sat.unsealed.length,
      message: `Ca thi chưa niêm phong dữ liệu: ${sat.unsealed.join(', ')}`,
    });
  if (missing > 0) blockers.push({ code: 'SCORES_MISSING', count: missing, message: `Còn ${missing} điểm thành phần chưa nhập` });
  if (unresolved > 0)
    blockers.push({
      code: 'NEEDS_RESOLUTION',
      count: unresolved,
      message: `${unresolved} bài có điểm hai người chấm chênh lệch quá mức, chờ hội đồng quyết định`,
    });
  if (tiesPending > 0)
    blockers.push({
      code: 'TIES_PENDING',
      count: tiesPending,
      // a chain without the head's step (xét thăng hạng viên chức: nothing found after Điều 40 k2 đ) leaves it to the council
      message: `${tiesPending} thí sinh bằng điểm ở ngưỡng trúng tuyển, ${
        profile.tieBreak.chain.includes('head_decides') ? 'chờ người đứng đầu quyết định' : 'chờ Hội đồng xác định cách phân định'
      }`,
    });
  return {
    examId,
    examName: e.name,
    examCode: e.code,
    profileId: e.profileId,
    published: null,
    positions: out,
    blockers,
    computedAt: new Date().toISOString(),
  };
}
