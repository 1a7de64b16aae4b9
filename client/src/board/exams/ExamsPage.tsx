import { profileInForce, sortByInForce } from '@exam/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { examsApi, type ProfileSummary } from '../../api/exams';
import { formatDate } from '../../i18n/format';
import { toast } from '../../stores/toasts';
import { useUi } from '../../stores/ui';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import { Loading } from '../../ui/Loading';
import { ReasonField } from '../../ui/ReasonDialog';
import { useResource } from '../../ui/useResource';
import { ExamStatusBadge, useExamLabels } from './labels';

function ProfileDetails({ profile }: { profile: ProfileSummary }) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.language);
  const labels = useExamLabels();
  return (
    <div className="profile-details" data-testid="profile-details">
      <p>
        <span className="badge badge-kind">{labels.kind(profile.kind)}</span> <strong>{t('exams.legalBasis')}:</strong>{' '}
        <span data-testid="profile-legal-basis">{profile.legalBasis}</span>
      </p>
      {profile.parts.length ? (
        <>
          <p className="label-like">{t('exams.profileParts')}</p>
          <ul className="compact-list">
            {profile.parts.map((p) => (
              <li key={p.id}>
                {p.name[lang]}
                {' — '}
                {[
                  p.mode ? labels.mode(p.mode) : null,
                  p.questionCount ? t('exams.nQuestions', { n: String(p.questionCount) }) : null,
                  p.durationMin ? t('exams.nMinutes', { n: String(p.durationMin) }) : null,
                ]
                  .filter(Boolean)
                  .join(', ')}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {profile.gaps.length ? (
        <p className="notice" data-testid="profile-gaps-count">
          {t('exams.profileGaps', { count: profile.gaps.length })}
        </p>
      ) : null}
    </div>
  );
}

function CreateExamForm({ profiles }: { profiles: ProfileSummary[] }) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.language);
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [profileId, setProfileId] = useState('');
  const [organisingBody, setOrganisingBody] = useState('');
  const [examDate, setExamDate] = useState('');
  const [applicationDeadline, setApplicationDeadline] = useState('');
  const [outOfForceReason, setOutOfForceReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const profile = profiles.find((p) => p.id === profileId);
  // the profiles in force on the exam's date first, each with its dates (issue 12)
  const ordered = sortByInForce(profiles, examDate || null);
  const inForce = (p: ProfileSummary) => profileInForce(p, examDate || null).inForce;
  const outOfForce = profile !== undefined && inForce(profile) === false;
  const dates = (p: ProfileSummary) =>
    p.effective.from === null && p.effective.to === null
      ? t('exams.profileNoDates')
      : `${p.effective.from ? formatDate(p.effective.from) : '…'} – ${p.effective.to ? formatDate(p.effective.to) : '…'}`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { id } = await examsApi.create({
        code: code.trim(),
        name: name.trim(),
        profileId,
        organisingBody: organisingBody.trim() || undefined,
        examDate: examDate || undefined,
        applicationDeadline: applicationDeadline || undefined,
        profileOutOfForceReason: outOfForce ? outOfForceReason.trim() : undefined,
      });
      toast.success(t('exams.created', { code: code.trim().toUpperCase() }));
      void navigate(`/board/exams/${id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={submit} data-testid="exam-create-form" aria-labelledby="exam-create-h">
      <h2 id="exam-create-h">{t('exams.createTitle')}</h2>
      <div className="row">
        <FormField label={t('exams.code')} id="exam-code" required hint={t('exams.codeHint')}>
          {(c) => (
            <input
              {...c}
              value={code}
              minLength={2}
              maxLength={16}
              pattern="[A-Za-z0-9_\-]+"
              onChange={(e) => setCode(e.target.value)}
              data-testid="exam-code"
            />
          )}
        </FormField>
        <FormField label={t('exams.name')} id="exam-name" className="field grow" required>
          {(c) => <input {...c} value={name} maxLength={300} onChange={(e) => setName(e.target.value)} data-testid="exam-name" />}
        </FormField>
      </div>
      <FormField
        label={t('exams.profile')}
        id="exam-profile"
        required
        hint={examDate ? t('exams.profilesInForceFirst') : t('exams.profilesDateHint')}
      >
        {(c) => (
          <select {...c} value={profileId} onChange={(e) => setProfileId(e.target.value)} data-testid="exam-profile">
            <option value="">{t('exams.chooseProfile')}</option>
            {ordered.map((p) => (
              <option key={p.id} value={p.id} data-in-force={String(inForce(p))}>
                {inForce(p) === true ? '✓ ' : inForce(p) === false ? '✗ ' : ''}
                {p.name[lang]} ({p.id}) — {dates(p)}
              </option>
            ))}
          </select>
        )}
      </FormField>
      {profile ? <ProfileDetails profile={profile} /> : null}
      {profile?.effective.note ? <p className="hint">{profile.effective.note}</p> : null}
      {outOfForce ? (
        <div className="notice" data-testid="exam-out-of-force">
          <p>{t('exams.profileNotInForce', { dates: dates(profile), date: formatDate(examDate) })}</p>
          <ReasonField
            label={t('exams.outOfForceReason')}
            id="exam-out-of-force-reason"
            value={outOfForceReason}
            onChange={setOutOfForceReason}
            testId="exam-out-of-force-reason"
          />
        </div>
      ) : null}
      <div className="row">
        <FormField label={t('exams.organisingBody')} id="exam-body" className="field grow">
          {(c) => (
            <input
              {...c}
              value={organisingBody}
              maxLength={300}
              onChange={(e) => setOrganisingBody(e.target.value)}
              data-testid="exam-organising-body"
            />
          )}
        </FormField>
        <FormField label={t('exams.examDate')} id="exam-date">
          {(c) => (
            <input {...c} type="date" value={examDate} onChange={(e) => setExamDate(e.target.value)} data-testid="exam-date" />
          )}
        </FormField>
        <FormField label={t('exams.applicationDeadline')} id="exam-application-deadline">
          {(c) => (
            <input
              {...c}
              type="date"
              value={applicationDeadline}
              onChange={(e) => setApplicationDeadline(e.target.value)}
              data-testid="exam-application-deadline"
            />
          )}
        </FormField>
      </div>
      <div className="button-row">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={busy || !code.trim() || !name.trim() || !profileId || (outOfForce && !outOfForceReason.trim())}
          data-testid="exam-create"
        >
          {t('exams.create')}
        </button>
      </div>
      <ErrorBox error={error} testId="exam-create-error" />
    </form>
  );
}

export function ExamsPage() {
  const { t } = useTranslation();
  const lang = useUi((s) => s.language);
  const labels = useExamLabels();
  const data = useResource(async () => {
    const [exams, profiles] = await Promise.all([examsApi.list(), examsApi.profiles()]);
    return { exams, profiles };
  }, []);
  const profileName = (id: string) => data.data?.profiles.find((p) => p.id === id)?.name[lang] ?? id;

  return (
    <div data-testid="exams-page">
      <h1>{t('exams.title')}</h1>
      <p className="muted">{t('exams.intro')}</p>
      <ErrorBox error={data.error} />
      {data.loading && !data.data ? <Loading /> : null}
      {data.data ? (
        <>
          {data.data.exams.length === 0 ? (
            <p className="empty">{t('exams.empty')}</p>
          ) : (
            <table className="table" data-testid="exams-table">
              <thead>
                <tr>
                  <th scope="col">{t('exams.code')}</th>
                  <th scope="col">{t('exams.name')}</th>
                  <th scope="col">{t('exams.kindLabel')}</th>
                  <th scope="col">{t('exams.profile')}</th>
                  <th scope="col">{t('exams.examDate')}</th>
                  <th scope="col">{t('exams.statusLabel')}</th>
                </tr>
              </thead>
              <tbody>
                {data.data.exams.map((e) => (
                  <tr key={e.id} data-testid={`exam-row-${e.code}`}>
                    <td>
                      <Link to={`/board/exams/${e.id}`} data-testid={`exam-link-${e.code}`}>
                        {e.code}
                      </Link>
                    </td>
                    <td>
                      <Link to={`/board/exams/${e.id}`} tabIndex={-1}>
                        {e.name}
                      </Link>
                    </td>
                    <td>{labels.kind(e.kind)}</td>
                    <td>{profileName(e.profileId)}</td>
                    <td className="nowrap">{formatDate(e.examDate)}</td>
                    <td>
                      <ExamStatusBadge status={e.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <CreateExamForm profiles={data.data.profiles} />
        </>
      ) : null}
    </div>
  );
}
