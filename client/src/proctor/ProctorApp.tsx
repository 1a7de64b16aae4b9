import './proctor.css';
import type { Role } from '@exam/shared';
import { useTranslation } from 'react-i18next';
import { NavLink, Route, Routes } from 'react-router-dom';
import { AppHeader } from '../ui/AppHeader';
import { DiskBanner } from '../ui/DiskBanner';
import { NotFound } from '../ui/NotFound';
import { RequireStaff } from '../ui/RequireStaff';
import { RoleGate } from '../ui/RoleGate';
import { OverviewPage } from './OverviewPage';
import { RoomPage } from './RoomPage';
import { RoomsPage } from './RoomsPage';

const WATCHERS: Role[] = ['invigilator', 'board', 'admin'];
const BOARD: Role[] = ['board', 'admin'];

function ProctorNav() {
  const { t } = useTranslation();
  return (
    <nav className="app-nav" aria-label={t('nav.main')}>
      <ul>
        <li>
          <NavLink to="/proctor" end data-testid="nav-proctor-rooms">
            {t('proctor.navRooms')}
          </NavLink>
        </li>
        <RoleGate roles={BOARD} otherwise="hide">
          <li>
            <NavLink to="/board/exams" data-testid="nav-exams">
              {t('proctor.navExams')}
            </NavLink>
          </li>
        </RoleGate>
      </ul>
    </nav>
  );
}

/**
 * The invigilator front-end (its own chunk): the rooms one may watch, each room's live dashboard,
 * and for the board a sitting's overview with sealing.
 */
export function ProctorApp() {
  return (
    <RequireStaff>
      <AppHeader nav={<ProctorNav />} />
      <main className="page page-proctor" id="main" tabIndex={-1}>
        <DiskBanner />
        <RoleGate roles={WATCHERS}>
          <Routes>
            <Route index element={<RoomsPage />} />
            <Route path="sittings/:sittingId/rooms/:roomId" element={<RoomPage />} />
            <Route
              path="sittings/:sittingId"
              element={
                <RoleGate roles={BOARD}>
                  <OverviewPage />
                </RoleGate>
              }
            />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </RoleGate>
      </main>
    </RequireStaff>
  );
}
