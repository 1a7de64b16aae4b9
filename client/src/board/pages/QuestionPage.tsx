import { optionIdAt, type QuestionDto, type QuestionStatus, STATUS_TRANSITIONS, type TopicDto } from '@exam/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { banksApi, type QuestionDetail } from '../../api/banks';
import { formatDateTime } from '../../i18n/format';
import { useAuth } from '../../stores/auth';
import { toast } from '../../stores/toasts';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import { Loading } from '../../ui/Loading';
import { useLabels } from '../../ui/labels';
import { ReasonField } from '../../ui/ReasonDialog';
import { useHasRole } from '../../ui/RoleGate';
import { useResource } from '../../ui/useResource';
import { DifficultyBadge, StatusBadge } from '../components/Badges';
import { QuestionItemAnalysis } from '../results/QuestionItemAnalysis';

/** Sanitized on the server (on the way in and out), so it is rendered as HTML. */
function Html({ html, className, testId }: { html: string; className?: string; testId?: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: question HTML is sanitized by the server
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} data-testid={testId} />;
}

export function QuestionPage() {
  const params = useParams();
  const questionId = Number(params.questionId);
  const data = useResource(async () => {
    const detail = await banksApi.question(questionId);
    const topics = await banksApi.topics(detail.question.subjectId);
    return { detail, topics };
  }, [questionId]);

  if (data.error && !data.data) return <ErrorBox error={data.error} />;
  if (!data.data) return <Loading />;
  return <QuestionView detail={data.data.detail} topics={data.data.topics} reload={data.reload} />;
}

interface ViewProps {
  detail: QuestionDetail;
  topics: TopicDto[];
  reload: () => void;
}

