import { DIFFICULTIES, type Difficulty, isDifficulty, type SummaryDto, type TopicDto } from '@exam/shared';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BlueprintCellBody } from '../../api/exams';
import { formatNumber } from '../../i18n/format';
import { FormField } from '../../ui/FormField';
import { useLabels } from '../../ui/labels';
import { indentedLabel, topicTree } from '../topicTree';

/** One row of the editor; `count` is the text typed. */
export interface BlueprintRow {
  key: number;
  topicId: number | null;
  difficulty: Difficulty;
  count: string;
}

let nextKey = 1;
export function newRow(topicId: number | null, difficulty: Difficulty, count: number | string): BlueprintRow {
  return { key: nextKey++, topicId, difficulty, count: String(count) };
}

export function rowsFromCells(
  cells: readonly { topicId: number | string | null; difficulty: Difficulty; count: number }[],
): BlueprintRow[] {
  return cells.map((c) => newRow(c.topicId === null ? null : Number(c.topicId), c.difficulty, c.count));
}

function parseCount(s: string): number | null {
  const t = s.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= 1 ? n : null;
}

/** Cells for the API, and the problems to fix first (bad counts, repeated rows). */
export function cellsFromRows(rows: readonly BlueprintRow[]): {
  cells: BlueprintCellBody[];
  problems: { key: string; n: number }[];
} {
  const problems: { key: string; n: number }[] = [];
  const seen = new Set<string>();
  const cells: BlueprintCellBody[] = [];
  rows.forEach((r, i) => {
    const count = parseCount(r.count);
    if (count === null) problems.push({ key: 'blueprint.badCount', n: i + 1 });
    const id = `${r.topicId ?? 'all'}|${r.difficulty}`;
    if (seen.has(id)) problems.push({ key: 'blueprint.duplicate', n: i + 1 });
    seen.add(id);
    if (count !== null) cells.push({ topicId: r.topicId, difficulty: r.difficulty, count });
  });
  return { cells, problems };
}

export function rowsSum(rows: readonly BlueprintRow[]): number {
  return rows.reduce((n, r) => n + (parseCount(r.count) ?? 0), 0);
}

/**
 * Splits `total` by percentages (largest remainder), so the parts add up to exactly `total`.
 * Percentages are expected to add up to 100.
 */
export function splitByPercent(total: number, percents: Record<Difficulty, number>): Record<Difficulty, number> {
  const raw = DIFFICULTIES.map((d) => (total * (percents[d] || 0)) / 100);
  const out = raw.map((x) => Math.floor(x));
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; rest > 0 && order.length; k = (k + 1) % order.length) {
    const o = order[k];
    if (o) out[o.i] = (out[o.i] ?? 0) + 1;
    rest--;
  }
  return Object.fromEntries(DIFFICULTIES.map((d, i) => [d, out[i] ?? 0])) as Record<Difficulty, number>;
}

/**
 * Splits `total` by percentages, then keeps every difficulty within what the bank can serve
 * (`caps`, already divided by the bank multiple): what a difficulty cannot take goes to the others
 * that still can, largest share first; what none can take is the shortfall (issue 19).
 */
export function splitWithinBank(
  total: number,
  percents: Record<Difficulty, number>,
  caps: Record<Difficulty, number>,
): { counts: Record<Difficulty, number>; shortfall: number } {
  const counts = splitByPercent(total, percents);
  let excess = 0;
  for (const d of DIFFICULTIES) {
    const cap = Math.max(0, caps[d]);
    if (counts[d] > cap) {
      excess += counts[d] - cap;
      counts[d] = cap;
    }
  }
  const order = [...DIFFICULTIES].sort((a, b) => (percents[b] || 0) - (percents[a] || 0));
  for (const d of order) {
    if (excess === 0) break;
    const room = Math.max(0, caps[d]) - counts[d];
    const take = Math.min(room, excess);
    counts[d] += take;
    excess -= take;
  }
  return { counts, shortfall: excess };
}

interface BlueprintEditorProps {
  rows: BlueprintRow[];
  onChange: (rows: BlueprintRow[]) => void;
  /** Questions the part must have (the sum is shown against it). */
  questionCount: number | null;
  topics: TopicDto[];
  /** Approved questions by topic × difficulty; undefined while loading. */
  summary: SummaryDto | undefined;
  multiple: number;
  disabled?: boolean;
}

const DEFAULT_PERCENTS: Record<Difficulty, number> = { nhan_biet: 40, thong_hieu: 30, van_dung: 20, van_dung_cao: 10 };

