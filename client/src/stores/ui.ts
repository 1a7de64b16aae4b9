import { create } from 'zustand';
import i18n, { LANG_STORAGE_KEY, type Language, storedLanguage } from '../i18n';

interface UiState {
  language: Language;
  setLanguage: (lang: Language) => void;
}

export const useUi = create<UiState>()((set) => ({
  language: storedLanguage(),
  setLanguage: (language) => {
    try {
      localStorage.setItem(LANG_STORAGE_KEY, language);
    } catch {
      // private mode: the choice lasts for this page only
    }
    document.documentElement.lang = language;
    void i18n.changeLanguage(language).then(() => {
      document.title = i18n.t('app.name');
    });
    set({ language });
  },
}));