function QuestionView({ detail, topics, reload }: ViewProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  const me = useAuth((s) => s.me);
  const head = detail.question;
  const [viewVersionId, setViewVersionId] = useState<number | null>(null);
  const shown: QuestionDto = detail.versions.find((v) => v.versionId === viewVersionId) ?? head;
  const isHead = shown.versionId === head.versionId;
  const topic = topics.find((x) => x.id === shown.topicId);

  return (
    <div className="question-page" data-testid="question-page" data-question-id={head.id}>
      <p className="breadcrumb">
        <Link to={`/board/subjects/${head.subjectId}/questions`}>{t('question.backToList')}</Link>
      </p>
      <div className="title-row">
        <h1 data-testid="question-title">{t('question.title', { ref: head.ref })}</h1>
        <StatusBadge status={head.status} />
        <span className="muted" data-testid="question-head-version">
          {t('question.version', { n: String(head.version) })}
        </span>
      </div>

      <div className="question-layout">
        <div className="question-main">
          {!isHead ? (
            <div className="alert alert-info" role="status" data-testid="viewing-old-version">
              {t('question.viewing', { n: String(shown.version) })}{' '}
              <button type="button" className="btn btn-small" onClick={() => setViewVersionId(null)}>
                {t('question.backToHead')}
              </button>
            </div>
          ) : null}

          <article className="card question-card" data-testid="question-content" data-version={shown.version}>
            <dl className="meta-grid">
              <div>
                <dt>{t('question.type')}</dt>
                <dd>{labels.type(shown.type)}</dd>
              </div>
              <div>
                <dt>{t('question.topic')}</dt>
                <dd>{topic ? `${topic.code} — ${topic.name}` : shown.topicId}</dd>
              </div>
              <div>
                <dt>{t('question.difficulty')}</dt>
                <dd>
                  <DifficultyBadge difficulty={shown.difficulty} />
                </dd>
              </div>
              <div>
                <dt>{t('question.status')}</dt>
                <dd data-testid="question-status">
                  <StatusBadge status={shown.status} />
                </dd>
              </div>
              <div>
                <dt>{t('question.author')}</dt>
                <dd data-testid="question-author">{shown.authorName}</dd>
              </div>
              <div>
                <dt>{t('question.updatedAt')}</dt>
                <dd>{formatDateTime(shown.updatedAt)}</dd>
              </div>
              {shown.approvedAt ? (
                <div>
                  <dt>{t('question.approvedAt')}</dt>
                  <dd>{formatDateTime(shown.approvedAt)}</dd>
                </div>
              ) : null}
            </dl>

            <h2 className="h-small">{t('question.stem')}</h2>
            <Html html={shown.stem} className="rich stem" testId="question-stem" />

            <h2 className="h-small">{t('question.options')}</h2>
            <ol className="option-view" data-testid="question-options">
              {shown.options.map((o, i) => (
                <li
                  key={o.id}
                  className={o.correct ? 'is-correct' : ''}
                  data-correct={o.correct}
                  data-testid={`question-option-${optionIdAt(i)}`}
                >
                  <span className="option-letter">{optionIdAt(i)}</span>
                  <Html html={o.text} className="rich" />
                  <span className="option-flags">
                    {o.correct ? <span className="flag flag-correct">✓ {t('question.correctMark')}</span> : null}
                    {o.pinned ? <span className="flag flag-pinned">📌 {t('question.pinned')}</span> : null}
                  </span>
                </li>
              ))}
            </ol>
            {shown.type === 'multiple' ? (
              <p className="muted">
                {t('question.partialCredit')}: {shown.partialCredit ? t('common.yes') : t('common.no')}
              </p>
            ) : null}

            {shown.explanation ? (
              <>
                <h2 className="h-small">{t('question.explanation')}</h2>
                <Html html={shown.explanation} className="rich" testId="question-explanation" />
              </>
            ) : null}
            {shown.legalBasis ? (
              <>
                <h2 className="h-small">{t('question.legalBasis')}</h2>
                <p data-testid="question-legal">{shown.legalBasis}</p>
              </>
            ) : null}
            {shown.tags.length ? (
              <>
                <h2 className="h-small">{t('question.tags')}</h2>
                <ul className="tag-list">
                  {shown.tags.map((tag) => (
                    <li key={tag} className="tag">
                      {tag}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </article>

          <Comments detail={detail} onAdded={reload} />
        </div>

        <aside className="question-side">
          <Workflow head={head} meId={me?.id ?? 0} onDone={reload} />
          <section className="card" aria-labelledby="history-h">
            <h2 id="history-h" className="h-small">
              {t('question.history')}
            </h2>
            <ul className="version-list" data-testid="version-list">
              {detail.versions.map((v) => (
                <li key={v.versionId}>
                  <button
                    type="button"
                    className={`version-item${v.versionId === shown.versionId ? ' active' : ''}`}
                    aria-pressed={v.versionId === shown.versionId}
                    onClick={() => setViewVersionId(v.versionId === head.versionId ? null : v.versionId)}
                    data-testid={`version-${v.version}`}
                    data-status={v.status}
                  >
                    <span className="version-n">
                      {t('question.version', { n: String(v.version) })}
                      {v.versionId === head.versionId ? ` (${t('question.current')})` : ''}
                    </span>
                    <StatusBadge status={v.status} />
                    <span className="version-date muted">
                      {formatDateTime(v.createdAt)}
                      {v.approvedAt ? ` · ${t('question.approvedAt')} ${formatDateTime(v.approvedAt)}` : ''}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
          <QuestionItemAnalysis questionId={head.id} />
        </aside>
      </div>
    </div>
  );
}

function Workflow({ head, meId, onDone }: { head: QuestionDto; meId: number; onDone: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [mode, setMode] = useState<'none' | 'return' | 'retire'>('none');
  const [reason, setReason] = useState('');

  const allowed = STATUS_TRANSITIONS[head.status];
  const isAuthor = head.authorId === meId;
  const canWrite = useHasRole('board', 'author');
  const canReview = useHasRole('board', 'reviewer');
  const canSubmit = allowed.includes('submitted') && canWrite;
  const showApprove = allowed.includes('approved') && (canReview || isAuthor);
  const canReturn = head.status === 'submitted' && canReview;
  const canRetire = allowed.includes('retired') && (canReview || (isAuthor && head.status !== 'approved'));
  const canEdit = head.status !== 'retired' && canWrite;

  const move = async (to: QuestionStatus, comment?: string) => {
    setBusy(true);
    setError(null);
    try {
      const q = await banksApi.transition(head.id, to, comment);
      toast.success(t('question.moved', { status: labels.status(q.status) }));
      setMode('none');
      setReason('');
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const onReturn = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setError(new Error(t('question.returnNeedsComment')));
      return;
    }
    void move('draft', reason.trim());
  };

  return (
    <section className="card workflow" aria-labelledby="workflow-h" data-testid="workflow">
      <h2 id="workflow-h" className="h-small">
        {t('question.workflow')}
      </h2>
      <div className="button-col">
        {canEdit ? (
          <>
            <Link className="btn" to={`/board/questions/${head.id}/edit`} data-testid="action-edit">
              ✎ {t('question.edit')}
            </Link>
            {head.status === 'approved' ? (
              <p className="hint notice" data-testid="approved-notice">
                {t('question.approvedNotice')}
              </p>
            ) : null}
          </>
        ) : null}
        {canSubmit ? (
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy}
            onClick={() => void move('submitted')}
            data-testid="action-submit"
          >
            {t('question.submit')}
          </button>
        ) : null}
        {showApprove ? (
          <>
            <button
              type="button"
              className="btn btn-success"
              disabled={busy || isAuthor || !canReview}
              aria-describedby={isAuthor ? 'self-approval-note' : undefined}
              onClick={() => void move('approved')}
              data-testid="action-approve"
            >
              ✓ {t('question.approve')}
            </button>
            {isAuthor ? (
              <p id="self-approval-note" className="hint notice" data-testid="self-approval-note">
                {t('question.selfApproval')}
              </p>
            ) : null}
          </>
        ) : null}
        {canReturn ? (
          <button
            type="button"
            className="btn"
            disabled={busy}
            aria-expanded={mode === 'return'}
            onClick={() => setMode(mode === 'return' ? 'none' : 'return')}
            data-testid="action-return"
          >
            ↩ {t('question.return')}
          </button>
        ) : null}
        {mode === 'return' ? (
          <form onSubmit={onReturn} className="inline-form" data-testid="return-form">
            <ReasonField
              label={t('question.returnReason')}
              id="return-reason"
              rows={3}
              value={reason}
              onChange={setReason}
              testId="return-reason"
            />
            <button type="submit" className="btn btn-primary" disabled={busy || !reason.trim()} data-testid="return-confirm">
              {t('question.returnConfirm')}
            </button>
          </form>
        ) : null}
        {canRetire ? (
          <button
            type="button"
            className="btn btn-danger-ghost"
            disabled={busy}
            aria-expanded={mode === 'retire'}
            onClick={() => setMode(mode === 'retire' ? 'none' : 'retire')}
            data-testid="action-retire"
          >
            {t('question.retire')}
          </button>
        ) : null}
        {mode === 'retire' ? (
          <div className="inline-form" data-testid="retire-confirm-box">
            <p>{t('question.retireConfirm')}</p>
            <div className="button-row">
              <button
                type="button"
                className="btn btn-danger"
                disabled={busy}
                onClick={() => void move('retired')}
                data-testid="retire-confirm"
              >
                {t('common.confirm')}
              </button>
              <button type="button" className="btn btn-ghost" onClick={() => setMode('none')}>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        ) : null}
      </div>
      <ErrorBox error={error} testId="workflow-error" />
    </section>
  );
}

function Comments({ detail, onAdded }: { detail: QuestionDetail; onAdded: () => void }) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const kindLabel = (k: string): string => {
    switch (k) {
      case 'submit':
      case 'approve':
      case 'return':
      case 'retire':
      case 'import':
      case 'comment':
        return t(`question.commentKind.${k}`);
      default:
        return k;
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await banksApi.comment(detail.question.id, body.trim());
      setBody('');
      toast.success(t('question.commentAdded'));
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card comments" aria-labelledby="comments-h" data-testid="comments">
      <h2 id="comments-h" className="h-small">
        {t('question.comments')}
      </h2>
      {detail.comments.length === 0 ? <p className="muted">{t('question.noComments')}</p> : null}
      <ol className="comment-list">
        {detail.comments.map((c) => (
          <li key={c.id} className={`comment comment-${c.kind}`} data-testid="comment">
            <div className="comment-head">
              <strong>{c.userName}</strong>
              <span className="badge badge-kind">{kindLabel(c.kind)}</span>
              <span className="muted">
                {t('question.version', { n: String(c.version) })} · {formatDateTime(c.createdAt)}
              </span>
            </div>
            {c.body ? <p className="comment-body">{c.body}</p> : null}
          </li>
        ))}
      </ol>
      <form onSubmit={submit} className="comment-form">
        <FormField label={t('question.commentLabel')} id="comment-body">
          {(c) => (
            <textarea
              {...c}
              rows={3}
              value={body}
              maxLength={5000}
              onChange={(e) => setBody(e.target.value)}
              data-testid="comment-body"
            />
          )}
        </FormField>
        <button type="submit" className="btn" disabled={busy || !body.trim()} data-testid="comment-submit">
          {t('question.addComment')}
        </button>
        <ErrorBox error={error} testId="comment-error" />
      </form>
    </section>
  );
}
