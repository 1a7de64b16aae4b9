import {
  DIFFICULTIES,
  type Difficulty,
  type ImportFormat,
  type ImportReport as ImportReportDto,
  isDifficulty,
} from '@exam/shared';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { banksApi } from '../../api/banks';
import { toast } from '../../stores/toasts';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import { ImportReport } from '../../ui/ImportReport';
import { useLabels } from '../../ui/labels';
import { useHasRole } from '../../ui/RoleGate';
import { ImportProgress } from '../components/ImportIssues';
import type { SubjectTabProps } from '../pages/SubjectPage';
import { indentedLabel, topicTree } from '../topicTree';

/** Extensions the picker accepts; the format itself is recognised by the server from the content. */
export const IMPORT_EXTENSIONS = ['.xlsx', '.csv', '.txt', '.gift', '.json', '.docx', '.xml', '.zip'] as const;
/** Formats that may carry no topic or difficulty: the defaults are offered for them. */
const NEEDS_DEFAULTS = ['.txt', '.gift', '.docx', '.xml', '.zip'];

export function isSupportedFile(fileName: string): boolean {
  const n = fileName.toLowerCase();
  return IMPORT_EXTENSIONS.some((e) => n.endsWith(e));
}

export const FORMAT_NAMES: Record<ImportFormat, string> = {
  xlsx: 'Excel (.xlsx)',
  csv: 'CSV',
  aiken: 'Aiken',
  gift: 'GIFT',
  json: 'JSON',
  docx: 'Word (.docx)',
  moodlexml: 'Moodle XML',
  qti: 'QTI',
};

/** What the extension suggests, shown until the server has recognised the content. */
const EXTENSION_GUESS: [string, string][] = [
  ['.xlsx', FORMAT_NAMES.xlsx],
  ['.csv', FORMAT_NAMES.csv],
  ['.json', FORMAT_NAMES.json],
  ['.docx', FORMAT_NAMES.docx],
  ['.xml', 'Moodle XML / QTI'],
  ['.zip', 'QTI'],
  ['.gift', FORMAT_NAMES.gift],
  ['.txt', 'GIFT / Aiken'],
];

type Phase = 'idle' | 'uploading' | 'processing';

