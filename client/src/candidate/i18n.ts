import { create } from 'zustand';
import { type Language, rememberLanguage, storedLanguage } from '../i18n/lang';
import { type CandidateStrings, candidateEn, candidateVi } from './strings';

/**
 * The candidate app's translations: its own strings only (the staff strings never reach a lab PC)
 * and no i18n library (issue 15's bundle budget: i18next and react-i18next were 18 KB gzip of the
 * candidate's 121 KB, for a lookup and `{{name}}` interpolation). Vietnamese is the reference and
 * the fallback for a key missing in English. The language choice is shared with the staff screens
 * (same storage key).
 */
const tables: Record<Language, CandidateStrings> = { vi: candidateVi, en: candidateEn };

export type TParams = Record<string, string | number | undefined>;

function lookup(table: unknown, key: string): unknown {
  let node: unknown = table;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return undefined;
    node = Reflect.get(node, part);
  }
  return node;
}

/** The string for `key` in `lang` (else Vietnamese, else the key itself), with `{{name}}` filled in. */
export function translate(lang: Language, key: string, params?: TParams): string {
  const found = lookup(tables[lang], key);
  const text = typeof found === 'string' ? found : lookup(tables.vi, key);
  if (typeof text !== 'string') return key;
  if (!params) return text;
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in params ? String(params[name] ?? '') : whole));
}

/** A list of strings (e.g. the rules), in `lang`, else Vietnamese. */
export function translateList(lang: Language, key: string): string[] {
  const found = lookup(tables[lang], key);
  const list = Array.isArray(found) ? found : lookup(tables.vi, key);
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}

const initial = storedLanguage();

function setDocumentLanguage(lang: Language): void {
  document.documentElement.lang = lang;
  document.title = translate(lang, 'app.title');
}
setDocumentLanguage(initial);

interface LangState {
  language: Language;
  setLanguage: (lang: Language) => void;
}

export const useLang = create<LangState>()((set) => ({
  language: initial,
  setLanguage: (language) => {
    rememberLanguage(language);
    setDocumentLanguage(language);
    set({ language });
  },
}));

/** Outside React (the live connection's banners and errors): the current language's strings. */
export const i18n = {
  t: (key: string, params?: TParams) => translate(useLang.getState().language, key, params),
  get language(): Language {
    return useLang.getState().language;
  },
};
