import { useCallback } from 'react';
import { type TParams, translate, translateList, useLang } from './i18n';

/** Everything the candidate screens show, in the chosen language; re-renders when it changes. */
export function useT() {
  const language = useLang((s) => s.language);
  const t = useCallback((key: string, params?: TParams) => translate(language, key, params), [language]);
  const tList = useCallback((key: string) => translateList(language, key), [language]);
  return { t, tList, i18n: { language } };
}
