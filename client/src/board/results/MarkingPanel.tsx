import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExamDetail, ExamPartDto } from '../../api/exams';
import { type MarkingRuleDto, resultsApi } from '../../api/results';
import { formatNumber } from '../../i18n/format';
import { toast } from '../../stores/toasts';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import { Loading } from '../../ui/Loading';
import { useResource } from '../../ui/useResource';
import { useExamLabels } from '../exams/labels';
import { parseScore } from './labels';
import { type Marker, ScoreEntry } from './ScoreEntry';

/** One part's marking rule: one or two markers, the largest difference that is averaged. */
function RuleRow({
  examId,
  part,
  rule,
  frozen,
  onSaved,
}: {
  examId: number;
  part: ExamPartDto;
  rule: MarkingRuleDto;
  frozen: boolean;
  onSaved: (r: MarkingRuleDto) => void;
}) {
  const { t } = useTranslation();
  const labels = useExamLabels();
  const id = useId();
  const [markers, setMarkers] = useState<1 | 2>(rule.markers);
  const [maxDiff, setMaxDiff] = useState(String(rule.maxDifference));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const diff = parseScore(maxDiff);
  const changed = markers !== rule.markers || diff !== rule.maxDifference;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (diff === null || Number.isNaN(diff) || diff < 0 || diff > 100) {
      setError(new Error(t('results.marking.badDiff')));
      return;
    }
    setBusy(true);
    try {
      const r = await resultsApi.setMarkingRule(examId, part.id, { markers, maxDifference: diff, combine: 'average' });
      toast.success(t('results.marking.saved', { part: part.name }));
      onSaved(r);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <tr data-testid={`rule-row-${part.code}`}>
      <th scope="row">
        {part.name}
        <div className="muted">
          {labels.mode(part.mode)} · {t('results.marking.scale', { max: formatNumber(part.scoreScale) })}
        </div>
      </th>
      <td>
        <form className="rule-form" onSubmit={save}>
          <FormField label={t('results.marking.markers')} id={`${id}-markers`}>
            {(c) => (
              <select
                {...c}
                value={markers}
                disabled={frozen}
                onChange={(e) => setMarkers(e.target.value === '2' ? 2 : 1)}
                data-testid={`rule-markers-${part.code}`}
              >
                <option value={1}>{t('results.marking.one')}</option>
                <option value={2}>{t('results.marking.two')}</option>
              </select>
            )}
          </FormField>
          <FormField label={t('results.marking.maxDifference')} id={`${id}-diff`} hint={t('results.marking.diffHint')}>
            {(c) => (
              <input
                {...c}
                type="text"
                inputMode="decimal"
                className="input-score"
                value={maxDiff}
                disabled={frozen || markers === 1}
                onChange={(e) => setMaxDiff(e.target.value)}
                data-testid={`rule-diff-${part.code}`}
              />
            )}
          </FormField>
          <div className="field field-button">
            <button
              type="submit"
              className="btn btn-small"
              disabled={busy || frozen || !changed}
              data-testid={`rule-save-${part.code}`}
            >
              {busy ? t('common.saving') : t('common.save')}
            </button>
          </div>
        </form>
        <ErrorBox error={error} testId={`rule-error-${part.code}`} />
      </td>
    </tr>
  );
}

/** Marking rules of the parts not sat on computer, and their score entry per marker. */
export function MarkingPanel({ exam }: { exam: ExamDetail }) {
  const { t } = useTranslation();
  const id = useId();
  const rules = useResource(() => resultsApi.markingRules(exam.id), [exam.id]);
  const manual = exam.parts.filter((p) => p.mode !== 'computer_mc');
  const [partId, setPartId] = useState<number | null>(null);
  const [marker, setMarker] = useState<Marker>(1);
  const frozen = exam.status === 'published';

  if (rules.error && !rules.data) return <ErrorBox error={rules.error} />;
  if (!rules.data) return <Loading />;
  const list = rules.data;
  if (manual.length === 0)
    return (
      <p className="empty" data-testid="marking-none">
        {t('results.marking.noManual')}
      </p>
    );
  const part = manual.find((p) => p.id === partId) ?? manual[0];
  const rule = list.find((r) => r.partId === part?.id);
  const effectiveMarker: Marker = marker === 2 && rule?.markers !== 2 ? 1 : marker;

  return (
    <div data-testid="marking-panel">
      <section className="card" aria-labelledby={`${id}-rules`}>
        <h3 id={`${id}-rules`} className="h-small">
          {t('results.marking.title')}
        </h3>
        <p className="muted">{t('results.marking.intro')}</p>
        <table className="table table-compact" data-testid="rules-table">
          <thead>
            <tr>
              <th scope="col">{t('results.col.part')}</th>
              <th scope="col">{t('results.marking.rule')}</th>
            </tr>
          </thead>
          <tbody>
            {manual.map((p) => {
              const r = list.find((x) => x.partId === p.id);
              return r ? (
                <RuleRow
                  key={`${p.id}-${r.markers}-${r.maxDifference}`}
                  examId={exam.id}
                  part={p}
                  rule={r}
                  frozen={frozen}
                  onSaved={(saved) => rules.setData(list.map((x) => (x.partId === saved.partId ? saved : x)))}
                />
              ) : null;
            })}
          </tbody>
        </table>
      </section>

      <section aria-labelledby={`${id}-entry`}>
        <h3 id={`${id}-entry`} className="visually-hidden">
          {t('results.entry.section')}
        </h3>
        <div className="row entry-pick">
          <FormField label={t('results.col.part')} id={`${id}-part`}>
            {(c) => (
              <select {...c} value={part?.id ?? ''} onChange={(e) => setPartId(Number(e.target.value))} data-testid="entry-part">
                {manual.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <fieldset className="field">
            <legend>{t('results.entry.who')}</legend>
            <div className="radio-row">
              {([1, 2, 0] as const).map((m) =>
                m === 2 && rule?.markers !== 2 ? null : (
                  <label key={m} className="check">
                    <input
                      type="radio"
                      name={`${id}-marker`}
                      checked={effectiveMarker === m}
                      onChange={() => setMarker(m)}
                      data-testid={`entry-marker-${m}`}
                    />
                    {m === 0 ? t('results.entry.boardMode') : t('results.entry.markerN', { n: String(m) })}
                  </label>
                ),
              )}
            </div>
          </fieldset>
        </div>
        {part && rule ? (
          <ScoreEntry
            key={`${part.id}-${effectiveMarker}-${rule.markers}`}
            examId={exam.id}
            part={part}
            rule={rule}
            marker={effectiveMarker}
            frozen={frozen}
          />
        ) : null}
      </section>
    </div>
  );
}
