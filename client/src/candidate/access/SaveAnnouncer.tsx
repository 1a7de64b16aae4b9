import { useEffect, useRef, useState } from 'react';
import { type AnswerState, isSaved, useAttempt } from '../stores/attempt';
import { useT } from '../ui';

type Mark = 'saved' | 'pending' | 'error';
const markOf = (a: AnswerState | undefined): Mark | null => (!a ? null : a.error ? 'error' : isSaved(a) ? 'saved' : 'pending');

/**
 * Tells a screen reader, once per change, that question N was saved or could not be saved (the
 * ✓ on the question is only visual). "Not saved yet" is said only when it lasts (a lost connection),
 * not for the moment between a click and the server's ack.
 */
export function SaveAnnouncer() {
  const { t } = useT();
  const [text, setText] = useState('');
  const last = useRef<Record<number, Mark>>({});
  const waiting = useRef<Record<number, number>>({});
  useEffect(() => {
    const first = useAttempt.getState().answers;
    for (const [no, a] of Object.entries(first)) {
      const m = markOf(a);
      if (m) last.current[Number(no)] = m;
    }
    const unsub = useAttempt.subscribe((s) => {
      for (const [key, a] of Object.entries(s.answers)) {
        const no = Number(key);
        const m = markOf(a);
        if (!m || last.current[no] === m) continue;
        last.current[no] = m;
        const pendingTimer = waiting.current[no];
        if (pendingTimer !== undefined) {
          window.clearTimeout(pendingTimer);
          delete waiting.current[no];
        }
        if (m === 'saved') setText(t('access.savedQ', { no }));
        else if (m === 'error') setText(t('access.notSavedQ', { no }));
        else
          waiting.current[no] = window.setTimeout(() => {
            delete waiting.current[no];
            if (last.current[no] === 'pending') setText(t('access.pendingQ', { no }));
          }, 3000);
      }
    });
    return () => {
      unsub();
      for (const id of Object.values(waiting.current)) window.clearTimeout(id);
    };
  }, [t]);
  return (
    <div className="visually-hidden" aria-live="polite" data-testid="save-announcer">
      {text}
    </div>
  );
}
