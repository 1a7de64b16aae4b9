import type { Role } from '@exam/shared';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router-dom';
import { hasAnyRole, STAFF_BANK_ROLES, useAuth } from '../stores/auth';
import { AppHeader } from '../ui/AppHeader';
import { DiskBanner } from '../ui/DiskBanner';
import { Loading } from '../ui/Loading';
import { NotFound } from '../ui/NotFound';
import { RequireStaff } from '../ui/RequireStaff';
import { RoleGate } from '../ui/RoleGate';
import { QuestionEditorPage } from './pages/QuestionEditorPage';
import { QuestionPage } from './pages/QuestionPage';
import { SubjectPage } from './pages/SubjectPage';
import { SubjectsPage } from './pages/SubjectsPage';
import { SystemPage } from './pages/SystemPage';
import { UsersPage } from './pages/UsersPage';

/** The exam screens load on first use, as their own chunk of the board front-end. */
const ExamsRoutes = lazy(async () => ({ default: (await import('./exams/ExamsRoutes')).ExamsRoutes }));

interface NavItem {
  to: string;
  label: string;
  roles: Role[];
  testId: string;
}

function BoardNav() {
  const me = useAuth((s) => s.me);
  const { t } = useTranslation();
  const items: NavItem[] = [
    { to: '/board/subjects', label: t('nav.banks'), roles: STAFF_BANK_ROLES, testId: 'nav-banks' },
    { to: '/board/exams', label: t('nav.exams'), roles: ['admin', 'board'], testId: 'nav-exams' },
    { to: '/board/users', label: t('nav.users'), roles: ['admin'], testId: 'nav-users' },
    { to: '/board/system', label: t('nav.system'), roles: ['admin', 'board'], testId: 'nav-system' },
    { to: '/proctor', label: t('nav.proctor'), roles: ['invigilator', 'board', 'admin'], testId: 'nav-proctor' },
  ];
  return (
    <nav className="app-nav" aria-label={t('nav.main')}>
      <ul>
        {items
          .filter((i) => hasAnyRole(me, ...i.roles))
          .map((i) => (
            <li key={i.to}>
              <NavLink to={i.to} data-testid={i.testId}>
                {i.label}
              </NavLink>
            </li>
          ))}
      </ul>
    </nav>
  );
}

/** The exam board / question bank / administration front-end. */
export function BoardApp() {
  return (
    <RequireStaff>
      <AppHeader nav={<BoardNav />} />
      <main className="page" id="main" tabIndex={-1}>
        <DiskBanner />
        <Routes>
          <Route index element={<Navigate to="subjects" replace />} />
          <Route
            path="subjects"
            element={
              <RoleGate roles={STAFF_BANK_ROLES}>
                <SubjectsPage />
              </RoleGate>
            }
          />
          <Route
            path="subjects/:subjectId/questions/new"
            element={
              <RoleGate roles={['admin', 'board', 'author']}>
                <QuestionEditorPage />
              </RoleGate>
            }
          />
          <Route
            path="subjects/:subjectId/:tab?"
            element={
              <RoleGate roles={STAFF_BANK_ROLES}>
                <SubjectPage />
              </RoleGate>
            }
          />
          <Route
            path="questions/:questionId"
            element={
              <RoleGate roles={STAFF_BANK_ROLES}>
                <QuestionPage />
              </RoleGate>
            }
          />
          <Route
            path="questions/:questionId/edit"
            element={
              <RoleGate roles={['admin', 'board', 'author']}>
                <QuestionEditorPage />
              </RoleGate>
            }
          />
          <Route
            path="exams/*"
            element={
              <RoleGate roles={['admin', 'board']}>
                <Suspense fallback={<Loading />}>
                  <ExamsRoutes />
                </Suspense>
              </RoleGate>
            }
          />
          <Route
            path="users"
            element={
              <RoleGate roles={['admin']}>
                <UsersPage />
              </RoleGate>
            }
          />
          <Route
            path="system"
            element={
              <RoleGate roles={['admin', 'board']}>
                <SystemPage />
              </RoleGate>
            }
          />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </main>
    </RequireStaff>
  );
}
