/** Dates and numbers are always shown the Vietnamese way (dd/mm/yyyy, 1.234,5). */
const LOCALE = 'vi-VN';

const dateTimeFmt = new Intl.DateTimeFormat(LOCALE, {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const dateFmt = new Intl.DateTimeFormat(LOCALE, { day: '2-digit', month: '2-digit', year: 'numeric' });
const numberFmt = new Intl.NumberFormat(LOCALE);

function toDate(v: string | number | Date): Date | null {
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDateTime(v: string | number | Date | null | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  const d = toDate(v);
  return d ? dateTimeFmt.format(d) : String(v);
}

export function formatDate(v: string | number | Date | null | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  // a calendar date (yyyy-mm-dd) has no time zone: shown as is, never shifted a day
  const plain = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
  if (plain) return `${plain[3]}/${plain[2]}/${plain[1]}`;
  const d = toDate(v);
  return d ? dateFmt.format(d) : String(v);
}

export function formatNumber(n: number): string {
  return numberFmt.format(n);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${formatNumber(n)} B`;
  if (n < 1024 * 1024) return `${formatNumber(Math.round((n / 1024) * 10) / 10)} KB`;
  return `${formatNumber(Math.round((n / 1024 / 1024) * 10) / 10)} MB`;
}
