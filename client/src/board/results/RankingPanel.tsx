import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ExamDetail } from '../../api/exams';
import { type ExamResultsDto, type PositionResultDto, type ResultRowDto, resultsApi, type TiedGroupDto } from '../../api/results';
import { formatDate, formatDateTime, formatNumber } from '../../i18n/format';
import { toast } from '../../stores/toasts';
import { useUi } from '../../stores/ui';
import { ErrorBox } from '../../ui/ErrorBox';
import { Explanation } from '../../ui/Explanation';
import { Loading } from '../../ui/Loading';
import { ReasonDialog } from '../../ui/ReasonDialog';
import { useHasRole } from '../../ui/RoleGate';
import { useResource } from '../../ui/useResource';
import { CancelResultDialog } from './CancelResultDialog';
import { score, useResultLabels } from './labels';
import { TieDialog } from './TieDialog';

/** The parts that are parts of this exam (the profile's parts it does not hold have partId 0). */
function partColumns(p: PositionResultDto): ResultRowDto['parts'] {
  return (p.rows[0]?.parts ?? []).filter((x) => x.partId > 0);
}

/** "Vòng 1 — Phần I: Kiến thức chung" → "Kiến thức chung" for a narrow column head (the full name is its title). */
function shortName(name: string): string {
  const parts = name.split(/[—:]/);
  return (parts[parts.length - 1] ?? name).trim() || name;
}

function PartCell({ part }: { part: ResultRowDto['parts'][number] }) {
  const labels = useResultLabels();
  const { t } = useTranslation();
  const title =
    part.correct !== null && part.total !== null
      ? t('results.correctOf', { correct: formatNumber(part.correct), total: formatNumber(part.total) })
      : undefined;
  if (part.score !== null) {
    return (
      <td className={`num${part.status === 'failed' ? ' score-failed' : ''}`} title={title} data-status={part.status}>
        {score(part.score)}
        {part.status === 'failed' ? <span className="visually-hidden"> ({labels.partStatus('failed')})</span> : null}
      </td>
    );
  }
  return (
    <td className="num muted" data-status={part.status}>
      {labels.partStatus(part.status)}
    </td>
  );
}

function rankClass(r: ResultRowDto): string | undefined {
  if (r.status === 'tie_pending') return 'row-tie';
  if (r.selected) return 'row-picked';
  if (r.status === 'failed' || r.status === 'sanction') return 'row-muted';
  return undefined;
}

