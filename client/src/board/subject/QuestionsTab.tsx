import {
  DIFFICULTIES,
  type Difficulty,
  isDifficulty,
  isQuestionTypeId,
  plainText,
  QUESTION_STATUSES,
  QUESTION_TYPE_IDS,
  type QuestionQuery,
  type QuestionStatus,
} from '@exam/shared';
import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { banksApi } from '../../api/banks';
import { formatDateTime, formatNumber } from '../../i18n/format';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import { Loading } from '../../ui/Loading';
import { useLabels } from '../../ui/labels';
import { useHasRole } from '../../ui/RoleGate';
import { useResource } from '../../ui/useResource';
import { DifficultyBadge, StatusBadge } from '../components/Badges';
import type { SubjectTabProps } from '../pages/SubjectPage';
import { indentedLabel, topicTree } from '../topicTree';

const PAGE_SIZE = 20;

function isStatus(v: string | null): v is QuestionStatus {
  return !!v && (QUESTION_STATUSES as readonly string[]).includes(v);
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function QuestionsTab({ subject, topics }: SubjectTabProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tree = useMemo(() => topicTree(topics), [topics]);
  const topicCode = useMemo(() => new Map(topics.map((x) => [x.id, x])), [topics]);

  const topicId = Number(params.get('topic')) || undefined;
  const difficultyParam = params.get('difficulty');
  const difficulty: Difficulty | undefined = isDifficulty(difficultyParam) ? difficultyParam : undefined;
  const statusParam = params.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const typeParam = params.get('type');
  const type = isQuestionTypeId(typeParam) ? typeParam : undefined;
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]);

  const query: QuestionQuery = {
    topicId,
    difficulty,
    status,
    type,
    q: q || undefined,
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  };
  const list = useResource(() => banksApi.questions(subject.id, query), [subject.id, topicId, difficulty, status, type, q, page]);

  const setParam = useCallback(
    (key: string, value: string | undefined) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (value) next.set(key, value);
          else next.delete(key);
          if (key !== 'page') next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  // search as you type, after a short pause; pressing Enter (which changes q) cancels the pending one
  useEffect(() => {
    const v = search.trim();
    if (v === q) return;
    const h = window.setTimeout(() => setParam('q', v || undefined), 400);
    return () => window.clearTimeout(h);
  }, [search, q, setParam]);

  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    setParam('q', search.trim() || undefined);
  };

  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const canWrite = useHasRole('board', 'author');
  const filtered = !!(topicId || difficulty || status || type || q);

  return (
    <div data-testid="questions-tab">
      <form className="filters" onSubmit={onSearch} aria-label={t('questions.filters')} data-testid="question-filters">
        <FormField label={t('questions.searchLabel')} id="f-q" className="field grow">
          {(c) => (
            <input
              {...c}
              type="search"
              value={search}
              placeholder={t('questions.searchPlaceholder')}
              onChange={(e) => setSearch(e.target.value)}
              data-testid="filter-q"
            />
          )}
        </FormField>
        <FormField label={t('questions.topic')} id="f-topic">
          {(c) => (
            <select
              {...c}
              value={topicId ?? ''}
              onChange={(e) => setParam('topic', e.target.value || undefined)}
              data-testid="filter-topic"
            >
              <option value="">{t('common.all')}</option>
              {tree.map((x) => (
                <option key={x.id} value={x.id}>
                  {indentedLabel(x)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('questions.difficulty')} id="f-diff">
          {(c) => (
            <select
              {...c}
              value={difficulty ?? ''}
              onChange={(e) => setParam('difficulty', e.target.value || undefined)}
              data-testid="filter-difficulty"
            >
              <option value="">{t('common.all')}</option>
              {DIFFICULTIES.map((d) => (
                <option key={d} value={d}>
                  {labels.difficulty(d)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('questions.status')} id="f-status">
          {(c) => (
            <select
              {...c}
              value={status ?? ''}
              onChange={(e) => setParam('status', e.target.value || undefined)}
              data-testid="filter-status"
            >
              <option value="">{t('common.all')}</option>
              {QUESTION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {labels.status(s)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('questions.type')} id="f-type">
          {(c) => (
            <select
              {...c}
              value={type ?? ''}
              onChange={(e) => setParam('type', e.target.value || undefined)}
              data-testid="filter-type"
            >
              <option value="">{t('common.all')}</option>
              {QUESTION_TYPE_IDS.map((x) => (
                <option key={x} value={x}>
                  {labels.type(x)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <div className="field field-button">
          <button type="submit" className="btn">
            {t('common.search')}
          </button>
        </div>
      </form>

      <div className="toolbar-row">
        <p className="muted" aria-live="polite" data-testid="question-count">
          {list.data ? t('questions.count', { n: formatNumber(total) }) : ''}
        </p>
        <div className="spacer" />
        {filtered ? (
          <button type="button" className="btn btn-ghost" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            {t('questions.clearFilters')}
          </button>
        ) : null}
        {canWrite ? (
          <Link className="btn btn-primary" to={`/board/subjects/${subject.id}/questions/new`} data-testid="new-question">
            {t('questions.newQuestion')}
          </Link>
        ) : null}
      </div>

      <ErrorBox error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        list.data.items.length === 0 ? (
          <p className="empty" data-testid="questions-empty">
            {t('questions.empty')}
          </p>
        ) : (
          <table className={`table table-click${list.loading ? ' is-loading' : ''}`} data-testid="questions-table">
            <thead>
              <tr>
                <th scope="col">{t('questions.ref')}</th>
                <th scope="col">{t('questions.stem')}</th>
                <th scope="col">{t('questions.topic')}</th>
                <th scope="col">{t('questions.type')}</th>
                <th scope="col">{t('questions.difficulty')}</th>
                <th scope="col">{t('questions.status')}</th>
                <th scope="col" className="num" title={t('questions.version')}>
                  {t('questions.version')}
                </th>
                <th scope="col">{t('questions.updatedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((x) => (
                <tr
                  key={x.id}
                  onClick={() => navigate(`/board/questions/${x.id}`)}
                  data-testid={`question-row-${x.ref}`}
                  data-question-id={x.id}
                >
                  <td className="nowrap">
                    <Link to={`/board/questions/${x.id}`} onClick={(e) => e.stopPropagation()}>
                      {x.ref}
                    </Link>
                  </td>
                  <td className="stem-cell">{truncate(plainText(x.stem), 140)}</td>
                  <td className="nowrap" title={topicCode.get(x.topicId)?.name}>
                    {topicCode.get(x.topicId)?.code ?? x.topicId}
                  </td>
                  <td>{labels.type(x.type)}</td>
                  <td>
                    <DifficultyBadge difficulty={x.difficulty} />
                  </td>
                  <td>
                    <StatusBadge status={x.status} />
                  </td>
                  <td className="num">{x.version}</td>
                  <td className="nowrap">{formatDateTime(x.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}

      {list.data && pages > 1 ? (
        <nav
          className="pager"
          aria-label={t('common.pageOf', { page: String(page), pages: String(pages), total: String(total) })}
        >
          <button
            type="button"
            className="btn"
            disabled={page <= 1}
            onClick={() => setParam('page', String(page - 1))}
            data-testid="page-prev"
          >
            ‹ {t('common.previous')}
          </button>
          <span>{t('common.pageOf', { page: formatNumber(page), pages: formatNumber(pages), total: formatNumber(total) })}</span>
          <button
            type="button"
            className="btn"
            disabled={page >= pages}
            onClick={() => setParam('page', String(page + 1))}
            data-testid="page-next"
          >
            {t('common.next')} ›
          </button>
        </nav>
      ) : null}
    </div>
  );
}
