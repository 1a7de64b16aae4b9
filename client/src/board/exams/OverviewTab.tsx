import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type BlueprintCheckDto, examsApi } from '../../api/exams';
import { ApiError } from '../../api/http';
import { formatDate, formatDateTime, formatNumber } from '../../i18n/format';
import { toast } from '../../stores/toasts';
import { useUi } from '../../stores/ui';
import { ErrorBox } from '../../ui/ErrorBox';
import { useResource } from '../../ui/useResource';
import { ConfirmAction } from './ConfirmAction';
import { LifecycleCard } from './LifecycleCard';
import { ExamStatusBadge, type ExamTabProps, useExamLabels } from './labels';

/** A profile value as short text: numbers and text as is, lists and objects as compact JSON. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v || '""';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function isCheck(v: unknown): v is BlueprintCheckDto {
  return !!v && typeof v === 'object' && 'parts' in v && Array.isArray(v.parts);
}

function isMissingList(v: unknown): v is { name: string; n: number }[] {
  return Array.isArray(v) && v.every((x) => x && typeof x === 'object' && 'name' in x && 'n' in x);
}

/**
 * Why the exam could not become ready: the blueprint shortfalls or the parts whose candidates
 * have no paper, one per line (from the error's details), else the server's message.
 */
export function ReadyError({ error, testId = 'ready-error', title }: { error: unknown; testId?: string; title?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  let lines: string[] = [];
  if (error instanceof ApiError && isCheck(error.details)) {
    lines = error.details.parts.flatMap((p) => [...p.problems, ...p.shortfalls.map((s) => `${p.name}: ${s.message}`)]);
  } else if (error instanceof ApiError && isMissingList(error.details)) {
    lines = error.details.map((m) => t('overview.missingPapers', { name: m.name, count: m.n }));
  }
  if (!lines.length) return <ErrorBox error={error} testId={testId} />;
  return (
    <div className="alert alert-error" role="alert" data-testid={testId}>
      <p className="strong">{title ?? t('overview.readyBlocked')}</p>
      <ul data-testid={`${testId}-issues`}>
        {lines.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines may repeat
          <li key={i}>{l}</li>
        ))}
      </ul>
    </div>
  );
}

export function OverviewTab({ exam, editable, refresh }: ExamTabProps) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.language);
  const labels = useExamLabels();
  const profiles = useResource(() => examsApi.profiles(), []);
  const profile = profiles.data?.find((p) => p.id === exam.profileId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const markReady = async () => {
    setBusy(true);
    setError(null);
    try {
      await examsApi.markReady(exam.id);
      toast.success(t('overview.readyDone'));
      refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const counts: [string, number, string][] = [
    [t('overview.parts'), exam.parts.length, 'count-parts'],
    [t('overview.positions'), exam.positions.length, 'count-positions'],
    [t('overview.candidates'), exam.candidates, 'count-candidates'],
    [t('overview.rooms'), exam.rooms.length, 'count-rooms'],
    [t('overview.sittings'), exam.sittings.length, 'count-sittings'],
  ];

  return (
    <div data-testid="overview-tab">
      <LifecycleCard examId={exam.id} />
      <section className="card" aria-labelledby="ov-info-h">
        <h2 id="ov-info-h" className="h-small">
          {t('overview.info')}
        </h2>
        <dl className="meta-grid">
          <div>
            <dt>{t('exams.statusLabel')}</dt>
            <dd>
              <ExamStatusBadge status={exam.status} />
            </dd>
          </div>
          <div>
            <dt>{t('exams.kindLabel')}</dt>
            <dd>{labels.kind(exam.kind)}</dd>
          </div>
          <div>
            <dt>{t('exams.profile')}</dt>
            <dd data-testid="overview-profile">
              {profile ? profile.name[lang] : exam.profileId} <code>{exam.profileId}</code>
            </dd>
          </div>
          <div>
            <dt>{t('exams.organisingBody')}</dt>
            <dd>{exam.organisingBody || '—'}</dd>
          </div>
          <div>
            <dt>{t('exams.examDate')}</dt>
            <dd>{exam.examDate ? formatDate(exam.examDate) : '—'}</dd>
          </div>
          {exam.frozenAt ? (
            <div>
              <dt>{t('overview.frozenAt')}</dt>
              <dd>{formatDateTime(exam.frozenAt, exam.timeZone)}</dd>
            </div>
          ) : null}
        </dl>
        {profile ? (
          <p className="hint" data-testid="overview-legal-basis">
            {t('exams.legalBasis')}: {profile.legalBasis}
          </p>
        ) : null}
        <dl className="stats">
          {counts.map(([label, n, id]) => (
            <div key={id}>
              <dt>{label}</dt>
              <dd data-testid={id}>{formatNumber(n)}</dd>
            </div>
          ))}
        </dl>
      </section>

      {exam.profileGaps.length ? (
        <section className="alert alert-warn" aria-labelledby="ov-gaps-h" data-testid="profile-gaps">
          <p id="ov-gaps-h" className="strong">
            {t('overview.gapsTitle')}
          </p>
          <ul>
            {exam.profileGaps.map((g) => (
              <li key={g}>{g}</li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card" aria-labelledby="ov-over-h" data-testid="overridden">
        <h2 id="ov-over-h" className="h-small">
          {t('overview.overriddenTitle')}
        </h2>
        {exam.overridden.length === 0 ? (
          <p className="muted" data-testid="overridden-none">
            {t('overview.overriddenNone')}
          </p>
        ) : (
          <table className="table table-compact" data-testid="overridden-table">
            <thead>
              <tr>
                <th scope="col">{t('overview.path')}</th>
                <th scope="col">{t('overview.old')}</th>
                <th scope="col">{t('overview.new')}</th>
              </tr>
            </thead>
            <tbody>
              {exam.overridden.map((d) => (
                <tr key={d.path} data-testid="overridden-row" data-path={d.path}>
                  <td>
                    <code>{d.path}</code> <span className="hint">({t(`overview.change.${d.change}`)})</span>
                  </td>
                  <td className="detail-value">{valueText(d.old)}</td>
                  <td className="detail-value strong">
                    <span aria-hidden="true">→ </span>
                    {valueText(d.new)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {editable ? (
        <section className="card" aria-labelledby="ov-ready-h">
          <h2 id="ov-ready-h" className="h-small">
            {t('overview.readyTitle')}
          </h2>
          <p className="muted">{t('overview.readyHint')}</p>
          <ConfirmAction
            label={busy ? t('overview.readying') : t('overview.ready')}
            message={t('overview.readyConfirm')}
            onConfirm={markReady}
            busy={busy}
            testId="exam-ready"
          />
          <ReadyError error={error} />
        </section>
      ) : null}
    </div>
  );
}
