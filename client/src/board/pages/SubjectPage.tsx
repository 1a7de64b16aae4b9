import type { SubjectDto, TopicDto } from '@exam/shared';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, useParams } from 'react-router-dom';
import { banksApi } from '../../api/banks';
import { ErrorBox } from '../../ui/ErrorBox';
import { Loading } from '../../ui/Loading';
import { useResource } from '../../ui/useResource';
import { ExportTab } from '../subject/ExportTab';
import { ImportTab } from '../subject/ImportTab';
import { MatrixTab } from '../subject/MatrixTab';
import { QuestionsTab } from '../subject/QuestionsTab';
import { TopicsTab } from '../subject/TopicsTab';

export const SUBJECT_TABS = ['questions', 'matrix', 'topics', 'import', 'export'] as const;
export type SubjectTab = (typeof SUBJECT_TABS)[number];

export interface SubjectTabProps {
  subject: SubjectDto;
  topics: TopicDto[];
  /** Reload subject counts and topics after a change. */
  refresh: () => void;
}

function isTab(v: string | undefined): v is SubjectTab {
  return !!v && (SUBJECT_TABS as readonly string[]).includes(v);
}

export function SubjectPage() {
  const { t } = useTranslation();
  const params = useParams();
  const subjectId = Number(params.subjectId);
  const tab: SubjectTab = isTab(params.tab) ? params.tab : 'questions';
  const data = useResource(async () => {
    const [subject, topics] = await Promise.all([banksApi.subject(subjectId), banksApi.topics(subjectId)]);
    return { subject, topics };
  }, [subjectId]);

  const labels: Record<SubjectTab, string> = {
    questions: t('subject.tabQuestions'),
    matrix: t('subject.tabMatrix'),
    topics: t('subject.tabTopics'),
    import: t('subject.tabImport'),
    export: t('subject.tabExport'),
  };

  if (data.error && !data.data) return <ErrorBox error={data.error} />;
  if (!data.data) return <Loading />;
  const { subject, topics } = data.data;
  const props: SubjectTabProps = { subject, topics, refresh: data.reload };

  return (
    <div data-testid="subject-page">
      <p className="breadcrumb">
        <Link to="/board/subjects">{t('subject.allSubjects')}</Link> /
      </p>
      <h1 data-testid="subject-title">
        <span className="code-badge">{subject.code}</span> {subject.name}
      </h1>
      <nav className="tabs" aria-label={t('subject.tabs')}>
        {SUBJECT_TABS.map((k) => (
          <NavLink
            key={k}
            to={`/board/subjects/${subject.id}/${k}`}
            className={() => (k === tab ? 'tab active' : 'tab')}
            aria-current={k === tab ? 'page' : undefined}
            data-testid={`tab-${k}`}
          >
            {labels[k]}
          </NavLink>
        ))}
      </nav>
      <section className="tab-panel" aria-label={labels[tab]}>
        {tab === 'questions' ? <QuestionsTab {...props} /> : null}
        {tab === 'matrix' ? <MatrixTab {...props} /> : null}
        {tab === 'topics' ? <TopicsTab {...props} /> : null}
        {tab === 'import' ? <ImportTab {...props} /> : null}
        {tab === 'export' ? <ExportTab {...props} /> : null}
      </section>
    </div>
  );
}
