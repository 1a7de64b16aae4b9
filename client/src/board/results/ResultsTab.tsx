import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router-dom';
import { Loading } from '../../ui/Loading';
import type { ExamTabProps } from '../exams/labels';
import { CorrectionsPanel } from './CorrectionsPanel';
import { ItemAnalysisPanel } from './ItemAnalysisPanel';
import { MarkingPanel } from './MarkingPanel';
import { RankingPanel } from './RankingPanel';
import { ReviewsPanel } from './ReviewsPanel';
import './results.css';

/** The charts (and their library) load only when the statistics are opened. */
const StatsPanel = lazy(async () => ({ default: (await import('./StatsPanel')).StatsPanel }));

export const RESULT_SUBS = ['ranking', 'marking', 'reviews', 'corrections', 'stats', 'items'] as const;
export type ResultSub = (typeof RESULT_SUBS)[number];

function isSub(v: string | undefined): v is ResultSub {
  return !!v && (RESULT_SUBS as readonly string[]).includes(v);
}

/** "Kết quả": ranking and publication, score entry, phúc khảo, key corrections, statistics, item analysis. */
export function ResultsTab({ exam, refresh, sub: subParam }: ExamTabProps & { sub: string | undefined }) {
  const { t } = useTranslation();
  const sub: ResultSub = isSub(subParam) ? subParam : 'ranking';
  return (
    <div data-testid="results-tab">
      <nav className="tabs subtabs" aria-label={t('results.subtabs')}>
        {RESULT_SUBS.map((k) => (
          <NavLink
            key={k}
            to={`/board/exams/${exam.id}/results/${k}`}
            className={() => (k === sub ? 'tab active' : 'tab')}
            aria-current={k === sub ? 'page' : undefined}
            data-testid={`results-sub-${k}`}
          >
            {t(`results.sub.${k}`)}
          </NavLink>
        ))}
      </nav>
      {sub === 'ranking' ? <RankingPanel exam={exam} onPublished={refresh} /> : null}
      {sub === 'marking' ? <MarkingPanel exam={exam} /> : null}
      {sub === 'reviews' ? <ReviewsPanel exam={exam} onChanged={refresh} /> : null}
      {sub === 'corrections' ? <CorrectionsPanel exam={exam} onChanged={refresh} /> : null}
      {sub === 'stats' ? (
        <Suspense fallback={<Loading />}>
          <StatsPanel exam={exam} />
        </Suspense>
      ) : null}
      {sub === 'items' ? <ItemAnalysisPanel exam={exam} /> : null}
    </div>
  );
}
