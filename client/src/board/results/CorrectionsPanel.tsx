import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ExamDetail } from '../../api/exams';
import {
  type ExamItemAnalysisDto,
  type ItemAnalysisItemDto,
  type KeyCorrectionBody,
  type KeyCorrectionReport,
  resultsApi,
} from '../../api/results';
import { formatDateTime, formatNumber } from '../../i18n/format';
import { toast } from '../../stores/toasts';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import { ReasonField } from '../../ui/ReasonDialog';
import { useResource } from '../../ui/useResource';
import { score } from './labels';

type Kind = 'rekey' | 'void';
type Mode = 'full_marks' | 'drop';

/** The question versions on the exam's papers, from the item analysis (null when it is not available). */
async function versionsOf(examId: number): Promise<ExamItemAnalysisDto | null> {
  try {
    return await resultsApi.itemAnalysis(examId);
  } catch {
    return null;
  }
}

function Report({ report }: { report: KeyCorrectionReport }) {
  const { t } = useTranslation();
  const id = useId();
  const side = (s: KeyCorrectionReport['changed'][number]['before']) =>
    `${formatNumber(s.correct)}/${formatNumber(s.total)} · ${score(s.score)} · ${s.passed ? t('results.partStatus.passed') : t('results.partStatus.failed')}`;
  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid="correction-report">
      <h3 id={`${id}-h`} className="h-small">
        {t('results.correction.reportTitle', { id: formatNumber(report.correctionId) })}
      </h3>
      <p data-testid="correction-counts">
        {t('results.correction.counts', {
          affected: formatNumber(report.affected),
          changed: formatNumber(report.changed.length),
        })}
      </p>
      {report.unpublished ? (
        <p className="alert alert-warn" data-testid="correction-unpublished">
          {t('results.correction.unpublished')}
        </p>
      ) : null}
      {report.changed.length ? (
        <div className="table-scroll">
          <table className="table table-compact" data-testid="correction-changes">
            <thead>
              <tr>
                <th scope="col">{t('results.col.number')}</th>
                <th scope="col">{t('results.col.name')}</th>
                <th scope="col">{t('results.col.part')}</th>
                <th scope="col">{t('results.correction.before')}</th>
                <th scope="col">{t('results.correction.after')}</th>
              </tr>
            </thead>
            <tbody>
              {report.changed.map((c) => (
                <tr
                  key={c.attemptId}
                  className={c.before.passed !== c.after.passed ? 'row-tie' : undefined}
                  data-testid={`change-${c.number}`}
                >
                  <th scope="row">{c.number}</th>
                  <td>{c.fullName}</td>
                  <td>{c.partName}</td>
                  <td>{side(c.before)}</td>
                  <td className="strong">{side(c.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** Fixing a question's key or voiding it after the exam; the re-scoring report; the corrections so far. */
export function CorrectionsPanel({ exam, onChanged }: { exam: ExamDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const list = useResource(() => resultsApi.corrections(exam.id), [exam.id]);
  const analysis = useResource(() => versionsOf(exam.id), [exam.id]);
  const [versionId, setVersionId] = useState('');
  const [kind, setKind] = useState<Kind>('rekey');
  const [mode, setMode] = useState<Mode>('full_marks');
  const [correct, setCorrect] = useState<string[]>([]);
  const [correctText, setCorrectText] = useState('');
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [report, setReport] = useState<KeyCorrectionReport | null>(null);

  const vid = Number(versionId);
  const items = (analysis.data?.parts ?? []).flatMap((p) => p.items.map((it) => ({ part: p.name, it })));
  const known: ItemAnalysisItemDto | undefined = items.find((x) => x.it.versionId === vid)?.it;
  const correctIds = known
    ? correct
    : correctText
        .split(/[\s,;]+/)
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean);

  const body = (): KeyCorrectionBody | string => {
    if (!Number.isInteger(vid) || vid < 1) return t('results.correction.needVersion');
    if (!reason.trim()) return t('results.correction.needReason');
    if (kind === 'rekey') {
      if (correctIds.length === 0) return t('results.correction.needCorrect');
      return { versionId: vid, kind, correct: correctIds, reason: reason.trim() };
    }
    return { versionId: vid, kind, mode, reason: reason.trim() };
  };

  const ask = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const b = body();
    if (typeof b === 'string') {
      setError(new Error(b));
      return;
    }
    setConfirming(true);
  };

  const run = async () => {
    const b = body();
    if (typeof b === 'string') return;
    setBusy(true);
    setError(null);
    try {
      const rep = await resultsApi.correctKey(exam.id, b);
      setReport(rep);
      setConfirming(false);
      setReason('');
      toast.success(t('results.correction.done', { n: formatNumber(rep.changed.length) }));
      list.reload();
      analysis.reload();
      onChanged();
    } catch (err) {
      setError(err);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  const pickVersion = (v: string) => {
    setVersionId(v);
    const it = items.find((x) => String(x.it.versionId) === v)?.it;
    setCorrect(it ? it.distractors.filter((d) => d.correct).map((d) => d.id) : []);
    setConfirming(false);
  };

  return (
    <div data-testid="corrections-panel">
      <form className="card" onSubmit={ask} aria-labelledby={`${id}-h`} data-testid="correction-form">
        <h3 id={`${id}-h`} className="h-small">
          {t('results.correction.title')}
        </h3>
        <p className="muted">{t('results.correction.intro')}</p>
        <div className="row">
          {items.length ? (
            <FormField label={t('results.correction.pick')} id={`${id}-pick`} className="field grow">
              {(c) => (
                <select
                  {...c}
                  value={known ? String(vid) : ''}
                  onChange={(e) => pickVersion(e.target.value)}
                  data-testid="correction-pick"
                >
                  <option value="">{t('results.correction.pickNone')}</option>
                  {(analysis.data?.parts ?? []).map((p) => (
                    <optgroup key={p.partId} label={p.name}>
                      {p.items.map((it) => (
                        <option key={it.versionId} value={it.versionId}>
                          #{it.versionId} — {it.stemText.slice(0, 90)}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              )}
            </FormField>
          ) : null}
          <FormField label={t('results.correction.versionId')} id={`${id}-vid`}>
            {(c) => (
              <input
                {...c}
                type="number"
                min={1}
                className="input-count"
                value={versionId}
                onChange={(e) => pickVersion(e.target.value)}
                data-testid="correction-version"
              />
            )}
          </FormField>
        </div>
        {known ? (
          <p className="muted" data-testid="correction-question">
            {known.stemText} <Link to={`/board/questions/${known.questionId}`}>{t('results.items.openQuestion')}</Link>
          </p>
        ) : null}
        <fieldset className="field">
          <legend>{t('results.correction.kind')}</legend>
          <div className="radio-row">
            <label className="check">
              <input
                type="radio"
                name={`${id}-kind`}
                checked={kind === 'rekey'}
                onChange={() => setKind('rekey')}
                data-testid="correction-kind-rekey"
              />
              {t('results.correction.rekey')}
            </label>
            <label className="check">
              <input
                type="radio"
                name={`${id}-kind`}
                checked={kind === 'void'}
                onChange={() => setKind('void')}
                data-testid="correction-kind-void"
              />
              {t('results.correction.void')}
            </label>
          </div>
        </fieldset>
        {kind === 'rekey' ? (
          known ? (
            <fieldset className="field">
              <legend>{t('results.correction.correctOptions')}</legend>
              <ul className="option-pick">
                {known.distractors.map((d) => (
                  <li key={d.id}>
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={correct.includes(d.id)}
                        onChange={(e) =>
                          setCorrect((prev) => (e.target.checked ? [...prev, d.id] : prev.filter((x) => x !== d.id)))
                        }
                        data-testid={`correction-option-${d.letter}`}
                      />
                      <strong>{d.letter}.</strong> {d.text}
                      {d.correct ? <span className="muted"> ({t('results.correction.currentKey')})</span> : null}
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          ) : (
            <FormField
              label={t('results.correction.correctIds')}
              id={`${id}-correct`}
              hint={t('results.correction.correctIdsHint')}
            >
              {(c) => (
                <input
                  {...c}
                  type="text"
                  className="input-short"
                  value={correctText}
                  onChange={(e) => setCorrectText(e.target.value)}
                  data-testid="correction-correct"
                />
              )}
            </FormField>
          )
        ) : (
          <fieldset className="field">
            <legend>{t('results.correction.mode')}</legend>
            <div className="radio-row">
              <label className="check">
                <input
                  type="radio"
                  name={`${id}-mode`}
                  checked={mode === 'full_marks'}
                  onChange={() => setMode('full_marks')}
                  data-testid="correction-mode-full"
                />
                {t('results.correction.fullMarks')}
              </label>
              <label className="check">
                <input
                  type="radio"
                  name={`${id}-mode`}
                  checked={mode === 'drop'}
                  onChange={() => setMode('drop')}
                  data-testid="correction-mode-drop"
                />
                {t('results.correction.drop')}
              </label>
            </div>
          </fieldset>
        )}
        <ReasonField
          label={t('results.correction.reason')}
          id={`${id}-reason`}
          value={reason}
          onChange={setReason}
          nativeRequired={false}
          testId="correction-reason"
        />
        <ErrorBox error={error} testId="correction-error" />
        {confirming ? (
          <div className="inline-form" data-testid="correction-confirm-box">
            <p>{exam.status === 'published' ? t('results.correction.confirmPublished') : t('results.correction.confirm')}</p>
            <div className="button-row">
              <button
                type="button"
                className="btn btn-primary"
                disabled={busy}
                onClick={() => void run()}
                data-testid="correction-confirm"
              >
                {busy ? t('results.correction.busy') : t('common.confirm')}
              </button>
              <button type="button" className="btn btn-ghost" onClick={() => setConfirming(false)} disabled={busy}>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        ) : (
          <button type="submit" className="btn btn-primary" data-testid="correction-submit">
            {t('results.correction.submit')}
          </button>
        )}
      </form>

      {report ? <Report report={report} /> : null}

      <section className="card" aria-labelledby={`${id}-list`}>
        <h3 id={`${id}-list`} className="h-small">
          {t('results.correction.listTitle')}
        </h3>
        <ErrorBox error={list.error} />
        {list.data && list.data.length === 0 ? <p className="empty">{t('results.correction.none')}</p> : null}
        {list.data?.length ? (
          <div className="table-scroll">
            <table className="table table-compact" data-testid="corrections-table">
              <thead>
                <tr>
                  <th scope="col">{t('results.correction.at')}</th>
                  <th scope="col">{t('results.correction.question')}</th>
                  <th scope="col">{t('results.correction.what')}</th>
                  <th scope="col">{t('results.correction.reason')}</th>
                  <th scope="col">{t('results.correction.by')}</th>
                  <th scope="col" className="num">
                    {t('results.correction.affected')}
                  </th>
                  <th scope="col" className="num">
                    {t('results.correction.changed')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((k) => (
                  <tr key={k.id} data-testid={`correction-${k.id}`}>
                    <td className="nowrap">{formatDateTime(k.at)}</td>
                    <td>
                      <Link to={`/board/questions/${k.questionId}`}>
                        {t('results.correction.versionLabel', { id: formatNumber(k.versionId) })}
                      </Link>
                    </td>
                    <td>
                      {k.kind === 'rekey'
                        ? t('results.correction.rekeyTo', { ids: (k.correct ?? []).join(', ') })
                        : k.mode === 'drop'
                          ? t('results.correction.drop')
                          : t('results.correction.fullMarks')}
                    </td>
                    <td>{k.reason}</td>
                    <td>{k.by}</td>
                    <td className="num">{formatNumber(k.affected)}</td>
                    <td className="num">{formatNumber(k.changed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
