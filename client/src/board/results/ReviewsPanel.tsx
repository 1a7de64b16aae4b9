import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExamDetail } from '../../api/exams';
import {
  type PublicationVersionDto,
  type RepublicationReportDto,
  type ReviewRequestDto,
  type ReviewSettingsDto,
  reviewApi,
} from '../../api/review';
import { formatDate, formatDateTime, formatNumber } from '../../i18n/format';
import { toast } from '../../stores/toasts';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import { Loading } from '../../ui/Loading';
import { ReasonField } from '../../ui/ReasonDialog';
import { useResource } from '../../ui/useResource';
import { score } from './labels';

/** Today's date (YYYY-MM-DD) in the exam's time zone. */
function todayIn(zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
}

function useBusy() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function Settings({ examId, settings, onSaved }: { examId: number; settings: ReviewSettingsDto; onSaved: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [days, setDays] = useState(String(settings.settings?.windowDays ?? 15));
  const [rule, setRule] = useState<'review' | 'higher'>(settings.settings?.markRule ?? 'review');
  const { busy, error, run } = useBusy();
  const n = Number(days);
  const valid = Number.isInteger(n) && n >= 1 && n <= 180;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    void run(async () => {
      await reviewApi.setSettings(examId, { windowDays: n, markRule: rule });
      toast.success(t('reviews.settingsSaved'));
      onSaved();
    });
  };
  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid="review-settings">
      <h3 id={`${id}-h`} className="h-small">
        {t('reviews.settingsTitle')}
      </h3>
      <p className="muted">{settings.note}</p>
      <p className="alert alert-info" data-testid="review-computer-note">
        {settings.computerParts}
      </p>
      {settings.publishedOn ? (
        <p data-testid="review-window">
          {settings.lastDay
            ? t('reviews.window', { from: formatDate(settings.publishedOn), to: formatDate(settings.lastDay) })
            : t('reviews.windowUnset', { from: formatDate(settings.publishedOn) })}
        </p>
      ) : (
        <p className="muted" data-testid="review-window">
          {t('reviews.notPublished')}
        </p>
      )}
      <form className="inline-form" onSubmit={submit}>
        <FormField label={t('reviews.windowDays')} id={`${id}-days`} required>
          {(c) => (
            <input
              {...c}
              type="number"
              min={1}
              max={180}
              value={days}
              onChange={(e) => setDays(e.target.value)}
              data-testid="review-window-days"
            />
          )}
        </FormField>
        <FormField label={t('reviews.markRule')} id={`${id}-rule`}>
          {(c) => (
            <select
              {...c}
              value={rule}
              onChange={(e) => setRule(e.target.value === 'higher' ? 'higher' : 'review')}
              data-testid="review-mark-rule"
            >
              <option value="review">{t('reviews.rule.review')}</option>
              <option value="higher">{t('reviews.rule.higher')}</option>
            </select>
          )}
        </FormField>
        <button type="submit" className="btn" disabled={busy || !valid} data-testid="review-settings-save">
          {t('common.save')}
        </button>
      </form>
      <ErrorBox error={error} testId="review-settings-error" />
    </section>
  );
}

