import {
  DIFFICULTIES,
  type Difficulty,
  isDifficulty,
  isQuestionTypeId,
  optionIdAt,
  QUESTION_TYPE_IDS,
  type QuestionBody,
  type QuestionDto,
  type QuestionTypeId,
  questionType,
  type SubjectDto,
  type TopicDto,
} from '@exam/shared';
import { type FormEvent, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { banksApi } from '../../api/banks';
import { toast } from '../../stores/toasts';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import { Loading } from '../../ui/Loading';
import { useLabels } from '../../ui/labels';
import { useResource } from '../../ui/useResource';
import { RichTextEditor } from '../components/RichTextEditor';
import { indentedLabel, topicTree } from '../topicTree';

interface OptionDraft {
  key: number;
  text: string;
  correct: boolean;
  pinned: boolean;
}

interface Draft {
  type: QuestionTypeId;
  topicId: number | null;
  difficulty: Difficulty;
  ref: string;
  stem: string;
  options: OptionDraft[];
  partialCredit: boolean;
  explanation: string;
  legalBasis: string;
  tags: string;
}

const TRUE_FALSE_TEXTS = ['Đúng', 'Sai'] as const;

interface EditorData {
  subject: SubjectDto;
  topics: TopicDto[];
  question: QuestionDto | null;
}

/** New question (route …/subjects/:subjectId/questions/new) or edit (…/questions/:questionId/edit). */
export function QuestionEditorPage() {
  const params = useParams();
  const questionId = params.questionId ? Number(params.questionId) : null;
  const subjectIdParam = params.subjectId ? Number(params.subjectId) : null;
  const data = useResource<EditorData>(async () => {
    if (questionId) {
      const detail = await banksApi.question(questionId);
      const [subject, topics] = await Promise.all([
        banksApi.subject(detail.question.subjectId),
        banksApi.topics(detail.question.subjectId),
      ]);
      return { subject, topics, question: detail.question };
    }
    const id = subjectIdParam ?? 0;
    const [subject, topics] = await Promise.all([banksApi.subject(id), banksApi.topics(id)]);
    return { subject, topics, question: null };
  }, [questionId, subjectIdParam]);

  if (data.error && !data.data) return <ErrorBox error={data.error} />;
  if (!data.data) return <Loading />;
  return <QuestionEditor key={data.data.question?.versionId ?? 'new'} {...data.data} />;
}

function QuestionEditor({ subject, topics, question }: EditorData) {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const keySeq = useRef(100);
  const tree = useMemo(() => topicTree(topics), [topics]);
  const [draft, setDraft] = useState<Draft>(() =>
    question
      ? {
          type: question.type,
          topicId: question.topicId,
          difficulty: question.difficulty,
          ref: question.ref,
          stem: question.stem,
          options: question.options.map((o, i) => ({ key: i, text: o.text, correct: o.correct, pinned: !!o.pinned })),
          partialCredit: question.partialCredit,
          explanation: question.explanation,
          legalBasis: question.legalBasis,
          tags: question.tags.join(', '),
        }
      : {
          type: 'single',
          topicId: null,
          difficulty: 'nhan_biet',
          ref: '',
          stem: '',
          options: [0, 1, 2, 3].map((i) => ({ key: i, text: '', correct: false, pinned: false })),
          partialCredit: false,
          explanation: '',
          legalBasis: '',
          tags: '',
        },
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const def = questionType(draft.type);
  const isTrueFalse = draft.type === 'true_false';
  const radio = def.inputKind === 'radio';

  const patch = (p: Partial<Draft>) => setDraft((d) => ({ ...d, ...p }));
  const patchOption = (key: number, p: Partial<OptionDraft>) =>
    setDraft((d) => ({ ...d, options: d.options.map((o) => (o.key === key ? { ...o, ...p } : o)) }));

  const setCorrect = (key: number, checked: boolean) =>
    setDraft((d) => ({
      ...d,
      options: d.options.map((o) => {
        if (radio) return { ...o, correct: o.key === key };
        return o.key === key ? { ...o, correct: checked } : o;
      }),
    }));

  const changeType = (type: QuestionTypeId) =>
    setDraft((d) => {
      let options = d.options;
      if (type === 'true_false') {
        const firstCorrect = d.type === 'true_false' ? d.options.findIndex((o) => o.correct) : -1;
        options = TRUE_FALSE_TEXTS.map((text, i) => ({
          key: keySeq.current++,
          text,
          correct: i === firstCorrect,
          pinned: false,
        }));
      } else if (d.type === 'true_false') {
        options = [...d.options, ...[0, 1].map(() => ({ key: keySeq.current++, text: '', correct: false, pinned: false }))];
      } else if (questionType(type).inputKind === 'radio') {
        const first = d.options.findIndex((o) => o.correct);
        options = d.options.map((o, i) => ({ ...o, correct: i === first }));
      }
      return { ...d, type, options, partialCredit: type === 'multiple' ? d.partialCredit : false };
    });

  const addOption = () =>
    setDraft((d) => ({
      ...d,
      options: [...d.options, { key: keySeq.current++, text: '', correct: false, pinned: false }],
    }));
  const removeOption = (key: number) => setDraft((d) => ({ ...d, options: d.options.filter((o) => o.key !== key) }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (draft.topicId === null) {
      setError(new Error(t('editor.needTopic')));
      return;
    }
    const body: QuestionBody = {
      type: draft.type,
      topicId: draft.topicId,
      difficulty: draft.difficulty,
      stem: draft.stem,
      options: draft.options.map((o) =>
        o.pinned ? { text: o.text, correct: o.correct, pinned: true } : { text: o.text, correct: o.correct },
      ),
      partialCredit: draft.type === 'multiple' ? draft.partialCredit : false,
      explanation: draft.explanation,
      legalBasis: draft.legalBasis.trim(),
      tags: draft.tags
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    };
    if (!question && draft.ref.trim()) body.ref = draft.ref.trim();
    setBusy(true);
    setError(null);
    try {
      const saved = question ? await banksApi.updateQuestion(question.id, body) : await banksApi.createQuestion(subject.id, body);
      toast.success(t('editor.saved', { ref: saved.ref, version: String(saved.version) }));
      void navigate(`/board/questions/${saved.id}`);
    } catch (err) {
      setError(err);
      window.scrollTo({ top: 0 });
    } finally {
      setBusy(false);
    }
  };

  const cancelTo = question ? `/board/questions/${question.id}` : `/board/subjects/${subject.id}/questions`;

  return (
    <form className="question-editor" onSubmit={submit} noValidate data-testid="question-editor">
      <p className="breadcrumb">
        <Link to={`/board/subjects/${subject.id}/questions`}>
          {subject.code} — {subject.name}
        </Link>{' '}
        /
      </p>
      <h1>{question ? t('editor.editTitle', { ref: question.ref }) : t('editor.newTitle', { code: subject.code })}</h1>
      {question?.status === 'approved' ? (
        <div className="alert alert-warn" role="note" data-testid="approved-notice">
          {t('question.approvedNotice')}
        </div>
      ) : null}
      <ErrorBox error={error} testId="editor-error" />

      <div className="row">
        <FormField label={t('editor.type')} id="q-type">
          {(c) => (
            <select
              {...c}
              value={draft.type}
              onChange={(e) => isQuestionTypeId(e.target.value) && changeType(e.target.value)}
              data-testid="editor-type"
            >
              {QUESTION_TYPE_IDS.map((x) => (
                <option key={x} value={x}>
                  {labels.type(x)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('editor.topic')} id="q-topic" className="field grow" required>
          {(c) => (
            <select
              {...c}
              value={draft.topicId ?? ''}
              onChange={(e) => patch({ topicId: e.target.value ? Number(e.target.value) : null })}
              data-testid="editor-topic"
            >
              <option value="">{t('editor.chooseTopic')}</option>
              {tree.map((x) => (
                <option key={x.id} value={x.id}>
                  {indentedLabel(x)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('editor.difficulty')} id="q-diff">
          {(c) => (
            <select
              {...c}
              value={draft.difficulty}
              onChange={(e) => isDifficulty(e.target.value) && patch({ difficulty: e.target.value })}
              data-testid="editor-difficulty"
            >
              {DIFFICULTIES.map((d) => (
                <option key={d} value={d}>
                  {labels.difficulty(d)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        {!question ? (
          <FormField label={t('editor.ref')} id="q-ref">
            {(c) => (
              <input
                {...c}
                value={draft.ref}
                maxLength={64}
                onChange={(e) => patch({ ref: e.target.value })}
                data-testid="editor-ref"
              />
            )}
          </FormField>
        ) : null}
      </div>

      <RichTextEditor label={t('editor.stem')} value={draft.stem} onChange={(stem) => patch({ stem })} testId="editor-stem" />

      <fieldset className="options-fieldset" data-testid="editor-options">
        <legend>{t('editor.options')}</legend>
        <p className="hint" id="options-hint">
          {isTrueFalse
            ? t('editor.trueFalseHint')
            : t('editor.optionsHint', { min: String(def.minOptions), max: String(def.maxOptions) })}
        </p>
        <ol className="option-list">
          {draft.options.map((o, i) => {
            const letter = optionIdAt(i);
            return (
              <li key={o.key} className={`option-edit${o.correct ? ' is-correct' : ''}`} data-testid={`editor-option-${i}`}>
                <div className="option-head">
                  <span className="option-letter" aria-hidden="true">
                    {letter}
                  </span>
                  <label className="check">
                    <input
                      type={radio ? 'radio' : 'checkbox'}
                      name="q-correct"
                      checked={o.correct}
                      onChange={(e) => setCorrect(o.key, e.target.checked)}
                      aria-label={`${t('editor.correct')} — ${t('editor.option', { id: letter })}`}
                      data-testid={`editor-option-${i}-correct`}
                    />
                    {t('editor.correct')}
                  </label>
                  {!isTrueFalse ? (
                    <>
                      <label className="check">
                        <input
                          type="checkbox"
                          checked={o.pinned}
                          onChange={(e) => patchOption(o.key, { pinned: e.target.checked })}
                          aria-label={`${t('editor.pinned')} — ${t('editor.option', { id: letter })}`}
                          data-testid={`editor-option-${i}-pinned`}
                        />
                        {t('editor.pinned')}
                      </label>
                      <button
                        type="button"
                        className="btn btn-small btn-ghost"
                        disabled={draft.options.length <= def.minOptions}
                        onClick={() => removeOption(o.key)}
                        aria-label={t('editor.removeOption', { id: letter })}
                        data-testid={`editor-option-${i}-remove`}
                      >
                        {t('common.remove')}
                      </button>
                    </>
                  ) : null}
                </div>
                {isTrueFalse ? (
                  <p className="option-fixed">{o.text}</p>
                ) : (
                  <RichTextEditor
                    compact
                    label={t('editor.option', { id: letter })}
                    value={o.text}
                    onChange={(text) => patchOption(o.key, { text })}
                    testId={`editor-option-${i}-text`}
                  />
                )}
              </li>
            );
          })}
        </ol>
        {!isTrueFalse ? (
          <button
            type="button"
            className="btn"
            onClick={addOption}
            disabled={draft.options.length >= def.maxOptions}
            data-testid="editor-add-option"
          >
            + {t('editor.addOption')}
          </button>
        ) : null}
        {draft.type === 'multiple' ? (
          <label className="check block">
            <input
              type="checkbox"
              checked={draft.partialCredit}
              onChange={(e) => patch({ partialCredit: e.target.checked })}
              data-testid="editor-partial"
            />
            {t('editor.partialCredit')}
          </label>
        ) : null}
      </fieldset>

      <RichTextEditor
        label={t('editor.explanation')}
        value={draft.explanation}
        onChange={(explanation) => patch({ explanation })}
        testId="editor-explanation"
      />

      <div className="row">
        <FormField label={t('editor.legalBasis')} id="q-legal" className="field grow">
          {(c) => (
            <input
              {...c}
              value={draft.legalBasis}
              maxLength={2000}
              onChange={(e) => patch({ legalBasis: e.target.value })}
              data-testid="editor-legal"
            />
          )}
        </FormField>
        <FormField label={t('editor.tags')} id="q-tags" className="field grow">
          {(c) => <input {...c} value={draft.tags} onChange={(e) => patch({ tags: e.target.value })} data-testid="editor-tags" />}
        </FormField>
      </div>

      <div className="button-row sticky-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="editor-save">
          {busy ? t('common.saving') : t('editor.save')}
        </button>
        <Link className="btn btn-ghost" to={cancelTo}>
          {t('common.cancel')}
        </Link>
      </div>
    </form>
  );
}
