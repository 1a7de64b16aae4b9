import { memo } from 'react';
import { useAccess } from '../access/store';
import { type AnswerState, isSaved, useAttempt } from '../stores/attempt';
import { useT } from '../ui';

export const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'];

/** "Đã lưu" only once the server acknowledged this question's latest change. */
function SaveMark({ a }: { a: AnswerState | undefined }) {
  const { t } = useT();
  if (!a) return null;
  if (a.error) {
    return (
      <span className="q-mark q-mark-error" role="alert" data-testid="error-mark">
        {t('exam.rejected', { message: a.error })}
      </span>
    );
  }
  return isSaved(a) ? (
    <span className="q-mark q-mark-saved" data-testid="saved-mark">
      ✓ {t('exam.saved')}
    </span>
  ) : (
    <span className="q-mark q-mark-pending" data-testid="pending-mark">
      ● {t('exam.saving')}
    </span>
  );
}

/**
 * One question. It subscribes to its own entry only, so answering question 7 re-renders question
 * 7 and nothing else. Stem and option HTML is sanitized by the server on the way in and out.
 */
export const QuestionCard = memo(function QuestionCard({
  no,
  headingRef,
}: {
  no: number;
  headingRef?: (el: HTMLElement | null) => void;
}) {
  const { t } = useT();
  const q = useAttempt((s) => s.questions[no - 1]);
  const total = useAttempt((s) => s.questions.length);
  const a = useAttempt((s) => s.answers[no]);
  const flagged = useAttempt((s) => !!s.flags[no]);
  const isCurrent = useAttempt((s) => s.current === no);
  const choose = useAttempt((s) => s.choose);
  const toggleFlag = useAttempt((s) => s.toggleFlag);
  const setCurrent = useAttempt((s) => s.setCurrent);
  const eliminated = useAccess((s) => s.eliminated);
  const toggleEliminated = useAccess((s) => s.toggleEliminated);
  if (!q) return null;
  const multiple = q.type === 'multiple';
  const typeLabel = multiple ? t('exam.typeMultiple') : q.type === 'true_false' ? t('exam.typeTrueFalse') : t('exam.typeSingle');
  const titleId = `q-${no}-title`;
  const stemId = `q-${no}-stem`;

  return (
    <section
      className={`q-card${isCurrent ? ' is-current' : ''}`}
      id={`q-${no}`}
      aria-labelledby={titleId}
      data-testid={`question-${no}`}
      onFocusCapture={() => setCurrent(no)}
      onPointerDown={() => setCurrent(no)}
    >
      <header className="q-head">
        <h2 id={titleId} tabIndex={-1} ref={headingRef}>
          {t('exam.questionOf', { no, total })}
        </h2>
        <span className="q-type">{typeLabel}</span>
        <span className="spacer" />
        <SaveMark a={a} />
        <button
          type="button"
          className={`btn q-flag-btn${flagged ? ' is-flagged' : ''}`}
          aria-pressed={flagged}
          onClick={() => toggleFlag(no)}
          data-testid={`flag-${no}`}
        >
          ⚑ {flagged ? t('exam.unflag') : t('exam.flag')}
        </button>
      </header>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: question HTML is sanitized by the server */}
      <div className="q-stem" id={stemId} dangerouslySetInnerHTML={{ __html: q.stem }} />
      <fieldset className="q-options" aria-labelledby={titleId} aria-describedby={stemId} data-testid={`options-${no}`}>
        {q.options.map((o, i) => {
          const checked = !!a?.choice.includes(o.id);
          const crossed = !!eliminated[`${no}:${o.id}`];
          return (
            <div key={o.id} className={`q-opt-row${crossed ? ' is-eliminated' : ''}`}>
              <label className={`q-opt${checked ? ' is-checked' : ''}${multiple ? ' is-multi' : ''}`}>
                <input
                  className="q-input"
                  type={multiple ? 'checkbox' : 'radio'}
                  name={`q-${no}`}
                  value={o.id}
                  checked={checked}
                  onChange={() => choose(no, o.id)}
                  data-testid={`opt-${no}-${i + 1}`}
                />
                <span className="q-letter" aria-hidden="true">
                  {LETTERS[i]}
                </span>
                {/* biome-ignore lint/security/noDangerouslySetInnerHtml: option HTML is sanitized by the server */}
                <span className="q-opt-text" dangerouslySetInnerHTML={{ __html: o.text }} />
                {crossed ? <span className="visually-hidden">({t('access.eliminated')})</span> : null}
              </label>
              <button
                type="button"
                className="q-elim"
                aria-pressed={crossed}
                aria-label={t('access.eliminate', { letter: LETTERS[i] })}
                title={t('access.eliminate', { letter: LETTERS[i] })}
                onClick={() => toggleEliminated(no, o.id)}
                data-testid={`elim-${no}-${i + 1}`}
              >
                <span aria-hidden="true">✕</span>
              </button>
            </div>
          );
        })}
      </fieldset>
      {q.options.length > 5 ? <p className="hint">{t('exam.keySixth')}</p> : null}
    </section>
  );
});
