import {
  CIVIL_SERVICE_GRADES,
  ETHNICITIES,
  findEthnicity,
  formatYearsMonths,
  GRADE_CODES,
  type GradeCode,
  RATING_LABELS,
  RATINGS,
  type Rating,
} from '@exam/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { type EligibilityDataBody, type EligibilityDto, eligibilityApi, type GradeEquivalence } from '../../api/review';
import { formatDateTime, formatNumber } from '../../i18n/format';
import { toast } from '../../stores/toasts';
import { useUi } from '../../stores/ui';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import { Loading } from '../../ui/Loading';
import { ReasonField } from '../../ui/ReasonDialog';
import { useResource } from '../../ui/useResource';
import type { ExamTabProps } from './labels';

const isRating = (v: string): v is Rating => (RATINGS as readonly string[]).includes(v);
const isGrade = (v: string): v is GradeCode => (GRADE_CODES as readonly string[]).includes(v);
const months = (m: number | null) => (m === null ? '—' : formatYearsMonths(m));

function StatusBadge({ status, testId }: { status: 'eligible' | 'not_eligible'; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span
      className={`badge ${status === 'eligible' ? 'badge-approved' : 'badge-retired'}`}
      data-testid={testId}
      data-status={status}
    >
      {t(`eligibility.status.${status}`)}
    </span>
  );
}

