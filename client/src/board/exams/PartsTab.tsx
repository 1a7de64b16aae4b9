import { CIVIL_SERVICE_GRADES, getProfile, isGradeCode, PART_MODES, type SubjectDto } from '@exam/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { banksApi } from '../../api/banks';
import { type BlueprintCheckDto, type ExamPartDto, examsApi, type PartRole, type UpdatePartBody } from '../../api/exams';
import { formatNumber } from '../../i18n/format';
import { toast } from '../../stores/toasts';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import { Loading } from '../../ui/Loading';
import { useResource } from '../../ui/useResource';
import { BlueprintEditor, type BlueprintRow, cellsFromRows, rowsFromCells } from './BlueprintEditor';
import { type ExamTabProps, useExamLabels } from './labels';

/** Parts that draw papers from a bank need a blueprint. */
export function needsBlueprint(mode: string): boolean {
  return mode === 'computer_mc' || mode === 'paper_mc';
}

function numberOrNull(s: string): number | null {
  if (s.trim() === '') return null;
  const n = Number(s.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

interface PartEditorProps {
  part: ExamPartDto;
  subjects: SubjectDto[];
  multiple: number;
  onSaved: () => void;
  onCancel: () => void;
}

function PartEditor({ part, subjects, multiple, onSaved, onCancel }: PartEditorProps) {
  const { t } = useTranslation();
  const labels = useExamLabels();
  const [subjectId, setSubjectId] = useState<number | null>(part.subjectId);
  const [mode, setMode] = useState(part.mode);
  const [questionCount, setQuestionCount] = useState(part.questionCount === null ? '' : String(part.questionCount));
  const [durationMin, setDurationMin] = useState(part.durationMin === null ? '' : String(part.durationMin));
  const [scoreScale, setScoreScale] = useState(String(part.scoreScale));
  const [role, setRole] = useState<PartRole>(part.role === 'condition' ? 'condition' : 'counted');
  const [coefficient, setCoefficient] = useState(part.coefficient === null ? '' : String(part.coefficient));
  const [rows, setRows] = useState<BlueprintRow[]>(() => rowsFromCells(part.blueprint.cells));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const bank = useResource(async () => {
    if (subjectId === null) return null;
    const [topics, summary] = await Promise.all([banksApi.topics(subjectId), banksApi.summary(subjectId)]);
    return { topics, summary };
  }, [subjectId]);

  const qc = numberOrNull(questionCount);
  const withBlueprint = needsBlueprint(mode);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const body: UpdatePartBody = {};
    if (subjectId !== part.subjectId) body.subjectId = subjectId;
    if (mode !== part.mode) body.mode = mode;
    if (qc !== null && qc !== part.questionCount) body.questionCount = qc;
    const dur = numberOrNull(durationMin);
    if (dur !== null && dur !== part.durationMin) body.durationMin = dur;
    const scale = numberOrNull(scoreScale);
    if (scale !== null && scale !== part.scoreScale) body.scoreScale = scale;
    if (role !== part.role) body.role = role;
    const coef = numberOrNull(coefficient);
    if (coef !== part.coefficient) body.coefficient = coef;
    if (withBlueprint) {
      const { cells, problems } = cellsFromRows(rows);
      if (problems.length) {
        setError(new Error(problems.map((p) => t(p.key as 'blueprint.badCount', { n: String(p.n) })).join(' ')));
        return;
      }
      if (JSON.stringify(cells) !== JSON.stringify(cellsFromRows(rowsFromCells(part.blueprint.cells)).cells)) {
        body.blueprint = { cells };
      }
    }
    setBusy(true);
    try {
      if (Object.keys(body).length) await examsApi.updatePart(part.id, body);
      toast.success(t('parts.saved', { name: part.name }));
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card part-editor"
      onSubmit={submit}
      data-testid="part-editor"
      data-part-code={part.code}
      aria-labelledby="part-edit-h"
    >
      <h3 id="part-edit-h">{t('parts.editTitle', { name: part.name })}</h3>
      <div className="row">
        <FormField label={t('parts.subject')} id="part-subject">
          {(c) => (
            <select
              {...c}
              value={subjectId ?? ''}
              onChange={(e) => setSubjectId(e.target.value ? Number(e.target.value) : null)}
              data-testid="part-subject"
            >
              <option value="">{t('parts.chooseSubject')}</option>
              {subjects.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.code} — {s.name} ({formatNumber(s.approvedCount)})
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('parts.mode')} id="part-mode">
          {(c) => (
            <select {...c} value={mode} onChange={(e) => setMode(e.target.value)} data-testid="part-mode">
              {PART_MODES.map((m) => (
                <option key={m} value={m}>
                  {labels.mode(m)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('parts.role')} id="part-role">
          {(c) => (
            <select
              {...c}
              value={role}
              onChange={(e) => setRole(e.target.value === 'condition' ? 'condition' : 'counted')}
              data-testid="part-role"
            >
              <option value="counted">{labels.role('counted')}</option>
              <option value="condition">{labels.role('condition')}</option>
            </select>
          )}
        </FormField>
      </div>
      <div className="row">
        <FormField label={t('parts.questionCount')} id="part-qc">
          {(c) => (
            <input
              {...c}
              type="number"
              min={1}
              max={500}
              className="input-count"
              value={questionCount}
              onChange={(e) => setQuestionCount(e.target.value)}
              data-testid="part-question-count"
            />
          )}
        </FormField>
        <FormField label={t('parts.duration')} id="part-duration">
          {(c) => (
            <input
              {...c}
              type="number"
              min={1}
              max={600}
              className="input-count"
              value={durationMin}
              onChange={(e) => setDurationMin(e.target.value)}
              data-testid="part-duration"
            />
          )}
        </FormField>
        <FormField label={t('parts.scale')} id="part-scale">
          {(c) => (
            <input
              {...c}
              type="number"
              min={1}
              step="any"
              className="input-count"
              value={scoreScale}
              onChange={(e) => setScoreScale(e.target.value)}
              data-testid="part-scale"
            />
          )}
        </FormField>
        <FormField label={t('parts.coefficient')} id="part-coef">
          {(c) => (
            <input
              {...c}
              type="number"
              min={0}
              step="any"
              className="input-count"
              value={coefficient}
              onChange={(e) => setCoefficient(e.target.value)}
              data-testid="part-coefficient"
            />
          )}
        </FormField>
      </div>
      {withBlueprint ? (
        subjectId === null ? (
          <p className="notice" data-testid="bp-need-subject">
            {t('blueprint.needSubject')}
          </p>
        ) : bank.error ? (
          <ErrorBox error={bank.error} />
        ) : !bank.data ? (
          <Loading />
        ) : (
          <BlueprintEditor
            rows={rows}
            onChange={setRows}
            questionCount={qc}
            topics={bank.data.topics}
            summary={bank.data.summary}
            multiple={multiple}
          />
        )
      ) : (
        <p className="muted" data-testid="part-not-computer">
          {t('parts.notComputer')}
        </p>
      )}
      {mode === 'computer_mc' ? <p className="hint">{t('parts.notComputerHint')}</p> : null}
      <ErrorBox error={error} testId="part-error" />
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="part-save">
          {busy ? t('common.saving') : t('common.save')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel} data-testid="part-cancel">
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function checkOf(check: BlueprintCheckDto | undefined, partId: number) {
  return check?.parts.find((p) => p.partId === partId);
}

/** Which grades a part applies to, under the exam's profile (issue 13). */
function PartGrades({ profileId, code }: { profileId: string; code: string }) {
  const { t } = useTranslation();
  const profile = getProfile(profileId);
  if (profile?.kind !== 'promotion') return null;
  const grades = profile.parts.find((x) => x.id === code)?.appliesToGrades ?? null;
  const names = grades
    ?.filter(isGradeCode)
    .map((g) => `${CIVIL_SERVICE_GRADES[g].name.vi} (${g})`)
    .join(', ');
  return (
    <div className="muted small" data-testid={`part-grades-${code}`}>
      {grades === null ? t('defence.partAllGrades') : t('defence.partGrades', { grades: names ?? '' })}
    </div>
  );
}

export function PartsTab({ exam, editable, refresh }: ExamTabProps) {
  const { t } = useTranslation();
  const labels = useExamLabels();
  const subjects = useResource(() => banksApi.subjects(), []);
  const check = useResource(() => examsApi.blueprintCheck(exam.id), [exam.id]);
  const [editing, setEditing] = useState<number | null>(null);
  const part = exam.parts.find((p) => p.id === editing);
  const subjectCode = (id: number | null) => (id === null ? null : (subjects.data?.find((s) => s.id === id)?.code ?? `#${id}`));
  const overriddenParts = new Set(
    exam.overridden.flatMap((d) => {
      const m = /^parts\[([^\]]+)\]/.exec(d.path);
      return m?.[1] ? [m[1]] : [];
    }),
  );

  return (
    <div data-testid="parts-tab">
      <h2>{t('parts.title')}</h2>
      <ErrorBox error={subjects.error} />
      {exam.parts.length === 0 ? (
        <p className="empty">{t('parts.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table table-compact" data-testid="parts-table">
            <thead>
              <tr>
                <th scope="col">{t('parts.name')}</th>
                <th scope="col" className="num">
                  {t('parts.round')}
                </th>
                <th scope="col">{t('parts.mode')}</th>
                <th scope="col" className="num">
                  {t('parts.questionCount')}
                </th>
                <th scope="col" className="num">
                  {t('parts.duration')}
                </th>
                <th scope="col" className="num">
                  {t('parts.scale')}
                </th>
                <th scope="col">{t('parts.role')}</th>
                <th scope="col">{t('parts.subject')}</th>
                <th scope="col">{t('parts.blueprint')}</th>
                <th scope="col" className="num">
                  {t('parts.papers')}
                </th>
                {editable ? (
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {exam.parts.map((p) => {
                const c = checkOf(check.data, p.id);
                const bad = c ? c.problems.length + c.shortfalls.length > 0 : false;
                const sum = p.blueprint.cells.reduce((n, x) => n + x.count, 0);
                return (
                  <tr key={p.id} data-testid={`part-row-${p.code}`} className={editing === p.id ? 'row-selected' : undefined}>
                    <th scope="row">
                      {p.name}
                      <PartGrades profileId={exam.profileId} code={p.code} />
                      {overriddenParts.has(p.code) ? (
                        <span className="badge badge-warn-soft" title={t('overview.overriddenTitle')}>
                          {t('overview.change.changed')}
                        </span>
                      ) : null}
                    </th>
                    <td className="num">{p.round}</td>
                    <td>{labels.mode(p.mode)}</td>
                    <td className="num">{p.questionCount ?? '—'}</td>
                    <td className="num">{p.durationMin ?? '—'}</td>
                    <td className="num">{formatNumber(p.scoreScale)}</td>
                    <td>
                      {labels.role(p.role)}
                      {p.role === 'counted' && p.coefficient !== null ? ` ×${formatNumber(p.coefficient)}` : ''}
                    </td>
                    <td data-testid="part-subject-code">
                      {subjectCode(p.subjectId) ?? <span className="muted">{t('parts.noSubject')}</span>}
                    </td>
                    <td data-testid="part-blueprint">
                      {needsBlueprint(p.mode) ? (
                        <>
                          {p.blueprint.cells.length ? (
                            t('parts.cells', { sum: String(sum), count: p.blueprint.cells.length })
                          ) : (
                            <span className="muted">{t('parts.noBlueprint')}</span>
                          )}{' '}
                          {c ? (
                            <span
                              className={`badge ${bad ? 'badge-bad' : 'badge-approved'}`}
                              data-testid="part-check"
                              data-ok={!bad}
                            >
                              {bad ? t('papers.notOk') : t('papers.ok')}
                            </span>
                          ) : null}
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td className="num">{formatNumber(p.papers)}</td>
                    {editable ? (
                      <td>
                        <button
                          type="button"
                          className="btn btn-small"
                          onClick={() => setEditing(editing === p.id ? null : p.id)}
                          aria-expanded={editing === p.id}
                          aria-label={t('parts.editPart', { name: p.name })}
                          data-testid={`part-edit-${p.code}`}
                        >
                          {t('parts.edit')}
                        </button>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {part && editable ? (
        subjects.data && (check.data || check.error) ? (
          <PartEditor
            key={part.id}
            part={part}
            subjects={subjects.data}
            multiple={check.data?.multiple ?? 1}
            onSaved={() => {
              setEditing(null);
              refresh();
              check.reload();
            }}
            onCancel={() => setEditing(null)}
          />
        ) : (
          <Loading />
        )
      ) : null}
    </div>
  );
}
