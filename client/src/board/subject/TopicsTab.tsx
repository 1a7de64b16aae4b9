import type { TopicDto } from '@exam/shared';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { banksApi } from '../../api/banks';
import { toast } from '../../stores/toasts';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import { useHasRole } from '../../ui/RoleGate';
import type { SubjectTabProps } from '../pages/SubjectPage';
import { indentedLabel, type TopicNode, topicTree } from '../topicTree';

interface TopicFormProps {
  idPrefix: string;
  topics: TopicNode[];
  initial?: TopicDto;
  submitLabel: string;
  onSubmit: (body: { code: string; name: string; parentId: number | null }) => Promise<void>;
  onCancel?: () => void;
}

/** Descendants of a topic cannot become its parent. */
function descendants(topics: TopicDto[], id: number): Set<number> {
  const out = new Set<number>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of topics) {
      if (t.parentId !== null && out.has(t.parentId) && !out.has(t.id)) {
        out.add(t.id);
        grew = true;
      }
    }
  }
  return out;
}

function TopicForm({ idPrefix, topics, initial, submitLabel, onSubmit, onCancel }: TopicFormProps) {
  const { t } = useTranslation();
  const [code, setCode] = useState(initial?.code ?? '');
  const [name, setName] = useState(initial?.name ?? '');
  const [parentId, setParentId] = useState<string>(initial?.parentId ? String(initial.parentId) : '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const excluded = useMemo(() => (initial ? descendants(topics, initial.id) : new Set<number>()), [topics, initial]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ code: code.trim(), name: name.trim(), parentId: parentId ? Number(parentId) : null });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="topic-form" data-testid={`${idPrefix}-form`}>
      <div className="row">
        <FormField label={t('topics.code')} id={`${idPrefix}-code`} required>
          {(c) => (
            <input
              {...c}
              value={code}
              maxLength={64}
              onChange={(e) => setCode(e.target.value)}
              data-testid={`${idPrefix}-code`}
            />
          )}
        </FormField>
        <FormField label={t('topics.name')} id={`${idPrefix}-name`} className="field grow" required>
          {(c) => (
            <input
              {...c}
              value={name}
              maxLength={300}
              onChange={(e) => setName(e.target.value)}
              data-testid={`${idPrefix}-name`}
            />
          )}
        </FormField>
        <FormField label={t('topics.parent')} id={`${idPrefix}-parent`}>
          {(c) => (
            <select {...c} value={parentId} onChange={(e) => setParentId(e.target.value)} data-testid={`${idPrefix}-parent`}>
              <option value="">{t('topics.noParent')}</option>
              {topics
                .filter((x) => !excluded.has(x.id))
                .map((x) => (
                  <option key={x.id} value={x.id}>
                    {indentedLabel(x)}
                  </option>
                ))}
            </select>
          )}
        </FormField>
        <div className="field field-button">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy || !code.trim() || !name.trim()}
            data-testid={`${idPrefix}-submit`}
          >
            {submitLabel}
          </button>
          {onCancel ? (
            <button type="button" className="btn btn-ghost" onClick={onCancel}>
              {t('common.cancel')}
            </button>
          ) : null}
        </div>
      </div>
      <ErrorBox error={error} testId={`${idPrefix}-error`} />
    </form>
  );
}

export function TopicsTab({ subject, topics, refresh }: SubjectTabProps) {
  const { t } = useTranslation();
  const tree = useMemo(() => topicTree(topics), [topics]);
  const [editing, setEditing] = useState<number | null>(null);
  const canEdit = useHasRole('board', 'author');

  return (
    <div data-testid="topics-tab">
      <h2>{t('topics.title')}</h2>
      {!canEdit ? <p className="muted">{t('topics.readOnly')}</p> : null}
      {tree.length === 0 ? <p className="empty">{t('topics.empty')}</p> : null}
      <ul className="topic-tree" data-testid="topic-tree">
        {tree.map((x) => (
          <li key={x.id} style={{ marginLeft: `${x.depth * 1.5}rem` }} data-testid={`topic-${x.code}`}>
            {editing === x.id ? (
              <TopicForm
                idPrefix={`topic-edit-${x.id}`}
                topics={tree}
                initial={x}
                submitLabel={t('common.save')}
                onCancel={() => setEditing(null)}
                onSubmit={async (body) => {
                  await banksApi.updateTopic(x.id, body);
                  toast.success(t('topics.saved'));
                  setEditing(null);
                  refresh();
                }}
              />
            ) : (
              <div className="topic-line">
                {x.depth > 0 ? (
                  <span className="tree-mark" aria-hidden="true">
                    └
                  </span>
                ) : null}
                <span className="code-badge small">{x.code}</span>
                <span className="topic-name">{x.name}</span>
                {canEdit ? (
                  <button
                    type="button"
                    className="btn btn-small btn-ghost"
                    onClick={() => setEditing(x.id)}
                    aria-label={`${t('topics.rename')} ${x.code}`}
                    data-testid={`topic-edit-${x.code}`}
                  >
                    {t('topics.rename')}
                  </button>
                ) : null}
              </div>
            )}
          </li>
        ))}
      </ul>
      {canEdit ? (
        <section className="card">
          <h3>{t('topics.addTitle')}</h3>
          <TopicForm
            key={topics.length}
            idPrefix="topic-new"
            topics={tree}
            submitLabel={t('topics.add')}
            onSubmit={async (body) => {
              const created = await banksApi.createTopic(subject.id, body);
              toast.success(t('topics.added', { code: created.code }));
              refresh();
            }}
          />
        </section>
      ) : null}
    </div>
  );
}