export function ImportTab({ subject, topics, refresh }: SubjectTabProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  const tree = useMemo(() => topicTree(topics), [topics]);
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [unsupported, setUnsupported] = useState(false);
  const [defaultTopic, setDefaultTopic] = useState('');
  const [defaultDifficulty, setDefaultDifficulty] = useState<Difficulty>('nhan_biet');
  const [phase, setPhase] = useState<Phase>('idle');
  const [progress, setProgress] = useState(0);
  const [report, setReport] = useState<ImportReportDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [confirmValidOnly, setConfirmValidOnly] = useState(false);

  const canImport = useHasRole('admin', 'board', 'author');
  const needsDefaults = !!file && NEEDS_DEFAULTS.some((e) => file.name.toLowerCase().endsWith(e));
  const busy = phase !== 'idle';

  const invalidate = () => {
    setReport(null);
    setError(null);
    setConfirmValidOnly(false);
  };

  const onFile = (f: File | null) => {
    setFile(f);
    invalidate();
    setUnsupported(!!f && !isSupportedFile(f.name));
  };

  const run = async (dryRun: boolean, validOnly = false) => {
    if (!file) {
      setError(new Error(t('import.chooseFirst')));
      return;
    }
    if (unsupported) {
      setError(new Error(t('importFormats.unsupported', { name: file.name })));
      return;
    }
    setError(null);
    setReport(null);
    setConfirmValidOnly(false);
    setPhase('uploading');
    setProgress(0);
    try {
      const r = await banksApi.importFile(subject.id, file, {
        format: 'auto',
        dryRun,
        validOnly,
        defaultTopic: needsDefaults && defaultTopic ? defaultTopic : undefined,
        defaultDifficulty: needsDefaults ? defaultDifficulty : undefined,
        onProgress: (f) => {
          setProgress(f);
          if (f >= 1) setPhase('processing');
        },
      });
      setReport(r);
      if (!dryRun && r.ok) {
        toast.success(
          r.validOnly && r.leftOut?.length
            ? t('importFormats.doneValidOnly', { count: r.created, left: String(r.leftOut.length) })
            : t('import.done', { count: r.created }),
        );
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

  const canValidOnly = !!report && report.dryRun && !report.ok && (report.blocking ?? 0) === 0 && (report.valid ?? 0) > 0;

  return (
    <div data-testid="import-tab">
      <h2>{t('import.title')}</h2>
      <p className="muted">{t('importFormats.intro')}</p>
      <p className="templates">
        {t('import.templates')}{' '}
        <a href={banksApi.templateUrl('xlsx')} download data-testid="template-xlsx">
          {t('import.templateXlsx')}
        </a>
        {' · '}
        <a href={banksApi.templateUrl('csv')} download data-testid="template-csv">
          {t('import.templateCsv')}
        </a>
        {' · '}
        <a href={banksApi.templateUrl('docx')} download data-testid="template-docx">
          {t('importFormats.templateDocx')}
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
          <FormField label={t('import.file')} id="import-file">
            {(c) => (
              <input
                {...c}
                key={fileKey}
                type="file"
                accept={IMPORT_EXTENSIONS.join(',')}
                onChange={(e) => onFile(e.target.files?.[0] ?? null)}
                disabled={busy}
                data-testid="import-file"
              />
            )}
          </FormField>

          {file && unsupported ? (
            <p className="alert alert-error" role="alert" data-testid="import-unsupported">
              {t('importFormats.unsupported', { name: file.name })}
            </p>
          ) : null}
          {file && !unsupported ? (
            <p className="muted" data-testid="import-format">
              {report
                ? t('import.detected', { format: FORMAT_NAMES[report.format] })
                : `${t('import.detected', {
                    format: EXTENSION_GUESS.find(([e]) => file.name.toLowerCase().endsWith(e))?.[1] ?? '',
                  })} — ${t('importFormats.detectedAfter')}`}
            </p>
          ) : null}

          {needsDefaults ? (
            <div className="row" data-testid="import-defaults">
              <FormField label={t('import.defaultTopic')} id="import-topic">
                {(c) => (
                  <select
                    {...c}
                    value={defaultTopic}
                    onChange={(e) => {
                      setDefaultTopic(e.target.value);
                      invalidate();
                    }}
                    data-testid="import-default-topic"
                  >
                    <option value="">{t('importFormats.noDefaultTopic')}</option>
                    {tree.map((x) => (
                      <option key={x.id} value={x.code}>
                        {indentedLabel(x)}
                      </option>
                    ))}
                  </select>
                )}
              </FormField>
              <FormField label={t('import.defaultDifficulty')} id="import-diff">
                {(c) => (
                  <select
                    {...c}
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
                )}
              </FormField>
              <p className="hint grow">{t('importFormats.defaultsHint')}</p>
            </div>
          ) : null}

          <div className="button-row">
            <button type="submit" className="btn" disabled={busy || !file || unsupported} data-testid="import-check">
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

          {canValidOnly && report ? (
            <div className="alert alert-warn" data-testid="valid-only">
              <p>
                {t('importFormats.validOnlyIntro', {
                  errors: String(report.errors),
                  bad: String((report.leftOut ?? []).length || report.questions - (report.valid ?? 0)),
                  valid: String(report.valid ?? 0),
                })}
              </p>
              <label className="check">
                <input
                  type="checkbox"
                  checked={confirmValidOnly}
                  onChange={(e) => setConfirmValidOnly(e.target.checked)}
                  data-testid="valid-only-confirm"
                />
                {t('importFormats.validOnlyConfirm')}
              </label>
              <div className="button-row">
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={busy || !confirmValidOnly}
                  onClick={() => void run(false, true)}
                  data-testid="import-valid-only"
                >
                  {t('importFormats.validOnly', { count: report.valid ?? 0 })}
                </button>
              </div>
            </div>
          ) : null}
          {report?.dryRun && !report.ok && (report.blocking ?? 0) > 0 ? (
            <p className="alert alert-error" data-testid="import-blocking">
              {t('importFormats.blocking')}
            </p>
          ) : null}

          {phase !== 'idle' ? <ImportProgress phase={phase} progress={progress} /> : null}
          <ErrorBox error={error} testId="import-error" />
        </form>
      )}

      {report ? <ImportReportView report={report} /> : null}
    </div>
  );
}

function ImportReportView({ report }: { report: ImportReportDto }) {
  const { t } = useTranslation();
  return (
    <ImportReport
      className="card report"
      title={report.dryRun ? t('import.reportTitle') : t('import.reportImported')}
      ok={report.ok}
      dryRun={report.dryRun}
      stats={[
        { label: t('import.questions'), value: report.questions, testId: 'report-questions' },
        { label: t('import.errors'), value: report.errors, testId: 'report-errors', bad: report.errors > 0 },
        { label: t('import.skipped'), value: report.skipped, testId: 'report-skipped' },
        { label: t('importFormats.warnings'), value: report.warnings ?? 0, testId: 'report-warnings' },
        ...(report.dryRun
          ? [
              { label: t('importFormats.valid'), value: report.valid ?? 0, testId: 'report-valid' },
              { label: t('importFormats.newTopics'), value: report.newTopics ?? 0, testId: 'report-new-topics' },
            ]
          : [
              { label: t('import.created'), value: report.created, testId: 'report-created' },
              { label: t('import.topicsCreated'), value: report.topicsCreated, testId: 'report-topics-created' },
            ]),
        { label: t('import.ms'), value: report.ms, unit: 'ms' },
      ]}
      summary={
        report.ok
          ? report.dryRun
            ? t('import.okDry', { count: report.questions })
            : report.validOnly && report.leftOut?.length
              ? t('importFormats.doneValidOnly', { count: report.created, left: String(report.leftOut.length) })
              : t('import.done', { count: report.created })
          : t('import.notOk', { count: report.errors })
      }
      issues={report.issues}
      issuesTotal={report.issuesTotal}
      issueCounts={report.issueCounts}
    >
      {report.leftOut?.length ? (
        <div data-testid="report-left-out">
          <h4>{t('importFormats.leftOut')}</h4>
          <ul>
            {report.leftOut.map((l) => (
              <li key={l.row}>{t('importFormats.leftOutRow', { row: String(l.row), codes: l.codes.join(', ') })}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </ImportReport>
  );
}
