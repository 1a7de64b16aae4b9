import { DEFAULT_TIME_ZONE, formatZonedDate, formatZonedDateTime, offsetLabel } from '@exam/shared/time';

/**
 * Dates and numbers are always shown the Vietnamese way (dd/mm/yyyy, 1.234,5), and times in the
 * exam's time zone (Asia/Ho_Chi_Minh unless the exam says otherwise), never the browser's: one
 * clock for the board, the invigilators, the candidates and the printed documents.
 */
const LOCALE = 'vi-VN';
const numberFmt = new Intl.NumberFormat(LOCALE);

export function formatDateTime(v: string | number | Date | null | undefined, zone: string = DEFAULT_TIME_ZONE): string {
  if (v === null || v === undefined || v === '') return '';
  return formatZonedDateTime(v, zone);
}

export function formatDate(v: string | number | Date | null | undefined, zone: string = DEFAULT_TIME_ZONE): string {
  if (v === null || v === undefined || v === '') return '';
  // a calendar date (yyyy-mm-dd) has no time zone: shown as is, never shifted a day
  return formatZonedDate(v, zone);
}

export function formatNumber(n: number): string {
  return numberFmt.format(n);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${formatNumber(n)} B`;
  if (n < 1024 * 1024) return `${formatNumber(Math.round((n / 1024) * 10) / 10)} KB`;
  return `${formatNumber(Math.round((n / 1024 / 1024) * 10) / 10)} MB`;
}

/** "Asia/Ho_Chi_Minh, UTC+07:00": printed next to times that could be read in another zone. */
export function zoneNote(zone: string = DEFAULT_TIME_ZONE, at: number = Date.now()): string {
  return `${zone}, ${offsetLabel(at, zone)}`;
}
