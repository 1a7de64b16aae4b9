import { DIFFICULTIES, type Difficulty, IMPORT_FORMATS, type ImportFormat, type ImportReport, isDifficulty } from '@exam/shared';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { banksApi } from '../../api/banks';
import { formatNumber } from '../../i18n/format';
import { hasAnyRole, useAuth } from '../../stores/auth';
import { toast } from '../../stores/toasts';
import { ErrorBox } from '../../ui/ErrorBox';
import { useLabels } from '../../ui/labels';
import { ImportIssuesTable, ImportProgress } from '../components/ImportIssues';
import type { SubjectTabProps } from '../pages/SubjectPage';
import { indentedLabel, topicTree } from '../topicTree';

type Ask = 'txt' | 'unknown' | null;

/** The format from the file name; `.txt` may be Aiken or GIFT, so the user is asked. */
export function detectFormat(fileName: string): { format: ImportFormat | null; ask: Ask } {
  const n = fileName.toLowerCase();
  if (n.endsWith('.xlsx')) return { format: 'xlsx', ask: null };
  if (n.endsWith('.csv')) return { format: 'csv', ask: null };
  if (n.endsWith('.json')) return { format: 'json', ask: null };
  if (n.endsWith('.gift') || n.endsWith('.gift.txt')) return { format: 'gift', ask: null };
  if (n.endsWith('.txt')) return { format: null, ask: 'txt' };
  return { format: null, ask: 'unknown' };
}

const FORMAT_NAMES: Record<ImportFormat, string> = {
  xlsx: 'Excel (.xlsx)',
  csv: 'CSV',
  aiken: 'Aiken',
  gift: 'GIFT',
  json: 'JSON',
};

type Phase = 'idle' | 'uploading' | 'processing';

export function ImportTab({ subject, topics, refresh }: SubjectTabProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  const me = useAuth((s) => s.me);
  const tree = useMemo(() => topicTree(topics), [topics]);
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [format, setFormat] = useState<ImportFormat | null>(null);
  const [ask, setAsk] = useState<Ask>(null);
  const [defaultTopic, setDefaultTopic] = useState('');
  const [defaultDifficulty, setDefaultDifficulty] = useState<Difficulty>('nhan_biet');
  const [phase, setPhase] = useState<Phase>('idle');
  const [progress, setProgress] = useState(0);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);

  const canImport = hasAnyRole(me, 'admin', 'board', 'author');
  const needsDefaults = format === 'aiken' || format === 'gift';
  const busy = phase !== 'idle';

  const invalidate = () => {
    setReport(null);
    setError(null);
  };

  const onFile = (f: File | null) => {
    setFile(f);
    invalidate();
    if (!f) {
      setFormat(null);
      setAsk(null);
      return;
    }
    const d = detectFormat(f.name);
    setFormat(d.format);
    setAsk(d.ask);
  };

  const run = async (dryRun: boolean) => {
    if (!file || !format) {
      setError(new Error(t('import.chooseFirst')));
      return;
    }
    if (needsDefaults && !defaultTopic) {
      setError(new Error(t('import.needTopic')));
      return;
    }
    setError(null);
    setReport(null);
    setPhase('uploading');
    setProgress(0);
    try {
      const r = await banksApi.importFile(subject.id, file, {
        format,
        dryRun,
        defaultTopic: needsDefaults ? defaultTopic : undefined,
        defaultDifficulty: needsDefaults ? defaultDifficulty : undefined,
        onProgress: (f) => {
          setProgress(f);
          if (f >= 1) setPhase('processing');
        },
      });
      setReport(r);
      if (!dryRun && r.ok) {
        toast.success(t('import.done', { count: r.created }));
        setFile(null);
        setFileKey((k) => k + 1);
        refresh();
      }
    } catch (err) {
      setError(err);
    } finally {
      setPhase('idle');
    }
  };

  const formatChoices: readonly ImportFormat[] = ask === 'txt' ? ['aiken', 'gift'] : IMPORT_FORMATS;

  return (
    <div data-testid="import-tab">
      <h2>{t('import.title')}</h2>
      <p className="muted">{t('import.intro')}</p>
      <p className="templates">
        {t('import.templates')}{' '}
        <a href={banksApi.templateUrl('xlsx')} download data-testid="template-xlsx">
          {t('import.templateXlsx')}
        </a>
        {' · '}
        <a href={banksApi.templateUrl('csv')} download data-testid="template-csv">
          {t('import.templateCsv')}
        </a>
      </p>

      {!canImport ? (
        <div className="alert alert-warn">{t('app.noAccess')}</div>
      ) : (
        <form
          className="card import-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(true);
          }}
        >
          <div className="field">
            <label htmlFor="import-file">{t('import.file')}</label>
            <input
              key={fileKey}
              id="import-file"
              type="file"
              accept=".xlsx,.csv,.txt,.gift,.json"
              onChange={(e) => onFile(e.target.files?.[0] ?? null)}
              disabled={busy}
              data-testid="import-file"
            />
          </div>

          {file && ask ? (
            <fieldset className="field" data-testid="import-format-choice">
              <legend>{ask === 'txt' ? t('import.askTxt') : t('import.unknownExt')}</legend>
              <div className="radio-row">
                {formatChoices.map((f) => (
                  <label key={f} className="check">
                    <input
                      type="radio"
                      name="import-format"
                      value={f}
                      checked={format === f}
                      onChange={() => {
                        setFormat(f);
                        invalidate();
                      }}
                      data-testid={`import-format-${f}`}
                    />
                    {FORMAT_NAMES[f]}
                  </label>
                ))}
              </div>
            </fieldset>
          ) : null}
          {file && format && !ask ? (
            <p className="muted" data-testid="import-format">
              {t('import.detected', { format: FORMAT_NAMES[format] })}
            </p>
          ) : null}

          {needsDefaults ? (
            <div className="row" data-testid="import-defaults">
              <div className="field">
                <label htmlFor="import-topic">{t('import.defaultTopic')}</label>
                <select
                  id="import-topic"
                  value={defaultTopic}
                  onChange={(e) => {
                    setDefaultTopic(e.target.value);
                    invalidate();
                  }}
                  data-testid="import-default-topic"
                >
                  <option value="">{t('editor.chooseTopic')}</option>
                  {tree.map((x) => (
                    <option key={x.id} value={x.code}>
                      {indentedLabel(x)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="import-diff">{t('import.defaultDifficulty')}</label>
                <select
                  id="import-diff"
                  value={defaultDifficulty}
                  onChange={(e) => {
                    if (isDifficulty(e.target.value)) setDefaultDifficulty(e.target.value);
                    invalidate();
                  }}
                  data-testid="import-default-difficulty"
                >
                  {DIFFICULTIES.map((d) => (
                    <option key={d} value={d}>
                      {labels.difficulty(d)}
                    </option>
                  ))}
                </select>
              </div>
              <p className="hint grow">{t('import.defaultsHint')}</p>
            </div>
          ) : null}

          <div className="button-row">
            <button type="submit" className="btn" disabled={busy || !file || !format} data-testid="import-check">
              {t('import.check')}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || !report || !report.dryRun || !report.ok}
              onClick={() => void run(false)}
              data-testid="import-commit"
            >
              {t('import.doImport')}
            </button>
          </div>

          {phase !== 'idle' ? <ImportProgress phase={phase} progress={progress} /> : null}
          <ErrorBox error={error} testId="import-error" />
        </form>
      )}

      {report ? <ImportReportView report={report} /> : null}
    </div>
  );
}

