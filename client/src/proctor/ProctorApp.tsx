import { useTranslation } from 'react-i18next';
import { AppHeader } from '../ui/AppHeader';
import { RequireStaff } from '../ui/RequireStaff';

/** Placeholder for the invigilator front-end (its own chunk). */
export function ProctorApp() {
  const { t } = useTranslation();
  return (
    <RequireStaff>
      <AppHeader />
      <main className="page" id="main">
        <h1>{t('nav.proctor')}</h1>
        <p className="muted">{t('app.comingSoon')}</p>
      </main>
    </RequireStaff>
  );
}
