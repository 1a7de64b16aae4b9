import { useTranslation } from 'react-i18next';

/** Everything the candidate screens show: one namespace, typed keys. */
export function useT() {
  return useTranslation('candidate');
}
