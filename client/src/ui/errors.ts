import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/http';

/** Turns anything thrown into a message in the UI language. */
export function useErrorText(): (err: unknown) => string {
  const { t, i18n } = useTranslation();
  return useCallback(
    (err: unknown) => {
      if (err instanceof ApiError) return err.text(i18n.language);
      if (err instanceof Error && err.message) return err.message;
      return t('errors.unknown');
    },
    [t, i18n.language],
  );
}
