import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ExamDetail } from '../../api/exams';
import { type PartItemAnalysisDto, resultsApi } from '../../api/results';
import { formatNumber } from '../../i18n/format';
import { ErrorBox } from '../../ui/ErrorBox';
import { Loading } from '../../ui/Loading';
import { useResource } from '../../ui/useResource';
import { ItemStatHeaders } from './ItemStatHeaders';
import { stat, useResultLabels } from './labels';

function PartAnalysis({ part, onlyFlagged }: { part: PartItemAnalysisDto; onlyFlagged: boolean }) {
  const { t } = useTranslation();
  const labels = useResultLabels();
  const id = useId();
  const items = onlyFlagged ? part.items.filter((i) => i.flags.length > 0) : part.items;
  const flagged = part.items.filter((i) => i.flags.length > 0).length;
  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid={`items-part-${part.code}`}>
      <h3 id={`${id}-h`} className="h-small">
        {part.name}
      </h3>
      <dl className="stats">
        <div>
          <dt>{t('results.items.candidates')}</dt>
          <dd>{formatNumber(part.candidates)}</dd>
        </div>
        <div>
          <dt>{t('results.items.mean')}</dt>
          <dd>{stat(part.meanTotal)}</dd>
        </div>
        <div>
          <dt>{t('results.items.sd')}</dt>
          <dd>{stat(part.sdTotal)}</dd>
        </div>
        <div>
          <dt>{t('results.items.alpha')}</dt>
          <dd data-testid="items-alpha">{stat(part.alpha)}</dd>
        </div>
        <div>
          <dt>{t('results.items.kr20')}</dt>
          <dd>{stat(part.kr20)}</dd>
        </div>
        <div>
          <dt>{t('results.items.flagged')}</dt>
          <dd className={flagged ? 'stat-bad' : undefined}>
            {formatNumber(flagged)}/{formatNumber(part.items.length)}
          </dd>
        </div>
      </dl>
      {!part.complete ? <p className="hint">{t('results.items.incomplete')}</p> : null}
      {part.droppedVersionIds.length ? (
        <p className="hint">{t('results.items.dropped', { list: part.droppedVersionIds.map((v) => `#${v}`).join(', ') })}</p>
      ) : null}
      {items.length === 0 ? (
        <p className="empty">{onlyFlagged ? t('results.items.noneFlagged') : t('results.items.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table table-compact items-table" data-testid="items-table">
            <caption className="visually-hidden">{t('results.items.caption', { part: part.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('results.items.question')}</th>
                <ItemStatHeaders />
                <th scope="col">{t('results.items.distractors')}</th>
                <th scope="col">{t('results.items.flags')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((it) => (
                <tr
                  key={it.versionId}
                  className={it.flags.length ? 'row-flagged' : undefined}
                  data-testid={`item-${it.versionId}`}
                  data-flags={it.flags.join(' ')}
                >
                  <td className="stem-cell">
                    <Link to={`/board/questions/${it.questionId}`}>
                      #{it.versionId} · {t('results.items.version', { n: formatNumber(it.version) })}
                    </Link>{' '}
                    {it.correction ? (
                      <span className="badge badge-warn-soft">{t(`results.items.correction.${it.correction}`)}</span>
                    ) : null}
                    <div className="muted">{it.stemText}</div>
                  </td>
                  <td className="num">{formatNumber(it.candidates)}</td>
                  <td className={`num${it.flags.some((f) => f.startsWith('facility')) ? ' stat-bad' : ''}`}>
                    {stat(it.facility)}
                  </td>
                  <td className={`num${it.flags.includes('negative_discrimination') ? ' stat-bad' : ''}`}>
                    {stat(it.discrimination)}
                  </td>
                  <td className="num">{stat(it.pointBiserial)}</td>
                  <td>
                    <ul className="distractors">
                      {it.distractors.map((d) => (
                        <li key={d.id} className={d.correct ? 'is-key' : undefined} title={d.text}>
                          {d.letter}: {formatNumber(d.count)}
                          {d.correct ? (
                            <>
                              <span aria-hidden="true"> ✓</span>
                              <span className="visually-hidden"> ({t('results.items.key')})</span>
                            </>
                          ) : null}
                        </li>
                      ))}
                      <li className="muted">
                        {t('results.items.blank')}: {formatNumber(it.blank)}
                      </li>
                    </ul>
                  </td>
                  <td>
                    {it.flags.map((f) => (
                      <span key={f} className="badge badge-bad">
                        {labels.flag(f)}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Item analysis per computer part: p, D (27 %), point-biserial, distractors, α / KR-20, flags. */
export function ItemAnalysisPanel({ exam }: { exam: ExamDetail }) {
  const { t } = useTranslation();
  const data = useResource(() => resultsApi.itemAnalysis(exam.id), [exam.id]);
  const [onlyFlagged, setOnlyFlagged] = useState(false);
  if (data.error && !data.data) return <ErrorBox error={data.error} />;
  if (!data.data) return <Loading />;
  return (
    <div data-testid="items-panel">
      <p className="muted">{t('results.items.intro')}</p>
      <label className="check">
        <input
          type="checkbox"
          checked={onlyFlagged}
          onChange={(e) => setOnlyFlagged(e.target.checked)}
          data-testid="items-only-flagged"
        />
        {t('results.items.onlyFlagged')}
      </label>
      {data.data.parts.length === 0 ? <p className="empty">{t('results.items.noParts')}</p> : null}
      {data.data.parts.map((p) => (
        <PartAnalysis key={p.partId} part={p} onlyFlagged={onlyFlagged} />
      ))}
    </div>
  );
}
