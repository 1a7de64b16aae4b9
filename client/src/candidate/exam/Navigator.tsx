import { isAnswered, isPending, useAttempt } from '../stores/attempt';
import { useT } from '../ui';

function NavButton({ no }: { no: number }) {
  const { t } = useT();
  const a = useAttempt((s) => s.answers[no]);
  const flagged = useAttempt((s) => !!s.flags[no]);
  const current = useAttempt((s) => s.current === no);
  const goTo = useAttempt((s) => s.goTo);
  const answered = isAnswered(a);
  const pending = isPending(a);
  const states = [answered ? t('exam.navAnswered') : t('exam.navUnanswered')];
  if (pending) states.push(t('exam.navPending'));
  if (flagged) states.push(t('exam.navFlagged'));
  if (current) states.push(t('exam.navCurrent'));
  let cls = 'nav-q';
  if (answered) cls += ' is-answered';
  if (pending) cls += ' is-pending';
  if (flagged) cls += ' is-flagged';
  if (current) cls += ' is-current';
  return (
    <li>
      <button
        type="button"
        className={cls}
        aria-label={`${t('exam.question', { no })}: ${states.join(', ')}`}
        aria-current={current ? 'step' : undefined}
        onClick={() => goTo(no)}
        data-testid={`nav-${no}`}
        data-answered={answered}
        data-pending={pending}
        data-flagged={flagged}
      >
        {no}
      </button>
    </li>
  );
}

function AnsweredCount() {
  const { t } = useT();
  const total = useAttempt((s) => s.questions.length);
  const done = useAttempt((s) => s.questions.reduce((n, q) => n + (isAnswered(s.answers[q.no]) ? 1 : 0), 0));
  return (
    <p className="nav-count" data-testid="answered-count">
      {t('exam.answeredCount', { done, total })}
    </p>
  );
}

/** The numbered navigator: answered, unanswered, flagged and not-yet-saved at a glance. */
export function Navigator() {
  const { t } = useT();
  const total = useAttempt((s) => s.questions.length);
  const numbers = Array.from({ length: total }, (_, i) => i + 1);
  return (
    <nav className="nav" aria-label={t('exam.navigator')} data-testid="navigator">
      <AnsweredCount />
      <ol className="nav-grid">
        {numbers.map((no) => (
          <NavButton key={no} no={no} />
        ))}
      </ol>
      <ul className="nav-legend" aria-hidden="true">
        <li>
          <span className="nav-q is-answered">&nbsp;</span> {t('exam.legendAnswered')}
        </li>
        <li>
          <span className="nav-q">&nbsp;</span> {t('exam.legendUnanswered')}
        </li>
        <li>
          <span className="nav-q is-flagged">&nbsp;</span> {t('exam.legendFlagged')}
        </li>
        <li>
          <span className="nav-q is-answered is-pending">&nbsp;</span> {t('exam.legendPending')}
        </li>
      </ul>
    </nav>
  );
}