/** Years + months → whole months (the record's unit); both empty → null. */
function YearsMonths({
  id,
  label,
  value,
  onChange,
  testId,
}: {
  id: string;
  label: string;
  value: number | null;
  onChange: (m: number | null) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const [y, setY] = useState(value === null ? '' : String(Math.floor(value / 12)));
  const [m, setM] = useState(value === null ? '' : String(value % 12));
  const push = (ys: string, ms: string) => {
    if (ys.trim() === '' && ms.trim() === '') return onChange(null);
    const yy = Number(ys || 0);
    const mm = Number(ms || 0);
    if (!Number.isInteger(yy) || !Number.isInteger(mm) || yy < 0 || mm < 0 || mm > 11) return onChange(Number.NaN);
    onChange(yy * 12 + mm);
  };
  return (
    <fieldset className="field years-months" data-testid={testId}>
      <legend>{label}</legend>
      <label htmlFor={`${id}-y`}>{t('eligibility.years')}</label>
      <input
        id={`${id}-y`}
        type="number"
        min={0}
        max={60}
        value={y}
        onChange={(e) => {
          setY(e.target.value);
          push(e.target.value, m);
        }}
        data-testid={`${testId}-years`}
      />
      <label htmlFor={`${id}-m`}>{t('eligibility.months')}</label>
      <input
        id={`${id}-m`}
        type="number"
        min={0}
        max={11}
        value={m}
        onChange={(e) => {
          setM(e.target.value);
          push(y, e.target.value);
        }}
        data-testid={`${testId}-months`}
      />
    </fieldset>
  );
}

function DataForm({
  examId,
  rec,
  equivalences,
  onSaved,
}: {
  examId: number;
  rec: EligibilityDto;
  equivalences: GradeEquivalence[];
  onSaved: (r: EligibilityDto) => void;
}) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.language);
  const id = useId();
  const [d, setD] = useState<EligibilityDataBody>({
    ...rec.data,
    ethnicity: findEthnicity(rec.data.ethnicity)?.name ?? rec.data.ethnicity,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const bad = [d.monthsInGrade, d.monthsInExactGrade, d.serviceMonths].some((x) => x !== null && Number.isNaN(x));
  const exactTooLong = d.monthsInGrade !== null && d.monthsInExactGrade !== null && d.monthsInExactGrade > d.monthsInGrade;
  const why = bad ? t('eligibility.badDuration') : !findEthnicity(d.ethnicity) ? t('eligibility.pickEthnicity') : null;
  const set = <K extends keyof EligibilityDataBody>(k: K, v: EligibilityDataBody[K]) => setD((x) => ({ ...x, [k]: v }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (why || busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await eligibilityApi.update(examId, rec.candidateId, d);
      toast.success(t('eligibility.saved'));
      onSaved(r);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="card" aria-labelledby={`${id}-h`} data-testid="eligibility-form">
      <h3 id={`${id}-h`} className="h-small">
        {t('eligibility.dataTitle')}
      </h3>
      <p className="muted">{t('eligibility.dataHint')}</p>
      <div className="form-grid">
        <FormField label={t('eligibility.currentGrade')} id={`${id}-grade`}>
          {(c) => (
            <select
              {...c}
              value={d.currentGrade ?? ''}
              onChange={(e) => set('currentGrade', e.target.value || null)}
              data-testid="eligibility-grade"
            >
              <option value="">—</option>
              {GRADE_CODES.map((g) => (
                <option key={g} value={g}>
                  {g} — {CIVIL_SERVICE_GRADES[g].name[lang]}
                </option>
              ))}
              {equivalences.map((q) => (
                <option key={q.code} value={q.code}>
                  {q.code} — {q.name} ({t('eligibility.equivalentTo', { code: q.equivalentTo })})
                </option>
              ))}
              {d.currentGrade && !isGrade(d.currentGrade) && !equivalences.some((q) => q.code === d.currentGrade) ? (
                <option value={d.currentGrade}>{d.currentGrade}</option>
              ) : null}
            </select>
          )}
        </FormField>
        <FormField
          label={t('eligibility.ethnicity')}
          id={`${id}-eth`}
          hint={t('eligibility.ethnicityHint', { count: ETHNICITIES.length })}
        >
          {(c) => (
            <select
              {...c}
              value={d.ethnicity}
              onChange={(e) => set('ethnicity', e.target.value)}
              data-testid="eligibility-ethnicity"
            >
              {findEthnicity(d.ethnicity) ? null : <option value={d.ethnicity}>{d.ethnicity}</option>}
              {ETHNICITIES.map((x) => (
                <option key={x.id} value={x.name}>
                  {x.name}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <YearsMonths
          id={`${id}-mg`}
          label={t('eligibility.monthsInGrade')}
          value={d.monthsInGrade}
          onChange={(v) => set('monthsInGrade', v)}
          testId="eligibility-months-in-grade"
        />
        <YearsMonths
          id={`${id}-me`}
          label={t('eligibility.monthsInExactGrade')}
          value={d.monthsInExactGrade}
          onChange={(v) => set('monthsInExactGrade', v)}
          testId="eligibility-months-exact"
        />
        <YearsMonths
          id={`${id}-sv`}
          label={t('eligibility.serviceMonths')}
          value={d.serviceMonths}
          onChange={(v) => set('serviceMonths', v)}
          testId="eligibility-service"
        />
        <FormField label={t('eligibility.discipline')} id={`${id}-disc`}>
          {(c) => (
            <select
              {...c}
              value={d.underDiscipline === null ? '' : d.underDiscipline ? 'yes' : 'no'}
              onChange={(e) => set('underDiscipline', e.target.value === '' ? null : e.target.value === 'yes')}
              data-testid="eligibility-discipline"
            >
              <option value="">{t('eligibility.unknown')}</option>
              <option value="no">{t('common.no')}</option>
              <option value="yes">{t('common.yes')}</option>
            </select>
          )}
        </FormField>
      </div>
      <fieldset className="field" data-testid="eligibility-ratings">
        <legend>{t('eligibility.ratings')}</legend>
        <small className="hint">{t('eligibility.ratingsHint')}</small>
        {d.ratings.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a year's place in the list is its identity
          <div key={i} className="button-row">
            <label htmlFor={`${id}-rt-${i}`} className="visually-hidden">
              {t('eligibility.ratingN', { n: String(i + 1) })}
            </label>
            <select
              id={`${id}-rt-${i}`}
              value={r}
              onChange={(e) => {
                const v = e.target.value;
                if (isRating(v))
                  set(
                    'ratings',
                    d.ratings.map((x, j) => (j === i ? v : x)),
                  );
              }}
              data-testid={`eligibility-rating-${i}`}
            >
              {RATINGS.map((x) => (
                <option key={x} value={x}>
                  {RATING_LABELS[x][lang]}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn btn-small"
              onClick={() =>
                set(
                  'ratings',
                  d.ratings.filter((_, j) => j !== i),
                )
              }
              aria-label={t('eligibility.removeRating', { n: String(i + 1) })}
            >
              {t('common.remove')}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="btn btn-small"
          disabled={d.ratings.length >= 10}
          onClick={() => set('ratings', [...d.ratings, 'tot'])}
          data-testid="eligibility-add-rating"
        >
          {t('eligibility.addRating')}
        </button>
      </fieldset>
      {exactTooLong ? <p className="alert alert-warn">{t('eligibility.exactTooLong')}</p> : null}
      {why ? (
        <p className="muted" data-testid="eligibility-form-why">
          {why}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={busy || !!why} data-testid="eligibility-save">
        {busy ? t('common.saving') : t('common.save')}
      </button>
      <ErrorBox error={error} testId="eligibility-save-error" />
    </form>
  );
}

function OverrideForm({ examId, rec, onSaved }: { examId: number; rec: EligibilityDto; onSaved: (r: EligibilityDto) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [status, setStatus] = useState<'eligible' | 'not_eligible' | ''>(
    rec.override?.status ?? (rec.computed.status === 'eligible' ? 'not_eligible' : 'eligible'),
  );
  const [reason, setReason] = useState('');
  const [ref, setRef] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const why = !reason.trim() ? t('eligibility.reasonNeeded') : status !== '' && !ref.trim() ? t('eligibility.refNeeded') : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (why || busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await eligibilityApi.override(examId, rec.candidateId, {
        status: status === '' ? null : status,
        reason: reason.trim(),
        documentRef: ref.trim(),
      });
      toast.success(t('eligibility.overrideSaved'));
      setReason('');
      setRef('');
      onSaved(r);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="card" aria-labelledby={`${id}-h`} data-testid="override-form">
      <h3 id={`${id}-h`} className="h-small">
        {t('eligibility.overrideTitle')}
      </h3>
      {rec.override ? (
        <p className="alert alert-info" data-testid="override-current">
          {t('eligibility.overrideCurrent', {
            status: t(`eligibility.status.${rec.override.status}`),
            reason: rec.override.reason,
            ref: rec.override.documentRef,
            by: rec.override.by,
            at: formatDateTime(rec.override.at),
          })}
        </p>
      ) : (
        <p className="muted">{t('eligibility.overrideHint')}</p>
      )}
      <div className="form-grid">
        <FormField label={t('eligibility.overrideStatus')} id={`${id}-st`}>
          {(c) => (
            <select
              {...c}
              value={status}
              onChange={(e) => {
                const v = e.target.value;
                setStatus(v === 'eligible' || v === 'not_eligible' ? v : '');
              }}
              data-testid="override-status"
            >
              <option value="eligible">{t('eligibility.status.eligible')}</option>
              <option value="not_eligible">{t('eligibility.status.not_eligible')}</option>
              {rec.override ? <option value="">{t('eligibility.removeOverride')}</option> : null}
            </select>
          )}
        </FormField>
        <FormField label={t('eligibility.documentRef')} id={`${id}-ref`}>
          {(c) => (
            <input
              {...c}
              maxLength={300}
              value={ref}
              placeholder="Công văn 45/SNV ngày 02/12/2026"
              onChange={(e) => setRef(e.target.value)}
              data-testid="override-ref"
            />
          )}
        </FormField>
      </div>
      <ReasonField
        label={t('eligibility.reason')}
        id={`${id}-reason`}
        value={reason}
        onChange={setReason}
        nativeRequired={false}
        testId="override-reason"
      />
      {why ? (
        <p className="muted" data-testid="override-why">
          {why}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={busy || !!why} data-testid="override-submit">
        {t('eligibility.overrideSave')}
      </button>
      <ErrorBox error={error} testId="override-error" />
    </form>
  );
}

function CandidateEligibility({ examId, candidateId }: { examId: number; candidateId: number }) {
  const { t } = useTranslation();
  const rec = useResource(() => eligibilityApi.get(examId, candidateId), [examId, candidateId]);
  const eq = useResource(() => eligibilityApi.equivalences(examId), [examId]);
  if (rec.error && !rec.data) return <ErrorBox error={rec.error} />;
  if (!rec.data) return <Loading />;
  const r = rec.data;
  return (
    <div data-testid="eligibility-candidate" data-effective={r.effective}>
      <p className="breadcrumb">
        <Link to={`/board/exams/${examId}/eligibility`} data-testid="eligibility-back">
          {t('eligibility.back')}
        </Link>
      </p>
      <div className="title-row">
        <h2>
          <code>{r.number}</code> {r.fullName}
        </h2>
        <StatusBadge status={r.effective} testId="eligibility-effective" />
      </div>
      <section className="card" data-testid="eligibility-computed">
        <p>
          {t('eligibility.target', { grade: r.targetGrade ?? '—' })} ·{' '}
          {t('eligibility.computed', { status: t(`eligibility.status.${r.computed.status}`) })}
        </p>
        {r.computed.gradeVia ? <p data-testid="eligibility-grade-via">{r.computed.gradeVia}</p> : null}
        {r.computed.reasons.length > 0 ? (
          <ul data-testid="eligibility-reasons">
            {r.computed.reasons.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('eligibility.noReasons')}</p>
        )}
        {r.computed.notes.length > 0 ? (
          <ul className="muted">
            {r.computed.notes.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        ) : null}
        <p className="muted" data-testid="eligibility-consequence">
          {r.effective === 'eligible' ? t('eligibility.maySit') : t('eligibility.mayNotSit')}
        </p>
      </section>
      <DataForm
        key={JSON.stringify(r.data)}
        examId={examId}
        rec={r}
        equivalences={eq.data ?? []}
        onSaved={(x) => rec.setData(x)}
      />
      <OverrideForm key={JSON.stringify(r.override)} examId={examId} rec={r} onSaved={(x) => rec.setData(x)} />
    </div>
  );
}

function Equivalences({ examId }: { examId: number }) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.language);
  const id = useId();
  const list = useResource(() => eligibilityApi.equivalences(examId), [examId]);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [to, setTo] = useState<GradeCode>('01.003');
  const [source, setSource] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const codeOk = /^[0-9]{2}\.[0-9]{3}[a-z]?$/.test(code.trim());
  const why = !codeOk
    ? t('eligibility.eq.codeFormat')
    : isGrade(code.trim())
      ? t('eligibility.eq.isAdministrative')
      : !name.trim()
        ? t('eligibility.eq.nameNeeded')
        : !source.trim()
          ? t('eligibility.eq.sourceNeeded')
          : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (why || busy) return;
    setBusy(true);
    setError(null);
    try {
      list.setData(
        await eligibilityApi.addEquivalence(examId, {
          code: code.trim(),
          name: name.trim(),
          equivalentTo: to,
          source: source.trim(),
        }),
      );
      toast.success(t('eligibility.eq.saved'));
      setCode('');
      setName('');
      setSource('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid="equivalences">
      <h3 id={`${id}-h`} className="h-small">
        {t('eligibility.eq.title')}
      </h3>
      <p className="muted">{t('eligibility.eq.hint')}</p>
      <ErrorBox error={list.error} />
      {list.data && list.data.length > 0 ? (
        <table className="table table-compact" data-testid="equivalences-table">
          <thead>
            <tr>
              <th scope="col">{t('eligibility.eq.code')}</th>
              <th scope="col">{t('eligibility.eq.name')}</th>
              <th scope="col">{t('eligibility.eq.to')}</th>
              <th scope="col">{t('eligibility.eq.source')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((q) => (
              <tr key={q.code} data-testid={`equivalence-${q.code}`}>
                <th scope="row">{q.code}</th>
                <td>{q.name}</td>
                <td>
                  {q.equivalentTo} — {CIVIL_SERVICE_GRADES[q.equivalentTo].name[lang]}
                </td>
                <td>{q.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="empty">{t('eligibility.eq.empty')}</p>
      )}
      <form onSubmit={submit}>
        <div className="form-grid">
          <FormField label={t('eligibility.eq.code')} id={`${id}-code`}>
            {(c) => (
              <input {...c} value={code} placeholder="06.031" onChange={(e) => setCode(e.target.value)} data-testid="eq-code" />
            )}
          </FormField>
          <FormField label={t('eligibility.eq.name')} id={`${id}-name`}>
            {(c) => <input {...c} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} data-testid="eq-name" />}
          </FormField>
          <FormField label={t('eligibility.eq.to')} id={`${id}-to`}>
            {(c) => (
              <select
                {...c}
                value={to}
                onChange={(e) => {
                  if (isGrade(e.target.value)) setTo(e.target.value);
                }}
                data-testid="eq-to"
              >
                {GRADE_CODES.map((g) => (
                  <option key={g} value={g}>
                    {g} — {CIVIL_SERVICE_GRADES[g].name[lang]}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </div>
        <FormField label={t('eligibility.eq.source')} id={`${id}-src`}>
          {(c) => (
            <input {...c} value={source} maxLength={500} onChange={(e) => setSource(e.target.value)} data-testid="eq-source" />
          )}
        </FormField>
        {why && code ? (
          <p className="muted" data-testid="eq-why">
            {why}
          </p>
        ) : null}
        <button type="submit" className="btn" disabled={busy || !!why} data-testid="eq-add">
          {t('eligibility.eq.add')}
        </button>
        <ErrorBox error={error} testId="eq-error" />
      </form>
    </section>
  );
}

type Filter = 'all' | 'eligible' | 'not_eligible' | 'override';

/** "Điều kiện dự thi" (promotion exams): every candidate's record, a candidate's page, the grade equivalences. */
export function EligibilityTab({ exam, sub }: ExamTabProps & { sub: string | undefined }) {
  const { t } = useTranslation();
  const candidateId = Number(sub);
  const list = useResource(() => eligibilityApi.list(exam.id), [exam.id, sub]);
  const [filter, setFilter] = useState<Filter>('all');
  if (exam.kind !== 'promotion')
    return (
      <p className="alert alert-info" data-testid="eligibility-not-promotion">
        {t('eligibility.notPromotion')}
      </p>
    );
  if (Number.isInteger(candidateId) && candidateId > 0)
    return <CandidateEligibility examId={exam.id} candidateId={candidateId} />;
  const items = list.data ?? [];
  const shown = items.filter((r) =>
    filter === 'all' ? true : filter === 'override' ? r.override !== null : r.effective === filter,
  );
  const count = (f: Filter) =>
    items.filter((r) => (f === 'all' ? true : f === 'override' ? r.override !== null : r.effective === f)).length;
  return (
    <div data-testid="eligibility-tab">
      <h2>{t('eligibility.title')}</h2>
      <p className="muted">{t('eligibility.intro')}</p>
      <ErrorBox error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <>
          <fieldset className="button-row filter-group">
            <legend className="visually-hidden">{t('eligibility.filter')}</legend>
            {(['all', 'eligible', 'not_eligible', 'override'] as const).map((f) => (
              <button
                key={f}
                type="button"
                className={filter === f ? 'btn btn-small btn-primary' : 'btn btn-small'}
                aria-pressed={filter === f}
                onClick={() => setFilter(f)}
                data-testid={`eligibility-filter-${f}`}
              >
                {t(`eligibility.filters.${f}`)} ({formatNumber(count(f))})
              </button>
            ))}
          </fieldset>
          {shown.length === 0 ? (
            <p className="empty">{t('common.empty')}</p>
          ) : (
            <div className="table-scroll">
              <table className="table table-compact" data-testid="eligibility-table">
                <thead>
                  <tr>
                    <th scope="col">{t('candidates.number')}</th>
                    <th scope="col">{t('candidates.fullName')}</th>
                    <th scope="col">{t('eligibility.currentGrade')}</th>
                    <th scope="col">{t('eligibility.monthsInGrade')}</th>
                    <th scope="col">{t('eligibility.monthsInExactGrade')}</th>
                    <th scope="col">{t('eligibility.ethnicity')}</th>
                    <th scope="col">{t('eligibility.statusCol')}</th>
                    <th scope="col">{t('eligibility.reasons')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((r) => (
                    <tr key={r.candidateId} data-testid={`eligibility-row-${r.number}`} data-effective={r.effective}>
                      <th scope="row" className="nowrap">
                        <Link
                          to={`/board/exams/${exam.id}/eligibility/${r.candidateId}`}
                          data-testid={`eligibility-open-${r.number}`}
                        >
                          {r.number}
                        </Link>
                      </th>
                      <td>{r.fullName}</td>
                      <td>{r.data.currentGrade ?? '—'}</td>
                      <td className="nowrap">{months(r.data.monthsInGrade)}</td>
                      <td className="nowrap">{months(r.data.monthsInExactGrade)}</td>
                      <td>{r.data.ethnicity}</td>
                      <td>
                        <StatusBadge status={r.effective} />
                        {r.override ? (
                          <div className="muted small">{t('eligibility.byBoard', { ref: r.override.documentRef })}</div>
                        ) : null}
                      </td>
                      <td className="small">
                        {r.override ? `${r.override.reason} ` : ''}
                        {r.computed.reasons.join(' ')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
      <Equivalences examId={exam.id} />
    </div>
  );
}
