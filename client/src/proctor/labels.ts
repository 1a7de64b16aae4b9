import {
  type LocalizedText,
  PROCTOR_ACTION_LABELS,
  type ProctorAction,
  type ProctorSanction,
  ROOM_STATE_LABELS,
  type RoomState,
  SEAT_STATE_LABELS,
  SEAT_WARNING_LABELS,
  type SeatDto,
  type SeatState,
  type SeatWarning,
} from '@exam/shared';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useUi } from '../stores/ui';

/** Labels of the invigilation enums in the UI language (Vietnamese first). */
export function useProctorLabels() {
  const lang = useUi((s) => s.language);
  const { t } = useTranslation();
  return useMemo(
    () => ({
      state: (s: SeatState) => SEAT_STATE_LABELS[s][lang],
      warning: (w: SeatWarning) => SEAT_WARNING_LABELS[w][lang],
      action: (a: ProctorAction | 'seal') => PROCTOR_ACTION_LABELS[a][lang],
      roomState: (s: RoomState) => ROOM_STATE_LABELS[s][lang],
      sanction: (s: ProctorSanction) => t(`proctor.sanction.${s}`),
    }),
    [lang, t],
  );
}

/** Why a step is not allowed now, in the UI language (the server says it in both). */
export function useStepReason(): (reason: LocalizedText) => string {
  const lang = useUi((s) => s.language);
  return useCallback((reason: LocalizedText) => reason[lang], [lang]);
}

/** mm:ss, or h:mm:ss from an hour up. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** "12 giây", "3 phút", "1 giờ 5 phút". */
export function useFormatAgo(): (ms: number) => string {
  const { t } = useTranslation();
  return useCallback(
    (ms: number) => {
      const s = Math.max(0, Math.floor(ms / 1000));
      if (s < 60) return t('proctor.agoSeconds', { n: String(s) });
      const m = Math.floor(s / 60);
      if (m < 60) return t('proctor.agoMinutes', { n: String(m) });
      return t('proctor.agoHours', { h: String(Math.floor(m / 60)), m: String(m % 60) });
    },
    [t],
  );
}

/**
 * Time left on the seat's part at server time `now`: counts down while the clock runs, frozen while
 * paused, none before the clock starts or once the paper is in.
 */
export function seatRemainingMs(seat: SeatDto, now: number): number | null {
  if (seat.state === 'submitted' || seat.state === 'suspended') return null;
  if (seat.state === 'paused') return seat.remainingMs;
  if (seat.deadline === null) return null;
  return Math.max(0, seat.deadline - now);
}

/** Since the last saved answer (or since the clock started, when nothing is saved yet). */
export function seatSinceSaveMs(seat: SeatDto, now: number): number | null {
  return seat.lastSaveAt === null ? null : Math.max(0, now - seat.lastSaveAt);
}
