import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n';
import { useUi } from '../stores/ui';

export function LanguageSwitch() {
  const language = useUi((s) => s.language);
  const setLanguage = useUi((s) => s.setLanguage);
  const { t } = useTranslation();
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons, not a form fieldset
    <div className="lang-switch" role="group" aria-label={t('lang.label')} data-testid="lang-switch">
      {LANGUAGES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={language === l}
          title={t(`lang.${l}`)}
          onClick={() => setLanguage(l)}
          data-testid={`lang-${l}`}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
