import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { vi } from './vi';

export type Language = 'vi' | 'en';
export const LANGUAGES: readonly Language[] = ['vi', 'en'];
export const LANG_STORAGE_KEY = 'exam.lang';

export function storedLanguage(): Language {
  try {
    const v = localStorage.getItem(LANG_STORAGE_KEY);
    return v === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof vi };
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