function ImportReportView({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  return (
    <section className="card report" data-testid="import-report" data-ok={report.ok} data-dry-run={report.dryRun}>
      <h3>{report.dryRun ? t('import.reportTitle') : t('import.reportImported')}</h3>
      <dl className="stats">
        <div>
          <dt>{t('import.questions')}</dt>
          <dd data-testid="report-questions">{formatNumber(report.questions)}</dd>
        </div>
        <div className={report.errors ? 'stat-bad' : ''}>
          <dt>{t('import.errors')}</dt>
          <dd data-testid="report-errors">{formatNumber(report.errors)}</dd>
        </div>
        <div>
          <dt>{t('import.skipped')}</dt>
          <dd data-testid="report-skipped">{formatNumber(report.skipped)}</dd>
        </div>
        {!report.dryRun ? (
          <>
            <div>
              <dt>{t('import.created')}</dt>
              <dd data-testid="report-created">{formatNumber(report.created)}</dd>
            </div>
            <div>
              <dt>{t('import.topicsCreated')}</dt>
              <dd data-testid="report-topics-created">{formatNumber(report.topicsCreated)}</dd>
            </div>
          </>
        ) : null}
        <div>
          <dt>{t('import.ms')}</dt>
          <dd>{formatNumber(report.ms)} ms</dd>
        </div>
      </dl>
      <p
        className={`alert ${report.ok ? 'alert-success' : 'alert-error'}`}
        role={report.ok ? 'status' : 'alert'}
        data-testid="report-summary"
      >
        {report.ok
          ? report.dryRun
            ? t('import.okDry', { count: report.questions })
            : t('import.done', { count: report.created })
          : t('import.notOk', { count: report.errors })}
      </p>
      <ImportIssuesTable issues={report.issues} total={report.issuesTotal} counts={report.issueCounts} />
    </section>
  );
}
