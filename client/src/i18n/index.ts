import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { CandidateStrings } from '../candidate/strings';
import { en } from './en';
import { storedLanguage } from './lang';
import { vi } from './vi';

export { LANG_STORAGE_KEY, LANGUAGES, type Language, storedLanguage } from './lang';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    // the candidate app's strings live in their own chunk (candidate/strings.ts), as namespace `candidate`
    resources: { translation: typeof vi; candidate: CandidateStrings };
  }
}

const initial = storedLanguage();
document.documentElement.lang = initial;

void i18next
  .use(initReactI18next)
  .init({
    resources: { vi: { translation: vi }, en: { translation: en } },
    lng: initial,
    fallbackLng: 'vi',
    interpolation: { escapeValue: false },
    returnNull: false,
  })
  .then(() => {
    document.title = i18next.t('app.name');
  });

export default i18next;
