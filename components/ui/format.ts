/** Formatting shared by the server and the browser; pure, so both render the same words. */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
  ['second', 1000],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });

/** "12 sec. ago", "3 min. ago", "in 2 days"; "just now" within five seconds. */
export function formatRelative(at: number, now: number): string {
  const diff = at - now;
  if (Math.abs(diff) < 5000) return 'just now';
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === 'second') {
      return relative.format(Math.trunc(diff / ms), unit);
    }
  }
  return 'just now';
}

const exact = new Intl.DateTimeFormat('en', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hour12: false,
  timeZoneName: 'short',
});

/** The exact instant, to the millisecond, with its time zone. */
export function formatExact(at: number): string {
  return exact.format(at);
}

/** A duration in the largest two units that matter: "45 ms", "1.2 s", "3 min 4 s", "2 h 5 min". */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, Math.round(ms));
  if (abs < 1000) return `${abs} ms`;
  if (abs < 10_000) return `${(abs / 1000).toFixed(1)} s`;
  const s = Math.floor(abs / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

const integer = new Intl.NumberFormat('en');

/** 100000 → "100,000". */
export function formatCount(n: number): string {
  return integer.format(n);
}

const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** 812 → "812 B", 16384 → "16 KB", 5_400_000 → "5.1 MB" (binary units, as file managers show). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${formatCount(n)} B`;
  if (n < 1024 * 1024) return `${decimal.format(n / 1024)} KB`;
  if (n < 1024 ** 3) return `${decimal.format(n / 1024 ** 2)} MB`;
  return `${decimal.format(n / 1024 ** 3)} GB`;
}

/**
 * `text` cut to what one line can show (300 characters, never splitting a surrogate
 * pair), with "…": a long id or name rendered in full would only be hidden by CSS
 * and weigh on the page. The tooltip or the page of the job has it all.
 */
export function oneLine(text: string, max = 300): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

/** "1 job", "3 jobs". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Milliseconds since the epoch from the shapes our data comes in. */
export function toMillis(value: Date | string | number | null | undefined): number | null {
  if (value == null) return null;
  const ms =
    value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** Month names, January first (the audit list's date drill-down, always UTC). */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
