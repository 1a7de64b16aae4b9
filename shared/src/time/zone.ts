/**
 * One clock: every time a person types or reads is the wall-clock time of the exam's time zone
 * (Asia/Ho_Chi_Minh by default), whatever the zone of the server or of the browser. Instants are
 * stored in UTC (ISO strings or epoch ms); these helpers convert at the edge.
 */

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when the runtime knows the IANA zone name. */
export function isValidTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    partsFormatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `zone` at the instant `ms` (epoch milliseconds). */
export function wallClockAt(ms: number, zone: string = DEFAULT_TIME_ZONE): WallClock {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(zone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? 1970,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: (out.hour ?? 0) % 24,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

/** The zone's offset from UTC at the instant `ms`, in minutes (Asia/Ho_Chi_Minh: +420). */
export function zoneOffsetMinutes(ms: number, zone: string = DEFAULT_TIME_ZONE): number {
  const w = wallClockAt(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** "UTC+07:00" for the zone's offset at `ms`. */
export function offsetLabel(ms: number, zone: string = DEFAULT_TIME_ZONE): string {
  const off = zoneOffsetMinutes(ms, zone);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant at which the wall clock in `zone` reads `local` ("2026-12-20T08:00", as a
 * datetime-local input gives it). Null for text that is not such a time. In a daylight-saving gap
 * the later offset wins; Vietnam has none.
 */
export function zonedLocalToInstant(local: string, zone: string = DEFAULT_TIME_ZONE): number | null {
  const m = LOCAL_RE.exec(local.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  // two passes settle the offset at the target instant (the offset may differ from the guess's)
  let ms = asUtc - zoneOffsetMinutes(asUtc, zone) * 60_000;
  ms = asUtc - zoneOffsetMinutes(ms, zone) * 60_000;
  return ms;
}

/** The value a datetime-local input shows for the instant in `zone` ("2026-12-20T08:00"). */
export function instantToZonedLocal(ms: number, zone: string = DEFAULT_TIME_ZONE): string {
  const w = wallClockAt(ms, zone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${two(w.month)}-${two(w.day)}T${two(w.hour)}:${two(w.minute)}`;
}

function toMs(v: string | number | Date): number | null {
  const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

const two = (n: number) => String(n).padStart(2, '0');

/** "20/12/2026 08:00" in the zone (vi-VN order, 24-hour clock). */
export function formatZonedDateTime(v: string | number | Date, zone: string = DEFAULT_TIME_ZONE): string {
  const ms = toMs(v);
  if (ms === null) return String(v);
  const w = wallClockAt(ms, zone);
  return `${two(w.day)}/${two(w.month)}/${w.year} ${two(w.hour)}:${two(w.minute)}`;
}

/** "08:00" in the zone. */
export function formatZonedTime(v: string | number | Date, zone: string = DEFAULT_TIME_ZONE): string {
  const ms = toMs(v);
  if (ms === null) return String(v);
  const w = wallClockAt(ms, zone);
  return `${two(w.hour)}:${two(w.minute)}`;
}

/**
 * "dd/mm/yyyy": a calendar date (yyyy-mm-dd) is shown as it is (never shifted a day); an instant
 * is shown as its date in the zone.
 */
export function formatZonedDate(v: string | number | Date, zone: string = DEFAULT_TIME_ZONE): string {
  if (typeof v === 'string') {
    const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (plain) return `${plain[3]}/${plain[2]}/${plain[1]}`;
  }
  const ms = toMs(v);
  if (ms === null) return String(v);
  const w = wallClockAt(ms, zone);
  return `${two(w.day)}/${two(w.month)}/${w.year}`;
}