/** Topic (or whole subject) × difficulty → count, with the bank's approved counts beside each row. */
export function BlueprintEditor({ rows, onChange, questionCount, topics, summary, multiple, disabled }: BlueprintEditorProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  const tree = useMemo(() => topicTree(topics), [topics]);
  const [percents, setPercents] = useState<Record<Difficulty, number>>(DEFAULT_PERCENTS);
  const [percentError, setPercentError] = useState(false);
  const [shortfall, setShortfall] = useState(0);

  /** Approved questions of a topic with its sub-topics (or of the whole subject), per difficulty. */
  const available = useMemo(() => {
    const parent = new Map(topics.map((x) => [x.id, x.parentId]));
    const own = new Map((summary?.rows ?? []).map((r) => [r.topicId, r.counts]));
    return (topicId: number | null, d: Difficulty): number | null => {
      if (!summary) return null;
      if (topicId === null) return summary.totals[d] ?? 0;
      let n = 0;
      for (const x of topics) {
        // x counts if topicId is x itself or one of its ancestors
        let cur: number | null | undefined = x.id;
        const guard = new Set<number>();
        while (cur != null && !guard.has(cur)) {
          if (cur === topicId) {
            n += own.get(x.id)?.[d] ?? 0;
            break;
          }
          guard.add(cur);
          cur = parent.get(cur);
        }
      }
      return n;
    };
  }, [topics, summary]);

  const sum = rowsSum(rows);
  const update = (key: number, patch: Partial<BlueprintRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const remove = (key: number) => onChange(rows.filter((r) => r.key !== key));
  const add = () => {
    const used = new Set(rows.filter((r) => r.topicId === null).map((r) => r.difficulty));
    const d = DIFFICULTIES.find((x) => !used.has(x)) ?? 'nhan_biet';
    onChange([...rows, newRow(null, d, 1)]);
  };

  const percentSum = DIFFICULTIES.reduce((n, d) => n + (percents[d] || 0), 0);
  const quickFill = () => {
    if (Math.abs(percentSum - 100) > 1e-9) {
      setPercentError(true);
      return;
    }
    setPercentError(false);
    const topicRows = rows.filter((r) => r.topicId !== null);
    const rest = Math.max(0, (questionCount ?? 0) - rowsSum(topicRows));
    // what the whole bank can serve per difficulty at the profile's multiple, less what topic rows already take
    const caps = Object.fromEntries(
      DIFFICULTIES.map((d) => {
        const avail = available(null, d);
        const taken = topicRows.filter((r) => r.difficulty === d).reduce((n, r) => n + (parseCount(r.count) ?? 0), 0);
        return [d, avail === null ? Number.MAX_SAFE_INTEGER : Math.floor(avail / multiple) - taken];
      }),
    ) as Record<Difficulty, number>;
    const { counts, shortfall: short } = splitWithinBank(rest, percents, caps);
    setShortfall(short);
    const whole = DIFFICULTIES.filter((d) => counts[d] > 0).map((d) => newRow(null, d, counts[d]));
    onChange([...whole, ...topicRows]);
  };

  return (
    <fieldset className="blueprint" data-testid="blueprint-editor" disabled={disabled}>
      <legend>{t('blueprint.title')}</legend>
      <p className="hint">{t('blueprint.intro', { multiple: formatNumber(multiple) })}</p>
      {rows.length === 0 ? (
        <p className="muted" data-testid="bp-empty">
          {t('blueprint.empty')}
        </p>
      ) : (
        <table className="table table-compact" data-testid="bp-table">
          <thead>
            <tr>
              <th scope="col" className="num">
                #
              </th>
              <th scope="col">{t('blueprint.topic')}</th>
              <th scope="col">{t('blueprint.difficulty')}</th>
              <th scope="col" className="num">
                {t('blueprint.count')}
              </th>
              <th scope="col" className="num">
                {t('blueprint.available')}
              </th>
              <th scope="col" className="num">
                {t('blueprint.maxCount', { multiple: formatNumber(multiple) })}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const avail = available(r.topicId, r.difficulty);
              const max = avail === null ? null : Math.floor(avail / multiple);
              const count = parseCount(r.count);
              const over = max !== null && count !== null && count > max;
              return (
                <tr
                  key={r.key}
                  data-testid="bp-row"
                  data-topic={r.topicId ?? 'all'}
                  data-difficulty={r.difficulty}
                  className={over ? 'bp-over' : undefined}
                >
                  <td className="num">{i + 1}</td>
                  <td>
                    <select
                      className="bp-select"
                      aria-label={`${t('blueprint.topic')} ${i + 1}`}
                      value={r.topicId ?? ''}
                      onChange={(e) => update(r.key, { topicId: e.target.value ? Number(e.target.value) : null })}
                      data-testid="bp-topic"
                    >
                      <option value="">{t('blueprint.wholeSubject')}</option>
                      {tree.map((x) => (
                        <option key={x.id} value={x.id}>
                          {indentedLabel(x)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select
                      aria-label={`${t('blueprint.difficulty')} ${i + 1}`}
                      value={r.difficulty}
                      onChange={(e) => {
                        if (isDifficulty(e.target.value)) update(r.key, { difficulty: e.target.value });
                      }}
                      data-testid="bp-difficulty"
                    >
                      {DIFFICULTIES.map((d) => (
                        <option key={d} value={d}>
                          {labels.difficulty(d)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="num">
                    <input
                      type="number"
                      min={1}
                      max={500}
                      className="input-count"
                      aria-label={`${t('blueprint.count')} ${i + 1}`}
                      aria-invalid={count === null || over}
                      value={r.count}
                      onChange={(e) => update(r.key, { count: e.target.value })}
                      data-testid="bp-count"
                    />
                  </td>
                  <td className="num" data-testid="bp-available">
                    {avail === null ? '…' : formatNumber(avail)}
                  </td>
                  <td className="num" data-testid="bp-max">
                    {max === null ? '…' : formatNumber(max)}
                    {over && avail !== null && count !== null ? (
                      <span className="bp-short" data-testid="bp-shortfall">
                        {' '}
                        {t('blueprint.shortCell', {
                          missing: formatNumber(count * multiple - avail),
                          need: formatNumber(count * multiple),
                        })}
                      </span>
                    ) : null}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-small btn-danger-ghost"
                      onClick={() => remove(r.key)}
                      aria-label={t('blueprint.removeRow', { n: String(i + 1) })}
                      title={t('blueprint.removeRow', { n: String(i + 1) })}
                      data-testid="bp-remove"
                    >
                      ×
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div className="toolbar-row">
        <button type="button" className="btn btn-small" onClick={add} data-testid="bp-add">
          {t('blueprint.addRow')}
        </button>
        <p
          className={questionCount !== null && sum !== questionCount ? 'bp-sum bp-sum-bad' : 'bp-sum bp-sum-ok'}
          role="status"
          data-testid="bp-sum"
          data-sum={sum}
          data-total={questionCount ?? ''}
        >
          {t('blueprint.sum', { sum: String(sum), total: questionCount === null ? '—' : String(questionCount) })}
        </p>
      </div>
      {questionCount !== null && rows.length > 0 && sum !== questionCount ? (
        <p className="notice" data-testid="bp-sum-warning">
          {t('blueprint.sumBad', { sum: String(sum), total: String(questionCount) })}
        </p>
      ) : null}

      <details className="quick-fill" data-testid="bp-quick-fill">
        <summary>{t('blueprint.quickFill')}</summary>
        <p className="hint">{t('blueprint.quickFillHint')}</p>
        <div className="row">
          {DIFFICULTIES.map((d) => (
            <FormField key={d} label={t('blueprint.percent', { label: labels.difficulty(d) })} id={`bp-pct-${d}`}>
              {(c) => (
                <input
                  {...c}
                  type="number"
                  min={0}
                  max={100}
                  step="any"
                  className="input-count"
                  value={Number.isFinite(percents[d]) ? percents[d] : ''}
                  onChange={(e) => setPercents((p) => ({ ...p, [d]: e.target.value === '' ? 0 : Number(e.target.value) }))}
                  data-testid={`bp-pct-${d}`}
                />
              )}
            </FormField>
          ))}
          <div className="field field-button">
            <button type="button" className="btn" onClick={quickFill} data-testid="bp-quick-apply">
              {t('blueprint.apply')}
            </button>
          </div>
        </div>
        {shortfall > 0 ? (
          <p className="notice" role="status" data-testid="bp-quick-shortfall">
            {t('blueprint.quickShort', { n: formatNumber(shortfall), multiple: formatNumber(multiple) })}
          </p>
        ) : null}
        <p className={percentError ? 'notice' : 'hint'} data-testid="bp-pct-sum">
          {t('blueprint.percentSum', { sum: formatNumber(Math.round(percentSum * 100) / 100) })}
          {percentError ? ` — ${t('blueprint.percentBad')}` : ''}
        </p>
      </details>
    </fieldset>
  );
}
