import type {
  ProctorActionBody,
  ProctorActionResult,
  RoomClosingDto,
  RoomDashboardDto,
  RoomRefDto,
  SealResultDto,
  SittingOverviewDto,
} from '@exam/shared';
import { http } from '../api/http';

const base = (sittingId: number) => `/api/proctor/sittings/${sittingId}`;
const room = (sittingId: number, roomId: number) => `${base(sittingId)}/rooms/${roomId}`;

/** The invigilation REST calls (issue 5); live updates come over the `/proctor` socket (socket.ts). */
export const proctorApi = {
  rooms: () => http.get<RoomRefDto[]>('/api/proctor/rooms'),
  dashboard: (sittingId: number, roomId: number) => http.get<RoomDashboardDto>(room(sittingId, roomId)),
  act: (sittingId: number, roomId: number, body: ProctorActionBody) =>
    http.post<ProctorActionResult>(`${room(sittingId, roomId)}/actions`, body),
  closing: (sittingId: number, roomId: number) => http.get<RoomClosingDto>(`${room(sittingId, roomId)}/closing`),
  overview: (sittingId: number) => http.get<SittingOverviewDto>(`${base(sittingId)}/overview`),
  seal: (sittingId: number, reason: string) => http.post<SealResultDto>(`${base(sittingId)}/seal`, { reason }),
  /** biên bản phòng thi */
  minutesUrl: (sittingId: number, roomId: number) => `${room(sittingId, roomId)}/minutes.pdf`,
  /** the room result sheet, once the sitting is sealed */
  resultSheetUrl: (sittingId: number, roomId: number) => `${room(sittingId, roomId)}/result-sheet.pdf`,
  /** the sealed data file of the sitting */
  exportUrl: (sittingId: number) => `${base(sittingId)}/export`,
};
