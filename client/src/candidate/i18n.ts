import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { create } from 'zustand';
import { type Language, rememberLanguage, storedLanguage } from '../i18n/lang';
import { candidateEn, candidateVi } from './strings';

/**
 * The candidate app's own i18next set-up: only its namespace, so the staff strings stay out of the
 * candidate's bundle. The language choice is shared with the staff screens (same storage key).
 */
const initial = storedLanguage();
document.documentElement.lang = initial;

void i18next
  .use(initReactI18next)
  .init({
    resources: { vi: { candidate: candidateVi }, en: { candidate: candidateEn } },
    ns: ['candidate'],
    defaultNS: 'candidate',
    lng: initial,
    fallbackLng: 'vi',
    interpolation: { escapeValue: false },
    returnNull: false,
  })
  .then(() => {
    document.title = i18next.t('app.title', { ns: 'candidate' });
  });

interface LangState {
  language: Language;
  setLanguage: (lang: Language) => void;
}

export const useLang = create<LangState>()((set) => ({
  language: initial,
  setLanguage: (language) => {
    rememberLanguage(language);
    void i18next.changeLanguage(language).then(() => {
      document.title = i18next.t('app.title', { ns: 'candidate' });
    });
    set({ language });
  },
}));

export { i18next };
