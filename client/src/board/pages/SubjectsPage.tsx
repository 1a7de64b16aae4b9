import type { SubjectDto } from '@exam/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { banksApi } from '../../api/banks';
import { formatNumber } from '../../i18n/format';
import { toast } from '../../stores/toasts';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import { Loading } from '../../ui/Loading';
import { useHasRole } from '../../ui/RoleGate';
import { useResource } from '../../ui/useResource';

function CreateSubjectForm({ onCreated }: { onCreated: (s: SubjectDto) => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await banksApi.createSubject({ code: code.trim(), name: name.trim() });
      toast.success(t('subjects.created', { code: s.code }));
      setCode('');
      setName('');
      onCreated(s);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form-inline" onSubmit={submit} data-testid="subject-create-form">
      <h2>{t('subjects.createTitle')}</h2>
      <div className="row">
        <FormField label={t('subjects.code')} id="subject-code" required hint={t('subjects.codeHint')}>
          {(c) => (
            <input {...c} value={code} maxLength={32} onChange={(e) => setCode(e.target.value)} data-testid="subject-code" />
          )}
        </FormField>
        <FormField label={t('subjects.name')} id="subject-name" className="field grow" required>
          {(c) => (
            <input {...c} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} data-testid="subject-name" />
          )}
        </FormField>
        <div className="field field-button">
          <button type="submit" className="btn btn-primary" disabled={busy || !code.trim() || !name.trim()}>
            {t('common.create')}
          </button>
        </div>
      </div>
      <ErrorBox error={error} testId="subject-create-error" />
    </form>
  );
}

export function SubjectsPage() {
  const { t } = useTranslation();
  const subjects = useResource(() => banksApi.subjects(), []);
  const canCreate = useHasRole('admin', 'board');

  return (
    <div data-testid="subjects-page">
      <h1>{t('subjects.title')}</h1>
      <p className="muted">{t('subjects.intro')}</p>
      <ErrorBox error={subjects.error} />
      {subjects.loading && !subjects.data ? <Loading /> : null}
      {subjects.data ? (
        subjects.data.length === 0 ? (
          <p className="empty">{t('subjects.empty')}</p>
        ) : (
          <table className="table" data-testid="subjects-table">
            <thead>
              <tr>
                <th scope="col">{t('subjects.code')}</th>
                <th scope="col">{t('subjects.name')}</th>
                <th scope="col" className="num">
                  {t('subjects.questionCount')}
                </th>
                <th scope="col" className="num">
                  {t('subjects.approvedCount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {subjects.data.map((s) => (
                <tr key={s.id} data-testid={`subject-row-${s.code}`}>
                  <td>
                    <Link to={`/board/subjects/${s.id}`} data-testid={`subject-link-${s.code}`}>
                      {s.code}
                    </Link>
                  </td>
                  <td>
                    <Link to={`/board/subjects/${s.id}`} tabIndex={-1}>
                      {s.name}
                    </Link>
                  </td>
                  <td className="num">{formatNumber(s.questionCount)}</td>
                  <td className="num">{formatNumber(s.approvedCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      {canCreate ? <CreateSubjectForm onCreated={() => subjects.reload()} /> : null}
    </div>
  );
}
