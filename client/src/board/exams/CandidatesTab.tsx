import { EXEMPTION_LABELS, PRIORITY_LABELS } from '@exam/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CandidateImportReport, examsApi, saveFile } from '../../api/exams';
import { formatDate, formatNumber } from '../../i18n/format';
import { toast } from '../../stores/toasts';
import { useUi } from '../../stores/ui';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import { ImportReport } from '../../ui/ImportReport';
import { Loading } from '../../ui/Loading';
import { useResource } from '../../ui/useResource';
import { ImportProgress } from '../components/ImportIssues';
import { ConfirmAction } from './ConfirmAction';
import type { ExamTabProps } from './labels';

const PAGE_SIZE = 100;

function useCandidateLabels() {
  const { t } = useTranslation();
  const lang = useUi((s) => s.language);
  return {
    gender: (g: string) => {
      const k = g.trim().toLowerCase();
      if (k === 'male' || k === 'nam' || k === 'm') return t('candidates.male');
      if (k === 'female' || k === 'nữ' || k === 'nu' || k === 'f') return t('candidates.female');
      return g;
    },
    priority: (p: string | null) =>
      p ? (p in PRIORITY_LABELS ? PRIORITY_LABELS[p as keyof typeof PRIORITY_LABELS][lang] : p) : '',
    exemption: (e: string) => (e in EXEMPTION_LABELS ? EXEMPTION_LABELS[e as keyof typeof EXEMPTION_LABELS][lang] : e),
  };
}

type Phase = 'idle' | 'uploading' | 'processing';

/** Rows the dry run found not eligible (promotion exams): the codes NOT_ELIGIBLE_*, counted by row. */
function ineligibleRows(report: CandidateImportReport | null): number {
  if (!report) return 0;
  return new Set(report.issues.filter((i) => i.code.startsWith('NOT_ELIGIBLE_')).map((i) => i.row)).size;
}

function CandidateImport({ examId, promotion, onImported }: { examId: number; promotion: boolean; onImported: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [phase, setPhase] = useState<Phase>('idle');
  const [progress, setProgress] = useState(0);
  const [report, setReport] = useState<CandidateImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  /** the board's explicit choice, after a dry run, to keep the ineligible rows on record */
  const [keep, setKeep] = useState(false);
  const busy = phase !== 'idle';
  const ineligible = ineligibleRows(report);

  const run = async (dryRun: boolean, keepIneligible = keep) => {
    if (!file) return;
    setError(null);
    setReport(null);
    setPhase('uploading');
    setProgress(0);
    try {
      const r = await examsApi.importCandidates(examId, file, {
        dryRun,
        keepIneligible: promotion && keepIneligible,
        onProgress: (f) => {
          setProgress(f);
          if (f >= 1) setPhase('processing');
        },
      });
      setReport(r);
      if (!dryRun && r.ok) {
        toast.success(t('candidates.done', { count: r.created }));
        setFile(null);
        setFileKey((k) => k + 1);
        onImported();
      }
    } catch (err) {
      setError(err);
    } finally {
      setPhase('idle');
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(true);
  };

  return (
    <section className="card" aria-labelledby="cand-import-h" data-testid="candidate-import">
      <h3 id="cand-import-h">{t('candidates.importTitle')}</h3>
      <p className="muted">{t('candidates.importIntro')}</p>
      <p className="templates">
        <a href={examsApi.templateUrl(examId)} download data-testid="candidates-template">
          {t('candidates.template')}
        </a>
      </p>
      <form className="import-form" onSubmit={submit}>
        <FormField label={t('candidates.file')} id="cand-file">
          {(c) => (
            <input
              {...c}
              key={fileKey}
              type="file"
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              disabled={busy}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setReport(null);
                setKeep(false);
                setError(null);
              }}
              data-testid="candidates-file"
            />
          )}
        </FormField>
        {promotion && report?.dryRun && (ineligible > 0 || keep) ? (
          <fieldset className="card keep-ineligible" data-testid="keep-ineligible-choice">
            <legend>{t('eligibility.import.title')}</legend>
            <p>{t('eligibility.import.explain', { count: ineligible })}</p>
            <label>
              <input
                type="checkbox"
                checked={keep}
                disabled={busy}
                onChange={(e) => {
                  setKeep(e.target.checked);
                  void run(true, e.target.checked);
                }}
                data-testid="candidates-keep-ineligible"
              />{' '}
              {t('eligibility.import.keep')}
            </label>
            <p className="hint">{t('eligibility.import.hint')}</p>
          </fieldset>
        ) : null}
        <div className="button-row">
          <button type="submit" className="btn" disabled={busy || !file} data-testid="candidates-check">
            {t('candidates.check')}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy || !file || !report || !report.dryRun || !report.ok}
            onClick={() => void run(false)}
            data-testid="candidates-import"
          >
            {keep && ineligible > 0 ? t('eligibility.import.doImport', { count: ineligible }) : t('candidates.doImport')}
          </button>
        </div>
        {phase !== 'idle' ? <ImportProgress phase={phase} progress={progress} /> : null}
        <ErrorBox error={error} testId="candidates-import-error" />
      </form>
      {report ? <CandidateReportView report={report} /> : null}
      {report?.ok && keep && ineligible > 0 ? (
        <p className="alert alert-warn" data-testid="kept-ineligible-summary">
          {report.dryRun
            ? t('eligibility.import.willKeep', { count: ineligible })
            : t('eligibility.import.kept', { count: ineligible })}
        </p>
      ) : null}
    </section>
  );
}

