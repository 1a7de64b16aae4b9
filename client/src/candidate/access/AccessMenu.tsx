import { useEffect } from 'react';
import { useT } from '../useT';
import { applyAccess, TEXT_SCALES, THEMES, useAccess } from './store';

/** Follows the stored theme and text size on every screen. */
export function useApplyAccess(): void {
  const theme = useAccess((s) => s.theme);
  const textScale = useAccess((s) => s.textScale);
  useEffect(() => applyAccess({ theme, textScale }), [theme, textScale]);
}

/**
 * "Hiển thị": theme (default, high contrast, inverted), text size up to 200 %, and on the exam
 * screen the reading guide. A disclosure of plain buttons, every one reachable with Tab.
 */
export function AccessMenu({ examTools = false }: { examTools?: boolean }) {
  const { t } = useT();
  const theme = useAccess((s) => s.theme);
  const textScale = useAccess((s) => s.textScale);
  const lineFocus = useAccess((s) => s.lineFocus);
  const setTheme = useAccess((s) => s.setTheme);
  const setTextScale = useAccess((s) => s.setTextScale);
  const toggleLineFocus = useAccess((s) => s.toggleLineFocus);
  return (
    <details className="access-menu" data-testid="access-menu">
      <summary data-testid="access-open">{t('access.title')}</summary>
      <div className="access-panel">
        {/* biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons */}
        <div className="access-row" role="group" aria-label={t('access.theme')}>
          <span className="access-label" aria-hidden="true">
            {t('access.theme')}
          </span>
          {THEMES.map((th) => (
            <button
              key={th}
              type="button"
              className="btn btn-small"
              aria-pressed={theme === th}
              onClick={() => setTheme(th)}
              data-testid={`theme-${th}`}
            >
              {t(th === 'contrast' ? 'access.themeContrast' : th === 'inverted' ? 'access.themeInverted' : 'access.themeDefault')}
            </button>
          ))}
        </div>
        {/* biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons */}
        <div className="access-row" role="group" aria-label={t('access.textSize')}>
          <span className="access-label" aria-hidden="true">
            {t('access.textSize')}
          </span>
          {TEXT_SCALES.map((s) => (
            <button
              key={s}
              type="button"
              className="btn btn-small"
              aria-pressed={textScale === s}
              onClick={() => setTextScale(s)}
              data-testid={`text-${s}`}
            >
              {s}%
            </button>
          ))}
        </div>
        {examTools ? (
          <div className="access-row">
            <button
              type="button"
              className="btn btn-small"
              aria-pressed={lineFocus}
              onClick={toggleLineFocus}
              data-testid="line-focus"
            >
              {t('access.lineFocus')}
            </button>
          </div>
        ) : null}
      </div>
    </details>
  );
}