function TiedGroups({
  position,
  frozen,
  onDecide,
}: {
  position: PositionResultDto;
  frozen: boolean;
  onDecide: (g: TiedGroupDto) => void;
}) {
  const { t } = useTranslation();
  const isChair = useHasRole('chair');
  const name = (cid: number) => {
    const r = position.rows.find((x) => x.candidateId === cid);
    return r ? `${r.number} ${r.fullName}` : `#${cid}`;
  };
  if (position.tiedGroups.length === 0) return null;
  return (
    <ul className="tie-groups" data-testid={`ties-${position.code}`}>
      {position.tiedGroups.map((g) => (
        <li
          key={`${g.rank}-${g.candidateIds.join('-')}`}
          className={g.decision ? 'tie-group tie-decided' : 'tie-group tie-open'}
          data-testid="tie-group"
          data-decided={!!g.decision}
        >
          <div className="grow">
            <strong>{t('results.tie.group', { rank: formatNumber(g.rank), n: formatNumber(g.candidateIds.length) })}</strong>{' '}
            {t('results.tie.seats', { seats: formatNumber(g.seats) })}
            {g.decision ? (
              <div data-testid="tie-decision">
                {t('results.tie.decided', {
                  order: g.decision.candidateIds.map(name).join(' → '),
                  by: g.decision.by,
                  at: formatDateTime(g.decision.at),
                })}
                {g.decision.ref ? (
                  <div data-testid="tie-decision-ref">
                    {t('defence.tie.ref', {
                      number: g.decision.ref.decisionNumber,
                      date: formatDate(g.decision.ref.decisionDate),
                      signer: g.decision.ref.signer,
                    })}
                  </div>
                ) : null}
                <div className="muted">
                  {t('results.tie.reasonShown')}: {g.decision.reason}
                </div>
              </div>
            ) : (
              <div>{g.candidateIds.map(name).join(', ')}</div>
            )}
          </div>
          {!g.decision && !frozen && isChair ? (
            <button type="button" className="btn btn-primary btn-small" onClick={() => onDecide(g)} data-testid="tie-decide">
              {t('results.tie.decide')}
            </button>
          ) : null}
          {!g.decision && !frozen && !isChair ? (
            <span className="muted" data-testid="tie-chair-needed">
              {t('defence.tie.chairNeeded')}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function PositionTable({
  position,
  frozen,
  onDecide,
  onCancelResult,
}: {
  position: PositionResultDto;
  frozen: boolean;
  onDecide: (g: TiedGroupDto) => void;
  onCancelResult: (row: ResultRowDto) => void;
}) {
  const { t } = useTranslation();
  const labels = useResultLabels();
  const lang = useUi((s) => s.language);
  const id = useId();
  const cols = partColumns(position);
  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid={`position-${position.code}`}>
      <div className="title-row">
        <h3 id={`${id}-h`} className="h-small">
          <span className="code-badge">{position.code}</span> {position.name}
        </h3>
        <div className="spacer" />
        <span data-testid="position-counts">
          {t('results.quota', { quota: formatNumber(position.quota), selected: formatNumber(position.selected) })}
        </span>
      </div>
      <TiedGroups position={position} frozen={frozen} onDecide={onDecide} />
      <div className="table-scroll">
        <table className="table table-compact ranking-table" data-testid="ranking-table">
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('results.col.rank')}
              </th>
              <th scope="col">{t('results.col.number')}</th>
              <th scope="col">
                {t('results.col.name')}
                <div className="muted small">{t('results.col.birth')}</div>
              </th>
              <th scope="col">{t('results.col.room')}</th>
              {cols.map((p) => (
                <th key={p.partId} scope="col" className="num part-col" title={p.name}>
                  <span aria-hidden="true">{shortName(p.name)}</span>
                  <span className="visually-hidden">{p.name}</span>
                  {p.role === 'condition' ? <span className="part-role">{t('results.condition')}</span> : null}
                </th>
              ))}
              <th scope="col" className="num">
                {t('results.col.priority')}
              </th>
              <th scope="col" className="num">
                {t('results.col.total')}
              </th>
              <th scope="col">{t('results.col.result')}</th>
              <th scope="col">{t('results.col.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {position.rows.map((r) => (
              <tr
                key={r.candidateId}
                className={rankClass(r)}
                data-testid={`rank-row-${r.number}`}
                data-status={r.status}
                data-selected={r.selected}
                data-rank={r.rank ?? ''}
              >
                <td className="num strong">{r.rank === null ? '—' : formatNumber(r.rank)}</td>
                <th scope="row" className="nowrap">
                  {r.number}
                </th>
                <td className="nowrap">
                  {r.fullName}
                  <div className="muted small">{formatDate(r.dateOfBirth)}</div>
                </td>
                <td>{r.roomCode ?? '—'}</td>
                {cols.map((c) => {
                  const p = r.parts.find((x) => x.partId === c.partId);
                  return p ? <PartCell key={c.partId} part={p} /> : <td key={c.partId} className="num" />;
                })}
                <td className="num" title={r.priorityCode ?? undefined}>
                  {r.priorityPoints ? score(r.priorityPoints) : '—'}
                </td>
                <td className="num strong" data-testid="rank-total">
                  {score(r.total)}
                </td>
                <td>
                  <span className={`badge rank-${r.status}`} data-testid="rank-status">
                    {labels.rankStatus(r.status)}
                  </span>
                </td>
                <td className="reason-cell">
                  <span data-testid="rank-reason">{(lang === 'en' ? r.reasonEn : r.reason) ?? ''}</span>
                  {!frozen && !r.sanctions.includes('huy_ket_qua') ? (
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      onClick={() => onCancelResult(r)}
                      data-testid={`cancel-result-${r.number}`}
                    >
                      {t('results.cancelResult.action')}
                    </button>
                  ) : null}
                  <details data-testid={`explain-${r.number}`}>
                    <summary>{t('defence.show')}</summary>
                    <Explanation explanation={r.explanation} />
                  </details>
                  {r.warnings.length ? (
                    <ul className="compact-list muted">
                      {(lang === 'en' ? (r.warningsEn ?? r.warnings) : r.warnings).map((w) => (
                        <li key={w}>{w}</li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function PublishDialog({
  examId,
  onClose,
  onDone,
}: {
  examId: number;
  onClose: () => void;
  onDone: (r: ExamResultsDto) => void;
}) {
  const { t } = useTranslation();
  return (
    <ReasonDialog
      title={t('results.publish.dialogTitle')}
      testId="publish-dialog"
      reasonLabel={t('results.publish.reason')}
      reasonTestId="publish-reason"
      reasonRequired={false}
      submitLabel={t('results.publish.confirm')}
      busyLabel={t('results.publish.busy')}
      submitTestId="publish-confirm"
      cancelTestId="publish-cancel"
      errorTestId="publish-error"
      onSubmit={async (reason) => onDone(await resultsApi.publish(examId, reason))}
      onClose={onClose}
    >
      <p className="alert alert-warn">{t('results.publish.warning')}</p>
    </ReasonDialog>
  );
}

/** Results per position in rank order, tied groups and the head's decisions, blockers, publication and the documents. */
export function RankingPanel({ exam, onPublished }: { exam: ExamDetail; onPublished: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const results = useResource(() => resultsApi.results(exam.id), [exam.id]);
  const [deciding, setDeciding] = useState<{ position: PositionResultDto; group: TiedGroupDto } | null>(null);
  const [cancelling, setCancelling] = useState<ResultRowDto | null>(null);
  const [publishing, setPublishing] = useState(false);

  if (results.error && !results.data) return <ErrorBox error={results.error} />;
  if (!results.data) return <Loading />;
  const r = results.data;
  const frozen = !!r.published;

  return (
    <div data-testid="ranking-panel" data-published={frozen}>
      <section className="card" aria-labelledby={`${id}-pub`}>
        <div className="title-row">
          <h3 id={`${id}-pub`} className="h-small">
            {t('results.publish.title')}
          </h3>
          <div className="spacer" />
          {frozen ? (
            <span className="badge badge-approved" data-testid="results-published">
              {t('results.publish.published')}
            </span>
          ) : (
            <span className="badge badge-draft" data-testid="results-open">
              {t('results.publish.notYet')}
            </span>
          )}
        </div>
        {r.published ? (
          <div className="alert alert-success" data-testid="publication">
            <p>{t('results.publish.publishedAt', { at: formatDateTime(r.published.publishedAt), by: r.published.by })}</p>
            <p>
              {t('results.publish.sha')}:{' '}
              <code className="sha" data-testid="results-sha">
                {r.published.sha256}
              </code>
            </p>
            <p className="muted">{t('results.frozenNote')}</p>
            <p data-testid="publication-next">
              {t('reviews.afterPublication')}{' '}
              <Link to={`/board/exams/${exam.id}/results/reviews`} data-testid="go-reviews">
                {t('results.sub.reviews')}
              </Link>
            </p>
          </div>
        ) : (
          <>
            {r.blockers.length ? (
              <div className="alert alert-warn" role="status" data-testid="blockers">
                <p className="strong">{t('results.blockersTitle')}</p>
                <ul>
                  {r.blockers.map((b) => (
                    <li key={b.code} data-testid={`blocker-${b.code}`}>
                      {b.message}
                    </li>
                  ))}
                </ul>
              </div>
            ) : (
              <p className="alert alert-info" data-testid="no-blockers">
                {t('results.noBlockers')}
              </p>
            )}
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => setPublishing(true)}
              disabled={r.blockers.length > 0}
              aria-describedby={r.blockers.length ? `${id}-blocked` : undefined}
              data-testid="publish-open"
            >
              {t('results.publish.button')}
            </button>
            {r.blockers.length ? (
              <small id={`${id}-blocked`} className="hint">
                {' '}
                {t('results.publish.blockedHint')}
              </small>
            ) : null}
          </>
        )}
        <h4>{t('results.docs.title')}</h4>
        <ul className="download-list">
          <li>
            <a className="btn" href={resultsApi.xlsxUrl(exam.id)} download data-testid="dl-xlsx">
              {t('results.docs.xlsx')}
            </a>
          </li>
          <li>
            <a className="btn" href={resultsApi.rankingPdfUrl(exam.id)} download data-testid="dl-ranking-pdf">
              {t('results.docs.rankingPdf')}
            </a>
          </li>
          <li>
            <a className="btn" href={resultsApi.noticesPdfUrl(exam.id)} download data-testid="dl-notices-pdf">
              {t('results.docs.noticesPdf')}
            </a>
          </li>
        </ul>
        <p className="muted">
          {t('results.computedAt', { at: formatDateTime(r.computedAt) })}{' '}
          <button type="button" className="btn btn-small btn-ghost" onClick={results.reload} data-testid="results-reload">
            {t('results.reload')}
          </button>
        </p>
      </section>

      {r.positions.length === 0 ? <p className="empty">{t('results.noPositions')}</p> : null}
      {r.positions.map((p) => (
        <PositionTable
          key={p.positionId}
          position={p}
          frozen={frozen}
          onDecide={(g) => setDeciding({ position: p, group: g })}
          onCancelResult={setCancelling}
        />
      ))}

      {cancelling ? (
        <CancelResultDialog
          examId={exam.id}
          row={cancelling}
          onClose={() => setCancelling(null)}
          onDone={(next) => {
            setCancelling(null);
            results.setData(next);
            toast.success(t('results.cancelResult.done'));
          }}
        />
      ) : null}
      {deciding ? (
        <TieDialog
          examId={exam.id}
          position={deciding.position}
          group={deciding.group}
          onClose={() => setDeciding(null)}
          onDone={(next) => {
            setDeciding(null);
            results.setData(next);
            toast.success(t('results.tie.recorded'));
          }}
        />
      ) : null}
      {publishing ? (
        <PublishDialog
          examId={exam.id}
          onClose={() => setPublishing(false)}
          onDone={(next) => {
            setPublishing(false);
            results.setData(next);
            toast.success(t('results.publish.done'));
            onPublished();
          }}
        />
      ) : null}
    </div>
  );
}
