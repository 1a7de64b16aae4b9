import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type BlueprintCheckDto, type ExamDetail, examsApi, type GeneratedPartDto, type JobDto } from '../../api/exams';
import { formatNumber } from '../../i18n/format';
import { toast } from '../../stores/toasts';
import { ErrorBox } from '../../ui/ErrorBox';
import { Loading } from '../../ui/Loading';
import { useResource } from '../../ui/useResource';
import type { ExamTabProps } from './labels';
import { ReadyError } from './OverviewTab';

/** How often a running job is asked for its progress. */
export const JOB_POLL_MS = 300;

function isGeneratedParts(v: unknown): v is GeneratedPartDto[] {
  return Array.isArray(v) && v.every((x) => x && typeof x === 'object' && 'partId' in x && 'papers' in x);
}

function percent(v: number | null): string {
  return v === null ? '—' : `${formatNumber(Math.round(v * 1000) / 10)}%`;
}

function BlueprintCheckView({
  check,
  onRecheck,
  loading,
}: {
  check: BlueprintCheckDto;
  onRecheck: () => void;
  loading: boolean;
}) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="bpc-h" data-testid="blueprint-check" data-ok={check.ok}>
      <div className="title-row">
        <h3 id="bpc-h" className="h-small">
          {t('papers.checkTitle')}
        </h3>
        <div className="spacer" />
        <button type="button" className="btn btn-small" onClick={onRecheck} disabled={loading} data-testid="blueprint-recheck">
          {t('papers.recheck')}
        </button>
      </div>
      <p className="muted">{t('papers.checkIntro', { multiple: formatNumber(check.multiple) })}</p>
      {check.parts.length === 0 ? (
        <p className="muted">{t('papers.noComputerParts')}</p>
      ) : (
        <>
          <p
            className={`alert ${check.ok ? 'alert-success' : 'alert-error'}`}
            role={check.ok ? 'status' : 'alert'}
            data-testid="blueprint-check-summary"
          >
            {check.ok ? t('papers.checkOk') : t('papers.checkBad')}
          </p>
          <table className="table" data-testid="blueprint-check-table">
            <thead>
              <tr>
                <th scope="col">{t('papers.part')}</th>
                <th scope="col" className="num">
                  {t('papers.questionCount')}
                </th>
                <th scope="col" className="num">
                  {t('papers.poolSize')}
                </th>
                <th scope="col">{t('papers.result')}</th>
              </tr>
            </thead>
            <tbody>
              {check.parts.map((p) => {
                const bad = p.problems.length + p.shortfalls.length > 0;
                return (
                  <tr key={p.partId} data-testid={`check-row-${p.code}`} data-ok={!bad}>
                    <th scope="row">{p.name}</th>
                    <td className="num">{formatNumber(p.questionCount)}</td>
                    <td className="num">{formatNumber(p.poolSize)}</td>
                    <td>
                      <span className={`badge ${bad ? 'badge-bad' : 'badge-approved'}`}>
                        {bad ? t('papers.notOk') : t('papers.ok')}
                      </span>
                      {bad ? (
                        <ul className="problem-list" data-testid="check-problems">
                          {p.problems.map((m) => (
                            <li key={`p-${m}`}>{m}</li>
                          ))}
                          {p.shortfalls.map((s, i) => (
                            // biome-ignore lint/suspicious/noArrayIndexKey: messages may repeat
                            <li key={`s-${i}`}>{s.message}</li>
                          ))}
                        </ul>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function JobProgress({ job }: { job: JobDto }) {
  const { t } = useTranslation();
  const pct = job.total > 0 ? Math.round((job.done / job.total) * 100) : job.status === 'done' ? 100 : 0;
  return (
    <div
      className={`progress-box job-${job.status}`}
      role="status"
      aria-live="polite"
      data-testid="papers-progress"
      data-status={job.status}
      data-done={job.done}
      data-total={job.total}
    >
      <progress max={100} value={pct} aria-label={t('papers.progressLabel')} />
      <span data-testid="papers-progress-count">
        {t('papers.progress', { done: formatNumber(job.done), total: formatNumber(job.total) })}
      </span>
      <span
        className={`badge ${job.status === 'failed' ? 'badge-bad' : job.status === 'done' ? 'badge-approved' : 'badge-submitted'}`}
      >
        {t(`papers.jobStatus.${job.status}`)}
      </span>
      {job.message ? <span className={job.status === 'failed' ? 'error-text' : 'muted'}>{job.message}</span> : null}
    </div>
  );
}

function GenerationResult({ exam, parts }: { exam: ExamDetail; parts: GeneratedPartDto[] }) {
  const { t } = useTranslation();
  return (
    <div data-testid="papers-result">
      <h4>{t('papers.resultTitle')}</h4>
      <table className="table table-compact">
        <thead>
          <tr>
            <th scope="col">{t('papers.part')}</th>
            <th scope="col" className="num">
              {t('papers.papers')}
            </th>
            <th scope="col" className="num">
              {t('papers.regenerated')}
            </th>
            <th scope="col" className="num">
              {t('papers.minOverlap')}
            </th>
            <th scope="col" className="num">
              {t('papers.maxOverlap')}
            </th>
          </tr>
        </thead>
        <tbody>
          {parts.map((p) => (
            <tr key={p.partId} data-testid="papers-result-row" data-part-id={p.partId} data-papers={p.papers}>
              <th scope="row">{exam.parts.find((x) => x.id === p.partId)?.name ?? `#${p.partId}`}</th>
              <td className="num">{formatNumber(p.papers)}</td>
              <td className="num">{formatNumber(p.regenerated)}</td>
              <td className="num">{p.minOverlap === null ? t('papers.noNeighbours') : percent(p.minOverlap)}</td>
              <td className="num">{p.maxOverlap === null ? t('papers.noNeighbours') : percent(p.maxOverlap)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">{t('papers.overlapHint')}</p>
    </div>
  );
}

export function PapersTab({ exam, editable, refresh }: ExamTabProps) {
  const { t } = useTranslation();
  const check = useResource(() => examsApi.blueprintCheck(exam.id), [exam.id]);
  const [job, setJob] = useState<JobDto | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [pollId, setPollId] = useState<number | null>(null);
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  const tRef = useRef(t);
  tRef.current = t;

  // ask for the job's progress every JOB_POLL_MS until it is over
  useEffect(() => {
    if (pollId === null) return;
    let stopped = false;
    const ctrl = new AbortController();
    let timer = 0;
    const tick = async () => {
      try {
        const j = await examsApi.job(pollId, ctrl.signal);
        if (stopped) return;
        setJob(j);
        if (j.status === 'running') {
          timer = window.setTimeout(tick, JOB_POLL_MS);
          return;
        }
        setPollId(null);
        if (j.status === 'done') {
          toast.success(tRef.current('papers.done'));
          refreshRef.current();
        }
      } catch (err) {
        if (stopped || (err instanceof DOMException && err.name === 'AbortError')) return;
        setError(err);
        setPollId(null);
      }
    };
    timer = window.setTimeout(tick, JOB_POLL_MS);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      ctrl.abort();
    };
  }, [pollId]);

  const generate = async () => {
    setStarting(true);
    setError(null);
    try {
      const { jobId: id } = await examsApi.generatePapers(exam.id);
      const first = await examsApi.job(id);
      setJob(first);
      if (first.status === 'running') setPollId(id);
      else if (first.status === 'done') {
        toast.success(t('papers.done'));
        refresh();
      }
    } catch (err) {
      setError(err);
      check.reload();
    } finally {
      setStarting(false);
    }
  };

  const running = job?.status === 'running';
  const computerParts = exam.parts.filter((p) => p.mode === 'computer_mc');
  const result = job?.status === 'done' && isGeneratedParts(job.result) ? job.result : null;

  return (
    <div data-testid="papers-tab">
      <ErrorBox error={check.error} />
      {check.loading && !check.data ? <Loading /> : null}
      {check.data ? <BlueprintCheckView check={check.data} onRecheck={check.reload} loading={check.loading} /> : null}

      <section className="card" aria-labelledby="gen-h" data-testid="papers-generate">
        <h3 id="gen-h" className="h-small">
          {t('papers.generateTitle')}
        </h3>
        <p className="muted">{t('papers.generateIntro')}</p>
        {computerParts.length ? (
          <ul className="stat-list" data-testid="papers-existing">
            {computerParts.map((p) => (
              <li key={p.id}>
                {p.name}: <strong>{formatNumber(p.papers)}</strong>
              </li>
            ))}
          </ul>
        ) : null}
        {exam.candidates === 0 ? <p className="notice">{t('papers.noCandidates')}</p> : null}
        {editable ? (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void generate()}
            disabled={starting || running || exam.candidates === 0 || computerParts.length === 0}
            data-testid="papers-generate-button"
          >
            {starting || running ? t('papers.generating') : t('papers.generate')}
          </button>
        ) : null}
        {job ? <JobProgress job={job} /> : null}
        <ReadyError error={error} testId="papers-error" title={t('papers.cannotGenerate')} />
        {result ? <GenerationResult exam={exam} parts={result} /> : null}
      </section>

      <section className="card" aria-labelledby="docs-h">
        <h3 id="docs-h" className="h-small">
          {t('papers.documentsTitle')}
        </h3>
        <p>
          <a className="btn" href={examsApi.admissionSlipsUrl(exam.id)} download data-testid="admission-slips">
            {t('papers.admissionSlips')}
          </a>
        </p>
      </section>
    </div>
  );
}
