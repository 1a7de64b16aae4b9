import { useTranslation } from 'react-i18next';
import { Link, NavLink, useParams } from 'react-router-dom';
import { examsApi } from '../../api/exams';
import { ErrorBox } from '../../ui/ErrorBox';
import { Loading } from '../../ui/Loading';
import { useResource } from '../../ui/useResource';
import { ResultsTab } from '../results/ResultsTab';
import { CandidatesTab } from './CandidatesTab';
import { EligibilityTab } from './EligibilityTab';
import { ExamStatusBadge, type ExamTabProps } from './labels';
import { OverviewTab } from './OverviewTab';
import { PapersTab } from './PapersTab';
import { PartsTab } from './PartsTab';
import { PositionsTab } from './PositionsTab';
import { RoomsTab } from './RoomsTab';

export const EXAM_TABS = ['overview', 'parts', 'positions', 'candidates', 'eligibility', 'rooms', 'papers', 'results'] as const;
export type ExamTab = (typeof EXAM_TABS)[number];

function isTab(v: string | undefined): v is ExamTab {
  return !!v && (EXAM_TABS as readonly string[]).includes(v);
}

export function ExamPage() {
  const { t } = useTranslation();
  const params = useParams();
  const examId = Number(params.examId);
  const tab: ExamTab = isTab(params.tab) ? params.tab : 'overview';
  const exam = useResource(() => examsApi.get(examId), [examId]);

  if (exam.error && !exam.data) return <ErrorBox error={exam.error} />;
  if (!exam.data) return <Loading />;
  const e = exam.data;
  const props: ExamTabProps = { exam: e, editable: e.status === 'draft', refresh: exam.reload };
  const label = (k: ExamTab) => t(`exams.tab.${k}`);

  return (
    <div data-testid="exam-page" data-exam-id={e.id}>
      <p className="breadcrumb">
        <Link to="/board/exams">{t('exams.allExams')}</Link> /
      </p>
      <div className="title-row">
        <h1 data-testid="exam-title">
          <span className="code-badge">{e.code}</span> {e.name}
        </h1>
        <ExamStatusBadge status={e.status} />
      </div>
      <nav className="tabs" aria-label={t('exams.tabs')}>
        {EXAM_TABS.filter((k) => k !== 'eligibility' || e.kind === 'promotion').map((k) => (
          <NavLink
            key={k}
            to={`/board/exams/${e.id}/${k}`}
            className={() => (k === tab ? 'tab active' : 'tab')}
            aria-current={k === tab ? 'page' : undefined}
            data-testid={`tab-${k}`}
          >
            {label(k)}
          </NavLink>
        ))}
      </nav>
      {!props.editable && tab !== 'results' && tab !== 'eligibility' ? (
        <p className="alert alert-info" data-testid="exam-frozen">
          {t('exams.frozen')}
        </p>
      ) : null}
      <section className="tab-panel" aria-label={label(tab)}>
        {tab === 'overview' ? <OverviewTab {...props} /> : null}
        {tab === 'parts' ? <PartsTab {...props} /> : null}
        {tab === 'positions' ? <PositionsTab {...props} /> : null}
        {tab === 'candidates' ? <CandidatesTab {...props} /> : null}
        {tab === 'eligibility' ? <EligibilityTab {...props} sub={params.sub} /> : null}
        {tab === 'rooms' ? <RoomsTab {...props} /> : null}
        {tab === 'papers' ? <PapersTab {...props} /> : null}
        {tab === 'results' ? <ResultsTab {...props} sub={params.sub} /> : null}
      </section>
    </div>
  );
}
