import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, Outlet } from 'react-router-dom';
import { homePath, useAuth } from './stores/auth';
import { Loading } from './ui/Loading';
import { NotFound } from './ui/NotFound';
import { Toasts } from './ui/Toasts';

/**
 * The staff shell. Each staff front-end (board/, proctor/) is its own lazily loaded chunk with its
 * own route tree, so one front-end's bundle carries none of the others' code. The candidate app
 * (candidate/, at /thi-sinh) does not even load this router: main.tsx starts it on its own.
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

/** The candidate app is another bundle (see main.tsx): reaching it takes a full page load. */
function ToCandidate() {
  useEffect(() => {
    window.location.replace('/thi-sinh');
  }, []);
  return <Loading />;
}

/** "/": staff go to their home; anybody not signed in as staff is taken to the candidate sign-in. */
function Home() {
  const me = useAuth((s) => s.me);
  return me ? <Navigate to={homePath(me)} replace /> : <ToCandidate />;
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
        // public: a candidate looks up their published result with số báo danh + PIN
        path: 'tra-cuu-ket-qua',
        lazy: async () => ({ Component: (await import('./lookup/ResultLookupPage')).ResultLookupPage }),
      },
      { path: 'thi-sinh/*', element: <ToCandidate /> },
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
