import { create } from 'zustand';

/** How the candidate likes the paper shown, remembered on this PC. */
export type ExamView = 'one' | 'all';

const KEY = 'exam.cand.prefs';
export const FONT_MIN = 16;
export const FONT_MAX = 30;
const FONT_DEFAULT = 20;

interface Prefs {
  view: ExamView;
  fontSize: number;
}

function read(): Prefs {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Prefs>;
    const fontSize = typeof v.fontSize === 'number' ? Math.min(FONT_MAX, Math.max(FONT_MIN, v.fontSize)) : FONT_DEFAULT;
    return { view: v.view === 'all' ? 'all' : 'one', fontSize };
  } catch {
    return { view: 'one', fontSize: FONT_DEFAULT };
  }
}

interface PrefsState extends Prefs {
  setView: (view: ExamView) => void;
  changeFont: (delta: number) => void;
}

export const usePrefs = create<PrefsState>()((set, get) => {
  const save = () => {
    const { view, fontSize } = get();
    try {
      localStorage.setItem(KEY, JSON.stringify({ view, fontSize }));
    } catch {
      // kept for this page only
    }
  };
  return {
    ...read(),
    setView: (view) => {
      set({ view });
      save();
    },
    changeFont: (delta) => {
      set({ fontSize: Math.min(FONT_MAX, Math.max(FONT_MIN, get().fontSize + delta)) });
      save();
    },
  };
});