function NewRequest({
  exam,
  settings,
  onCreated,
}: {
  exam: ExamDetail;
  settings: ReviewSettingsDto;
  onCreated: (r: ReviewRequestDto) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const reviewable = exam.parts.filter((p) => p.mode !== 'computer_mc');
  const computer = exam.parts.filter((p) => p.mode === 'computer_mc');
  const [number, setNumber] = useState('');
  const [partId, setPartId] = useState(reviewable[0]?.id ?? 0);
  const [date, setDate] = useState(todayIn(exam.timeZone));
  const [note, setNote] = useState('');
  const { busy, error, run } = useBusy();
  const why = !settings.publishedOn
    ? t('reviews.notPublished')
    : !settings.settings
      ? t('reviews.settingsFirst')
      : reviewable.length === 0
        ? t('reviews.noReviewableParts')
        : null;
  const late = !!settings.lastDay && !!date && date > settings.lastDay;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (why || !number.trim() || !partId || !date) return;
    void run(async () => {
      const r = await reviewApi.request(exam.id, {
        number: number.trim(),
        partId,
        requestedOn: date,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      toast.success(t('reviews.recorded', { number: r.number }));
      setNumber('');
      setNote('');
      onCreated(r);
    });
  };
  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid="review-new">
      <h3 id={`${id}-h`} className="h-small">
        {t('reviews.newTitle')}
      </h3>
      {why ? (
        <p className="alert alert-warn" data-testid="review-new-why">
          {why}
        </p>
      ) : null}
      <form onSubmit={submit}>
        <div className="form-grid">
          <FormField label={t('reviews.number')} id={`${id}-no`} required>
            {(c) => (
              <input
                {...c}
                maxLength={32}
                value={number}
                disabled={!!why}
                onChange={(e) => setNumber(e.target.value)}
                data-testid="review-number"
              />
            )}
          </FormField>
          <FormField label={t('reviews.part')} id={`${id}-part`}>
            {(c) => (
              <select
                {...c}
                value={partId}
                disabled={!!why}
                onChange={(e) => setPartId(Number(e.target.value))}
                data-testid="review-part"
              >
                {reviewable.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
                {computer.map((p) => (
                  <option key={p.id} value={p.id} disabled>
                    {p.name} — {t('reviews.computerPart')}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField label={t('reviews.requestedOn')} id={`${id}-date`} required describedById={`${id}-late`}>
            {(c) => (
              <input
                {...c}
                type="date"
                value={date}
                disabled={!!why}
                onChange={(e) => setDate(e.target.value)}
                data-testid="review-date"
              />
            )}
          </FormField>
          <FormField label={t('reviews.note')} id={`${id}-note`}>
            {(c) => (
              <input
                {...c}
                maxLength={1000}
                value={note}
                disabled={!!why}
                onChange={(e) => setNote(e.target.value)}
                data-testid="review-note"
              />
            )}
          </FormField>
        </div>
        <p id={`${id}-late`} className={late ? 'alert alert-error' : 'visually-hidden'} role={late ? 'alert' : undefined}>
          {late && settings.lastDay ? t('reviews.lateWarn', { lastDay: formatDate(settings.lastDay) }) : ''}
        </p>
        <div className="button-row">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy || !!why || !number.trim()}
            data-testid="review-submit"
          >
            {t('reviews.record')}
          </button>
        </div>
        <ErrorBox error={error} testId="review-new-error" />
      </form>
    </section>
  );
}

function AssignReviewers({ examId, request, onDone }: { examId: number; request: ReviewRequestDto; onDone: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const options = useResource(() => reviewApi.reviewerOptions(examId, request.id), [examId, request.id]);
  const [r1, setR1] = useState(request.reviewers[0]?.id ?? 0);
  const [r2, setR2] = useState(request.reviewers[1]?.id ?? 0);
  const { busy, error, run } = useBusy();
  const why = !r1 || !r2 ? t('reviews.pickTwo') : r1 === r2 ? t('reviews.sameReviewer') : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (why) return;
    void run(async () => {
      await reviewApi.assign(examId, request.id, { reviewer1: r1, reviewer2: r2 });
      toast.success(t('reviews.assigned'));
      onDone();
    });
  };
  const select = (n: 1 | 2, value: number, set: (v: number) => void) => (
    <FormField label={t('reviews.reviewerN', { n: String(n) })} id={`${id}-r${n}`}>
      {(c) => (
        <select {...c} value={value} onChange={(e) => set(Number(e.target.value))} data-testid={`review-reviewer${n}`}>
          <option value={0}>—</option>
          {(options.data ?? []).map((o) => (
            <option key={o.id} value={o.id} disabled={o.markedPaper}>
              {o.fullName} ({o.username}){o.markedPaper ? ` — ${t('reviews.markedPaper')}` : ''}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
  return (
    <form onSubmit={submit} data-testid="review-assign">
      <h4>{t('reviews.assignTitle')}</h4>
      <p className="muted">{t('reviews.assignHint')}</p>
      <ErrorBox error={options.error} />
      <div className="form-grid">
        {select(1, r1, setR1)}
        {select(2, r2, setR2)}
      </div>
      {why ? (
        <p className="muted" data-testid="review-assign-why">
          {why}
        </p>
      ) : null}
      <button type="submit" className="btn" disabled={busy || !!why} data-testid="review-assign-submit">
        {t('reviews.assign')}
      </button>
      <ErrorBox error={error} testId="review-assign-error" />
    </form>
  );
}

function ReviewMark({
  examId,
  request,
  reviewer,
  scale,
  onDone,
}: {
  examId: number;
  request: ReviewRequestDto;
  reviewer: 1 | 2;
  scale: number;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const { busy, error, run } = useBusy();
  const parse = (s: string) => (s.trim() === '' ? null : Number(s.replace(',', '.')));
  const x = parse(a);
  const y = parse(b);
  const why =
    x === null || y === null
      ? t('reviews.typeTwice')
      : Number.isNaN(x) || x < 0 || x > scale
        ? t('reviews.outOfRange', { max: formatNumber(scale) })
        : x !== y
          ? t('reviews.mismatch')
          : null;
  const current = reviewer === 1 ? request.marks.reviewer1 : request.marks.reviewer2;
  const who = request.reviewers[reviewer - 1]?.name ?? '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (why || x === null || y === null) return;
    void run(async () => {
      await reviewApi.mark(examId, request.id, { reviewer, score: x, scoreAgain: y });
      setA('');
      setB('');
      toast.success(t('reviews.markSaved'));
      onDone();
    });
  };
  return (
    <form onSubmit={submit} className="review-mark" data-testid={`review-mark-${reviewer}`}>
      <h4>
        {t('reviews.reviewerN', { n: String(reviewer) })}: {who}
        {current !== null ? (
          <span className="badge badge-approved" data-testid={`review-mark-${reviewer}-saved`}>
            {t('reviews.saved', { score: score(current) })}
          </span>
        ) : null}
      </h4>
      <div className="form-grid">
        <FormField label={t('reviews.score', { max: formatNumber(scale) })} id={`${id}-a`}>
          {(c) => (
            <input
              {...c}
              inputMode="decimal"
              value={a}
              onChange={(e) => setA(e.target.value)}
              data-testid={`review-score-${reviewer}`}
            />
          )}
        </FormField>
        <FormField label={t('reviews.scoreAgain')} id={`${id}-b`}>
          {(c) => (
            <input
              {...c}
              inputMode="decimal"
              value={b}
              onChange={(e) => setB(e.target.value)}
              data-testid={`review-score-again-${reviewer}`}
            />
          )}
        </FormField>
      </div>
      {why && a && b ? (
        <p className="muted" role="status">
          {why}
        </p>
      ) : null}
      <button type="submit" className="btn" disabled={busy || !!why} data-testid={`review-mark-submit-${reviewer}`}>
        {t('reviews.saveMark')}
      </button>
      <ErrorBox error={error} testId={`review-mark-error-${reviewer}`} />
    </form>
  );
}

function RequestDetail({
  exam,
  request,
  rule,
  onChanged,
}: {
  exam: ExamDetail;
  request: ReviewRequestDto;
  rule: 'review' | 'higher' | null;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const scale = exam.parts.find((p) => p.id === request.partId)?.scoreScale ?? 100;
  const canAssign = request.status === 'open' || request.status === 'assigned';
  const canMark = request.status === 'assigned' || request.status === 'marked';
  return (
    <section
      className="card"
      aria-labelledby={`${id}-h`}
      data-testid="review-detail"
      data-status={request.status}
      data-request-id={request.id}
    >
      <h3 id={`${id}-h`} className="h-small">
        {t('reviews.detailTitle', { number: request.number, name: request.fullName, part: request.partName })}
      </h3>
      <dl className="stats" data-testid="review-standing">
        <div>
          <dt>{t('reviews.col.original')}</dt>
          <dd>{score(request.original)}</dd>
        </div>
        <div>
          <dt>{t('reviews.col.review')}</dt>
          <dd data-testid="review-review">{request.review === null ? '—' : score(request.review)}</dd>
        </div>
        <div>
          <dt>{t('reviews.col.final')}</dt>
          <dd data-testid="review-final">{request.final === null ? '—' : score(request.final)}</dd>
        </div>
      </dl>
      <p className="muted" data-testid="review-rule">
        {rule ? t(`reviews.ruleExplain.${rule}`) : t('reviews.settingsFirst')}
      </p>
      <p data-testid="review-next">{t(`reviews.next.${request.status}`)}</p>
      {canAssign ? <AssignReviewers examId={exam.id} request={request} onDone={onChanged} /> : null}
      {canMark ? (
        <div className="two-col">
          <ReviewMark examId={exam.id} request={request} reviewer={1} scale={scale} onDone={onChanged} />
          <ReviewMark examId={exam.id} request={request} reviewer={2} scale={scale} onDone={onChanged} />
        </div>
      ) : null}
      {request.status === 'republished' ? (
        <p>
          <a className="btn" href={reviewApi.noticeUrl(exam.id, request.id)} download data-testid="review-notice-pdf">
            {t('reviews.notice')}
          </a>
        </p>
      ) : (
        <p className="muted" data-testid="review-notice-why">
          {t('reviews.noticeWhy')}
        </p>
      )}
    </section>
  );
}

function ChangesTable({ report }: { report: RepublicationReportDto }) {
  const { t } = useTranslation();
  const side = (s: RepublicationReportDto['changes'][number]['before']) =>
    `${s.total === null ? '—' : score(s.total)} · ${s.rank === null ? '—' : `#${formatNumber(s.rank)}`} · ${
      s.selected ? t('reviews.selected') : t('reviews.notSelected')
    }`;
  if (report.changes.length === 0) return <p className="muted">{t('reviews.noChanges')}</p>;
  return (
    <table className="table table-compact" data-testid="republish-changes">
      <thead>
        <tr>
          <th scope="col">{t('results.col.number')}</th>
          <th scope="col">{t('results.col.name')}</th>
          <th scope="col">{t('reviews.before')}</th>
          <th scope="col">{t('reviews.after')}</th>
        </tr>
      </thead>
      <tbody>
        {report.changes.map((c) => (
          <tr key={c.candidateId} data-testid={`change-${c.number}`}>
            <th scope="row">{c.number}</th>
            <td>{c.fullName}</td>
            <td>{side(c.before)}</td>
            <td>{side(c.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Republish({ examId, pending, onDone }: { examId: number; pending: number; onDone: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [reason, setReason] = useState('');
  const { busy, error, run } = useBusy();
  const why = pending === 0 ? t('reviews.nothingToRepublish') : !reason.trim() ? t('reviews.reasonNeeded') : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (why) return;
    void run(async () => {
      const r = await reviewApi.republish(examId, reason.trim());
      toast.success(t('reviews.republished', { version: formatNumber(r.version) }));
      setReason('');
      onDone();
    });
  };
  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid="republish">
      <h3 id={`${id}-h`} className="h-small">
        {t('reviews.republishTitle')}
      </h3>
      <p>{t('reviews.pending', { count: pending })}</p>
      <form onSubmit={submit}>
        <ReasonField
          label={t('reviews.republishReason')}
          id={`${id}-reason`}
          value={reason}
          onChange={setReason}
          nativeRequired={false}
          testId="republish-reason"
        />
        {why ? (
          <p className="muted" data-testid="republish-why">
            {why}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy || !!why} data-testid="republish-submit">
          {t('reviews.republish')}
        </button>
        <ErrorBox error={error} testId="republish-error" />
      </form>
    </section>
  );
}

function Publications({ list }: { list: PublicationVersionDto[] }) {
  const { t } = useTranslation();
  const id = useId();
  if (list.length === 0) return null;
  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid="publications">
      <h3 id={`${id}-h`} className="h-small">
        {t('reviews.versionsTitle')}
      </h3>
      {list.map((p) => (
        <div key={`${p.version}-${p.sha256}`} className="publication" data-testid={`publication-v${p.version}`}>
          <h4>
            {t('reviews.version', { version: formatNumber(p.version) })} — {formatDateTime(p.publishedAt)} ({p.by})
            {p.revokedAt ? <span className="badge">{t('reviews.superseded')}</span> : null}
          </h4>
          <p className="mono small">
            SHA-256: <code data-testid="publication-sha">{p.sha256}</code>
          </p>
          {p.previousSha256 ? (
            <p className="mono small">
              {t('reviews.previousSha')}: <code data-testid="publication-previous-sha">{p.previousSha256}</code>
            </p>
          ) : null}
          {p.revokedReason ? <p className="muted small">{p.revokedReason}</p> : null}
          {p.report ? (
            <>
              <p>
                {t('reviews.reportReason')}: {p.report.reason}
              </p>
              <ChangesTable report={p.report} />
            </>
          ) : null}
        </div>
      ))}
    </section>
  );
}

/** "Phúc khảo": the window and mark rule, requests, reviewers, review marks, republication, notices. */
export function ReviewsPanel({ exam, onChanged }: { exam: ExamDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const settings = useResource(() => reviewApi.settings(exam.id), [exam.id]);
  const list = useResource(() => reviewApi.list(exam.id), [exam.id]);
  const pubs = useResource(() => reviewApi.publications(exam.id), [exam.id]);
  const [selected, setSelected] = useState<number | null>(null);
  const reloadAll = () => {
    settings.reload();
    list.reload();
    pubs.reload();
  };
  if (settings.error && !settings.data) return <ErrorBox error={settings.error} />;
  if (!settings.data || !list.data) return <Loading />;
  const requests = list.data;
  const current = requests.find((r) => r.id === selected) ?? null;
  const pending = requests.filter((r) => r.status === 'marked').length;
  return (
    <div data-testid="reviews-panel">
      <Settings key={JSON.stringify(settings.data.settings)} examId={exam.id} settings={settings.data} onSaved={reloadAll} />
      <NewRequest
        exam={exam}
        settings={settings.data}
        onCreated={(r) => {
          list.reload();
          setSelected(r.id);
        }}
      />
      <section className="card" aria-labelledby="reviews-list-h" data-testid="reviews-list">
        <h3 id="reviews-list-h" className="h-small">
          {t('reviews.listTitle')}
        </h3>
        <ErrorBox error={list.error} />
        {requests.length === 0 ? (
          <p className="empty">{t('reviews.empty')}</p>
        ) : (
          <div className="table-scroll">
            <table className="table table-compact">
              <thead>
                <tr>
                  <th scope="col">{t('results.col.number')}</th>
                  <th scope="col">{t('results.col.name')}</th>
                  <th scope="col">{t('reviews.part')}</th>
                  <th scope="col">{t('reviews.requestedOn')}</th>
                  <th scope="col">{t('reviews.col.status')}</th>
                  <th scope="col">{t('reviews.col.reviewers')}</th>
                  <th scope="col" className="num">
                    {t('reviews.col.original')}
                  </th>
                  <th scope="col" className="num">
                    {t('reviews.col.review')}
                  </th>
                  <th scope="col" className="num">
                    {t('reviews.col.final')}
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {requests.map((r) => (
                  <tr
                    key={r.id}
                    data-testid={`review-row-${r.number}`}
                    data-status={r.status}
                    className={r.id === selected ? 'row-picked' : undefined}
                  >
                    <th scope="row">{r.number}</th>
                    <td>{r.fullName}</td>
                    <td>{r.partName}</td>
                    <td className="nowrap">{formatDate(r.requestedOn)}</td>
                    <td>
                      {t(`reviews.status.${r.status}`)}
                      {r.republishedVersion ? ` (${t('reviews.version', { version: formatNumber(r.republishedVersion) })})` : ''}
                    </td>
                    <td>{r.reviewers.map((x) => x.name).join(', ')}</td>
                    <td className="num">{score(r.original)}</td>
                    <td className="num">{r.review === null ? '—' : score(r.review)}</td>
                    <td className="num">{r.final === null ? '—' : score(r.final)}</td>
                    <td>
                      <button
                        type="button"
                        className="btn btn-small"
                        aria-pressed={r.id === selected}
                        onClick={() => setSelected(r.id === selected ? null : r.id)}
                        data-testid={`review-open-${r.number}`}
                      >
                        {t('reviews.open')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {current ? (
        <RequestDetail
          key={`${current.id}-${current.status}-${current.marks.reviewer1}-${current.marks.reviewer2}`}
          exam={exam}
          request={current}
          rule={settings.data.settings?.markRule ?? null}
          onChanged={list.reload}
        />
      ) : null}
      <Republish
        examId={exam.id}
        pending={pending}
        onDone={() => {
          reloadAll();
          onChanged();
        }}
      />
      {pubs.data ? <Publications list={pubs.data} /> : null}
    </div>
  );
}
