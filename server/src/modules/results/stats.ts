/**
 * Statistics of an exam's results for the board's charts (issue 6): a score histogram per part and
 * pass rates per room and per position. Pure: computed from the ExamResultsDto, so the published
 * snapshot gives the published statistics.
 *
 * Rules:
 * - A part's score counts in its histogram, mean and pass rate when the candidate sat it and it was
 *   scored: status passed, failed or cancelled (a cancelled paper counts with its score after the
 *   sanction, usually 0) and a score. Exempt, absent, missing, dropped, not applicable, barred and
 *   unconfigured parts are not counted.
 * - Histogram bins have equal width from 0 to the part's score scale; bin i holds from ≤ s < to, and
 *   the last bin also holds s = scale (and, defensively, anything above it; below 0 goes to the first).
 * - Part pass rate = parts with status passed / parts counted.
 * - Room and position pass rate: every candidate of the room (or position) counts; a candidate
 *   passed when they met the pass rules, whether or not they were selected within the quota, i.e.
 *   status selected, below_quota or tie_pending (not failed, not sanction). Candidates without a
 *   room are grouped under key "" ("Chưa xếp phòng").
 * - Rates are fractions in [0, 1] rounded to 4 decimals, means to 2; null when nothing was counted.
 */
import type { ExamResultsDto, HistogramDto, PassRateDto, ResultPartDto, ResultRowDto, ResultsStatsDto } from '@exam/shared';

const round = (x: number, d: number) => {
  const f = 10 ** d;
  return Math.round(x * f) / f;
};

/** Does this part's score count in the statistics? */
export function partScored(p: Pick<ResultPartDto, 'status' | 'score'>): p is Pick<ResultPartDto, 'status'> & { score: number } {
  return (p.status === 'passed' || p.status === 'failed' || p.status === 'cancelled') && typeof p.score === 'number';
}

/** Did the candidate meet the pass rules (selected or not)? */
export function rowPassed(row: Pick<ResultRowDto, 'status'>): boolean {
  return row.status !== 'failed' && row.status !== 'sanction';
}

/** Index of the bin of `score` among `bins` equal bins over [0, scale]. */
export function binIndex(score: number, scale: number, bins: number): number {
  if (!(scale > 0) || !(score > 0)) return 0;
  // the epsilon keeps 0.6 of a 0–3 scale in bins of 0.3 out of the bin below (0.6 / 0.3 = 1.999…)
  const i = Math.floor((score * bins) / scale + 1e-9);
  return Math.min(bins - 1, Math.max(0, i));
}

interface PartAcc {
  partId: number;
  name: string;
  scoreScale: number;
  counts: number[];
  sum: number;
  n: number;
  passed: number;
}

interface RateAcc {
  key: string;
  label: string;
  candidates: number;
  passed: number;
}

const rate = (a: RateAcc): PassRateDto => ({
  key: a.key,
  label: a.label,
  candidates: a.candidates,
  passed: a.passed,
  rate: a.candidates > 0 ? round(a.passed / a.candidates, 4) : null,
});

export function resultsStats(r: ExamResultsDto, bins = 10): ResultsStatsDto {
  if (!Number.isInteger(bins) || bins < 1 || bins > 200) throw new RangeError(`bins must be an integer in [1, 200], got ${bins}`);
  const parts = new Map<number, PartAcc>();
  const rooms = new Map<string, RateAcc>();
  const byPosition: RateAcc[] = [];

  for (const pos of r.positions) {
    const posAcc: RateAcc = { key: pos.code, label: pos.name, candidates: 0, passed: 0 };
    byPosition.push(posAcc);
    for (const row of pos.rows) {
      const passed = rowPassed(row);
      posAcc.candidates++;
      if (passed) posAcc.passed++;
      const roomKey = row.roomCode ?? '';
      let room = rooms.get(roomKey);
      if (!room) {
        room = { key: roomKey, label: roomKey ? `Phòng ${roomKey}` : 'Chưa xếp phòng', candidates: 0, passed: 0 };
        rooms.set(roomKey, room);
      }
      room.candidates++;
      if (passed) room.passed++;

      for (const p of row.parts) {
        if (p.partId === 0) continue; // a profile part this exam does not hold (e.g. an option not chosen)
        let acc = parts.get(p.partId);
        if (!acc) {
          acc = {
            partId: p.partId,
            name: p.name,
            scoreScale: p.scoreScale,
            counts: new Array<number>(bins).fill(0),
            sum: 0,
            n: 0,
            passed: 0,
          };
          parts.set(p.partId, acc);
        }
        if (!partScored(p)) continue;
        acc.counts[binIndex(p.score, acc.scoreScale, bins)]!++;
        acc.sum += p.score;
        acc.n++;
        if (p.status === 'passed') acc.passed++;
      }
    }
  }

  const histograms: HistogramDto[] = [...parts.values()].map((a) => {
    const width = a.scoreScale / bins;
    return {
      partId: a.partId,
      name: a.name,
      scoreScale: a.scoreScale,
      bins: a.counts.map((count, i) => ({
        from: round(i * width, 6),
        to: i === bins - 1 ? a.scoreScale : round((i + 1) * width, 6),
        count,
      })),
      mean: a.n > 0 ? round(a.sum / a.n, 2) : null,
      passRate: a.n > 0 ? round(a.passed / a.n, 4) : null,
    };
  });

  const byRoom = [...rooms.values()].sort((a, b) => {
    if (a.key === '' || b.key === '') return a.key === '' ? (b.key === '' ? 0 : 1) : -1;
    return a.key.localeCompare(b.key, 'vi', { numeric: true });
  });

  return { histograms, byRoom: byRoom.map(rate), byPosition: byPosition.map(rate) };
}
