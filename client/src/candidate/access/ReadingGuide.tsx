import { useEffect, useState } from 'react';
import { useAccess } from './store';

/**
 * The reading guide (line focus): a clear band across the screen with the rest dimmed. It follows
 * the pointer, and the keyboard focus, so it works without a mouse. It never takes a click.
 */
export function ReadingGuide() {
  const on = useAccess((s) => s.lineFocus);
  const [y, setY] = useState<number | null>(null);
  useEffect(() => {
    if (!on) return;
    const move = (e: PointerEvent) => setY(e.clientY);
    const focus = (e: FocusEvent) => {
      if (!(e.target instanceof HTMLElement)) return;
      const r = e.target.getBoundingClientRect();
      setY(r.top + Math.min(r.height, 80) / 2);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('focusin', focus);
    return () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('focusin', focus);
    };
  }, [on]);
  if (!on) return null;
  const top = y ?? window.innerHeight / 3;
  return (
    <div className="reading-guide" aria-hidden="true" data-testid="reading-guide" style={{ top: `calc(${top}px - 2.2em)` }} />
  );
}
