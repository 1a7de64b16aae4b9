import { CIVIL_SERVICE_GRADES, GRADE_CODES } from '@exam/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { examsApi } from '../../api/exams';
import { formatNumber } from '../../i18n/format';
import { toast } from '../../stores/toasts';
import { useUi } from '../../stores/ui';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import type { ExamTabProps } from './labels';

function gradeLabel(code: string, lang: 'vi' | 'en'): string {
  const g = CIVIL_SERVICE_GRADES[code as keyof typeof CIVIL_SERVICE_GRADES];
  return g ? `${code} — ${g.name[lang]}` : code;
}

function AddPositionForm({ examId, promotion, onAdded }: { examId: number; promotion: boolean; onAdded: () => void }) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.language);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [quota, setQuota] = useState('1');
  const [grade, setGrade] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (promotion && !grade) {
      setError(new Error(t('positions.gradeRequired')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await examsApi.addPosition(examId, {
        code: code.trim(),
        name: name.trim(),
        quota: Number(quota),
        grade: grade || null,
      });
      toast.success(t('positions.added', { code: code.trim() }));
      setCode('');
      setName('');
      setQuota('1');
      setGrade('');
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={submit} data-testid="position-form" aria-labelledby="pos-add-h">
      <h3 id="pos-add-h">{t('positions.addTitle')}</h3>
      <div className="row">
        <FormField label={t('positions.code')} id="pos-code" required>
          {(c) => (
            <input {...c} value={code} maxLength={32} onChange={(e) => setCode(e.target.value)} data-testid="position-code" />
          )}
        </FormField>
        <FormField label={t('positions.name')} id="pos-name" className="field grow" required>
          {(c) => (
            <input {...c} value={name} maxLength={300} onChange={(e) => setName(e.target.value)} data-testid="position-name" />
          )}
        </FormField>
        <FormField label={t('positions.quota')} id="pos-quota" required>
          {(c) => (
            <input
              {...c}
              type="number"
              min={0}
              className="input-count"
              value={quota}
              onChange={(e) => setQuota(e.target.value)}
              data-testid="position-quota"
            />
          )}
        </FormField>
        <FormField label={t('positions.grade')} id="pos-grade" required={promotion}>
          {(c) => (
            <select {...c} value={grade} onChange={(e) => setGrade(e.target.value)} data-testid="position-grade">
              <option value="">{promotion ? t('positions.chooseGrade') : t('positions.noGrade')}</option>
              {GRADE_CODES.map((g) => (
                <option key={g} value={g}>
                  {gradeLabel(g, lang)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <div className="field field-button">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy || !code.trim() || !name.trim() || quota === ''}
            data-testid="position-add"
          >
            {t('common.add')}
          </button>
        </div>
      </div>
      <ErrorBox error={error} testId="position-error" />
    </form>
  );
}

export function PositionsTab({ exam, editable, refresh }: ExamTabProps) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.language);
  const promotion = exam.kind === 'promotion';
  const total = exam.positions.reduce((n, p) => n + p.quota, 0);

  return (
    <div data-testid="positions-tab">
      <h2>{t('positions.title')}</h2>
      <p className="muted">{promotion ? t('positions.introPromotion') : t('positions.introRecruitment')}</p>
      {exam.positions.length === 0 ? (
        <p className="empty">{t('positions.empty')}</p>
      ) : (
        <table className="table" data-testid="positions-table">
          <thead>
            <tr>
              <th scope="col">{t('positions.code')}</th>
              <th scope="col">{t('positions.name')}</th>
              <th scope="col">{t('positions.grade')}</th>
              <th scope="col" className="num">
                {t('positions.quota')}
              </th>
              <th scope="col" className="num">
                {t('positions.candidates')}
              </th>
            </tr>
          </thead>
          <tbody>
            {exam.positions.map((p) => (
              <tr key={p.id} data-testid={`position-row-${p.code}`}>
                <td>
                  <span className="code-badge small">{p.code}</span>
                </td>
                <td>{p.name}</td>
                <td>{p.grade ? gradeLabel(p.grade, lang) : '—'}</td>
                <td className="num" data-testid="position-quota-cell">
                  {formatNumber(p.quota)}
                </td>
                <td className="num">{formatNumber(p.candidates)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                {t('positions.total')}
              </th>
              <td className="num strong" data-testid="positions-total">
                {formatNumber(total)}
              </td>
              <td className="num strong">{formatNumber(exam.positions.reduce((n, p) => n + p.candidates, 0))}</td>
            </tr>
          </tfoot>
        </table>
      )}
      {editable ? <AddPositionForm examId={exam.id} promotion={promotion} onAdded={refresh} /> : null}
    </div>
  );
}
