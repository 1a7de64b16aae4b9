import { create } from 'zustand';

/**
 * How this candidate needs the screen (issue 19): theme, text size, the reading guide, and the
 * options they crossed out. Kept on this PC only; crossed-out options are never sent anywhere and
 * are not answers.
 */
export type Theme = 'default' | 'contrast' | 'inverted';
export const THEMES: readonly Theme[] = ['default', 'contrast', 'inverted'];
export const TEXT_SCALES = [100, 125, 150, 175, 200] as const;

const KEY = 'exam.cand.access';

interface Saved {
  theme: Theme;
  textScale: number;
  lineFocus: boolean;
}

function read(): Saved {
  const fallback: Saved = { theme: 'default', textScale: 100, lineFocus: false };
  try {
    const v: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    if (!v || typeof v !== 'object') return fallback;
    const theme = 'theme' in v && THEMES.includes(v.theme as Theme) ? (v.theme as Theme) : 'default';
    const scale = 'textScale' in v && typeof v.textScale === 'number' ? v.textScale : 100;
    return {
      theme,
      textScale: (TEXT_SCALES as readonly number[]).includes(scale) ? scale : 100,
      lineFocus: 'lineFocus' in v && v.lineFocus === true,
    };
  } catch {
    return fallback;
  }
}

interface AccessState extends Saved {
  /** `${questionNo}:${optionId}` crossed out by the candidate, for this page only */
  eliminated: Record<string, true>;
  setTheme: (theme: Theme) => void;
  setTextScale: (scale: number) => void;
  toggleLineFocus: () => void;
  toggleEliminated: (questionNo: number, optionId: string) => void;
}

export const useAccess = create<AccessState>()((set, get) => {
  const save = () => {
    const { theme, textScale, lineFocus } = get();
    try {
      localStorage.setItem(KEY, JSON.stringify({ theme, textScale, lineFocus }));
    } catch {
      // kept for this page only
    }
  };
  return {
    ...read(),
    eliminated: {},
    setTheme: (theme) => {
      set({ theme });
      save();
    },
    setTextScale: (textScale) => {
      set({ textScale });
      save();
    },
    toggleLineFocus: () => {
      set({ lineFocus: !get().lineFocus });
      save();
    },
    toggleEliminated: (questionNo, optionId) => {
      const key = `${questionNo}:${optionId}`;
      const next = { ...get().eliminated };
      if (next[key]) delete next[key];
      else next[key] = true;
      set({ eliminated: next });
    },
  };
});

/** Puts the theme and text size on the page root, so every candidate screen follows them. */
export function applyAccess(s: Pick<Saved, 'theme' | 'textScale'>): void {
  const root = document.documentElement;
  root.dataset.theme = s.theme;
  root.style.fontSize = `${s.textScale}%`;
  root.style.setProperty('--text-scale', String(s.textScale / 100));
  if (s.textScale >= 150) root.dataset.large = 'true';
  else delete root.dataset.large;
}
