import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, Outlet } from 'react-router-dom';
import { homePath, useAuth } from './stores/auth';
import { Loading } from './ui/Loading';
import { NotFound } from './ui/NotFound';
import { Toasts } from './ui/Toasts';

/**
 * The tiny shared shell. Each front-end (board/, proctor/, later candidate/) is its own lazily
 * loaded chunk with its own route tree, so one front-end's bundle carries none of the others' code.
 */
function Root() {
  const status = useAuth((s) => s.status);
  const load = useAuth((s) => s.load);
  useEffect(() => {
    if (status === 'unknown') void load();
  }, [status, load]);
  return (
    <>
      {status === 'unknown' || status === 'loading' ? <Loading /> : <Outlet />}
      <Toasts />
    </>
  );
}

function Home() {
  const me = useAuth((s) => s.me);
  return <Navigate to={homePath(me)} replace />;
}

function RouteError() {
  const { t } = useTranslation();
  return (
    <main className="page page-narrow" id="main">
      <div className="alert alert-error" role="alert">
        {t('errors.unknown')}
      </div>
      <p>
        <a href="/">{t('app.backHome')}</a>
      </p>
    </main>
  );
}

export const router = createBrowserRouter([
  {
    element: <Root />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Home /> },
      {
        path: 'login',
        lazy: async () => ({ Component: (await import('./auth/LoginPage')).LoginPage }),
      },
      {
        path: 'board/*',
        lazy: async () => ({ Component: (await import('./board/BoardApp')).BoardApp }),
      },
      {
        path: 'proctor/*',
        lazy: async () => ({ Component: (await import('./proctor/ProctorApp')).ProctorApp }),
      },
      {
        path: '*',
        element: (
          <main className="page" id="main">
            <NotFound />
          </main>
        ),
      },
    ],
  },
]);