function CandidateReportView({ report }: { report: CandidateImportReport }) {
  const { t } = useTranslation();
  return (
    <ImportReport
      title={report.dryRun ? t('candidates.reportTitle') : t('candidates.reportImported')}
      headingLevel={4}
      ok={report.ok}
      dryRun={report.dryRun}
      stats={[
        { label: t('candidates.rows'), value: report.rows, testId: 'report-rows' },
        { label: t('candidates.errors'), value: report.errors, testId: 'report-errors', bad: report.errors > 0 },
        ...(report.dryRun ? [] : [{ label: t('candidates.created'), value: report.created, testId: 'report-created' }]),
      ]}
      summary={
        report.ok
          ? report.dryRun
            ? t('candidates.okDry', { count: report.rows })
            : t('candidates.done', { count: report.created })
          : t('candidates.notOk', { count: report.errors })
      }
      issues={report.issues}
      issuesTotal={report.issuesTotal}
      issueCounts={report.issueCounts}
    />
  );
}

function Pins({ examId, count, missing, onIssued }: { examId: number; count: number; missing: number; onIssued: () => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const issue = async (onlyMissing: boolean) => {
    setBusy(true);
    setError(null);
    try {
      saveFile(await examsApi.issuePins(examId, onlyMissing));
      toast.success(t('candidates.pinsDone'));
      onIssued();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="pins-h" data-testid="pins">
      <h3 id="pins-h">{t('candidates.pinsTitle')}</h3>
      <p className="alert alert-warn" data-testid="pins-warning">
        {t('candidates.pinsWarn')}
      </p>
      {count === 0 ? (
        <p className="muted">{t('candidates.noCandidatesForPins')}</p>
      ) : (
        <div className="button-row">
          <ConfirmAction
            label={busy ? t('candidates.pinsBusy') : t('candidates.pins')}
            message={t('candidates.pinsConfirm', { count })}
            onConfirm={() => issue(false)}
            busy={busy}
            testId="pins-issue"
          />
          {missing > 0 && missing < count ? (
            <ConfirmAction
              label={t('candidates.pinsMissing', { count: missing })}
              message={t('candidates.pinsMissingConfirm', { count: missing })}
              onConfirm={() => issue(true)}
              busy={busy}
              className="btn"
              testId="pins-issue-missing"
            />
          ) : null}
        </div>
      )}
      <ErrorBox error={error} testId="pins-error" />
    </section>
  );
}

export function CandidatesTab({ exam, editable, refresh }: ExamTabProps) {
  const { t } = useTranslation();
  const labels = useCandidateLabels();
  const list = useResource(() => examsApi.candidates(exam.id), [exam.id]);
  const [page, setPage] = useState(1);
  const items = list.data ?? [];
  const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  const shown = items.slice((Math.min(page, pages) - 1) * PAGE_SIZE, Math.min(page, pages) * PAGE_SIZE);

  return (
    <div data-testid="candidates-tab">
      <div className="title-row">
        <h2>{t('candidates.title')}</h2>
        {list.data ? (
          <span className="badge" data-testid="candidates-count" data-count={items.length}>
            {t('candidates.count', { count: items.length })}
          </span>
        ) : null}
      </div>
      <ErrorBox error={list.error} testId="candidates-error" />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        items.length === 0 ? (
          <p className="empty">{t('candidates.empty')}</p>
        ) : (
          <>
            <div className="table-scroll">
              <table className="table table-compact" data-testid="candidates-table">
                <thead>
                  <tr>
                    <th scope="col">{t('candidates.number')}</th>
                    <th scope="col">{t('candidates.fullName')}</th>
                    <th scope="col">{t('candidates.dateOfBirth')}</th>
                    <th scope="col">{t('candidates.gender')}</th>
                    <th scope="col">{t('candidates.idNumber')}</th>
                    <th scope="col">{t('candidates.position')}</th>
                    <th scope="col">{t('candidates.priority')}</th>
                    <th scope="col">{t('candidates.exemptions')}</th>
                    <th scope="col">{t('candidates.room')}</th>
                    <th scope="col" className="num">
                      {t('candidates.seat')}
                    </th>
                    <th scope="col">{t('candidates.pin')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((c) => (
                    <tr key={c.id} data-testid="candidate-row" data-number={c.number}>
                      <td className="nowrap">
                        <code>{c.number}</code>
                      </td>
                      <td>{c.fullName}</td>
                      <td className="nowrap">{formatDate(c.dateOfBirth)}</td>
                      <td>{labels.gender(c.gender)}</td>
                      <td>{c.idNumber}</td>
                      <td title={c.positionName}>{c.positionCode}</td>
                      <td>{labels.priority(c.priorityCategory)}</td>
                      <td>{c.exemptions.map(labels.exemption).join('; ')}</td>
                      <td>{c.roomName ?? ''}</td>
                      <td className="num">{c.seatNo ?? ''}</td>
                      <td data-testid="candidate-has-pin">{c.hasPin ? t('common.yes') : t('common.no')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {pages > 1 ? (
              <nav
                className="pager"
                aria-label={t('common.pageOf', { page: String(page), pages: String(pages), total: String(items.length) })}
              >
                <button
                  type="button"
                  className="btn"
                  disabled={page <= 1}
                  onClick={() => setPage(page - 1)}
                  data-testid="page-prev"
                >
                  ‹ {t('common.previous')}
                </button>
                <span>
                  {t('common.pageOf', {
                    page: formatNumber(page),
                    pages: formatNumber(pages),
                    total: formatNumber(items.length),
                  })}
                </span>
                <button
                  type="button"
                  className="btn"
                  disabled={page >= pages}
                  onClick={() => setPage(page + 1)}
                  data-testid="page-next"
                >
                  {t('common.next')} ›
                </button>
              </nav>
            ) : null}
          </>
        )
      ) : null}
      {editable ? (
        <CandidateImport
          examId={exam.id}
          promotion={exam.kind === 'promotion'}
          onImported={() => {
            list.reload();
            refresh();
          }}
        />
      ) : null}
      <Pins
        examId={exam.id}
        count={list.data?.length ?? exam.candidates}
        missing={items.filter((c) => !c.hasPin).length}
        onIssued={list.reload}
      />
    </div>
  );
}
