import {
  DEFAULT_SORT,
  SIGNAL_SORTS,
  type SignalFilter,
  type SignalSort,
  type SignalSortKey,
} from '@/db/audit-list/filter';
import { hasNul } from '@/db/storable';
import { SIGNAL_KINDS, SIGNAL_STATUSES } from '@/db/vocabulary';

/** The audit list's URL and `GET /api/signals` query, parsed. */
export interface SignalListParams {
  filter: SignalFilter;
  sort: SignalSort;
  page: number;
  pageSize: number;
  /** The date drill-down (UTC), as Django's date_hierarchy: year, then month, then day. */
  drill: { year?: number; month?: number; day?: number };
  /** The from / to inputs as given (YYYY-MM-DD or an ISO timestamp). */
  range: { from?: string; to?: string };
  /** Keyset paging (`cursor`): the rows after this signal id in the sort's order. */
  after?: number;
}

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

/** The filters, order and paging shared by the API, the page and the export. */
const LIST_PARAMS = [
  'status',
  'signal',
  'queue',
  'jobId',
  'requestedBy',
  'operation',
  'from',
  'to',
  'search',
  'sort',
  'page',
  'pageSize',
] as const;
/** Query parameters of `GET /api/signals` (the contract's, plus search, sort and a keyset cursor). */
export const API_SIGNAL_PARAMS = [...LIST_PARAMS, 'cursor'] as const;
/** The audit page (and its export) also takes the date drill-down. */
export const PAGE_SIGNAL_PARAMS = [...LIST_PARAMS, 'year', 'month', 'day'] as const;

/** The `cursor` of the page after the row `id` in a sort: opaque to callers, tied to the sort. */
export function signalCursor(sort: SignalSort, id: number): string {
  return Buffer.from(`${sort.key}.${sort.dir}.${id}`).toString('base64url');
}

function cursorOf(sp: URLSearchParams, sort: SignalSort): number | undefined {
  const raw = sp.get('cursor');
  if (raw === null || raw === '') return undefined;
  const m = /^(\w+)\.(asc|desc)\.(\d{1,15})$/.exec(Buffer.from(raw, 'base64url').toString());
  if (!m) throw new BadParam('cursor is not one this API gave out; start again without it.');
  if (m[1] !== sort.key || m[2] !== sort.dir) {
    const sent = `${m[2] === 'desc' ? '-' : ''}${m[1]}`;
    throw new BadParam(`cursor belongs to sort=${sent}; send that sort with it.`);
  }
  return Number(m[3]);
}

export type ParseResult = { ok: true; params: SignalListParams } | { ok: false; error: string };

class BadParam extends Error {}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Several values: repeated parameters, and for the enums also comma-separated. */
function list<T extends string>(sp: URLSearchParams, name: string, allowed?: readonly T[]): T[] {
  const raw = sp.getAll(name).flatMap((v) => (allowed ? v.split(',') : [v]));
  const values = [...new Set(raw.map((v) => v.trim()).filter(Boolean))];
  for (const v of values) {
    if (allowed && !allowed.includes(v as T)) {
      throw new BadParam(`${name} must be one of ${allowed.join(', ')}; got "${v}".`);
    }
  }
  return values as T[];
}

function int(sp: URLSearchParams, name: string, min: number, max: number, fallback?: number) {
  const raw = sp.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new BadParam(`${name} must be a whole number from ${min} to ${max}; got "${raw}".`);
  }
  return Number(raw);
}

/** A date or timestamp; `to` dates mean "through the end of that day" (UTC). */
function instant(sp: URLSearchParams, name: 'from' | 'to'): Date | undefined {
  const raw = sp.get(name)?.trim();
  if (!raw) return undefined;
  const d = DATE_ONLY.test(raw)
    ? new Date(`${raw}T00:00:00Z`)
    : ISO_TIME.test(raw)
      ? new Date(raw)
      : null;
  if (
    !d ||
    Number.isNaN(d.getTime()) ||
    (DATE_ONLY.test(raw) && d.toISOString().slice(0, 10) !== raw)
  ) {
    throw new BadParam(
      `${name} must be a date (2025-01-31) or an ISO timestamp (2025-01-31T09:30:00Z); got "${raw}".`,
    );
  }
  if (name === 'from') return d;
  return DATE_ONLY.test(raw) ? new Date(d.getTime() + 86_400_000) : new Date(d.getTime() + 1);
}

function sortOf(sp: URLSearchParams): SignalSort {
  const raw = sp.get('sort');
  if (!raw) return DEFAULT_SORT;
  const key = raw.replace(/^-/, '') as SignalSortKey;
  if (!SIGNAL_SORTS.includes(key)) {
    throw new BadParam(`sort must be one of ${SIGNAL_SORTS.join(', ')} (prefix - for descending).`);
  }
  return { key, dir: raw.startsWith('-') ? 'desc' : 'asc' };
}

function drillOf(sp: URLSearchParams): SignalListParams['drill'] {
  const year = int(sp, 'year', 1970, 9999);
  const month = int(sp, 'month', 1, 12);
  const day = int(sp, 'day', 1, 31);
  if (month !== undefined && year === undefined) throw new BadParam('month needs a year.');
  if (day !== undefined && month === undefined) throw new BadParam('day needs a month.');
  if (day !== undefined && new Date(Date.UTC(year!, month! - 1, day)).getUTCDate() !== day) {
    throw new BadParam(`${year}-${month}-${day} is not a date.`);
  }
  return { year, month, day };
}

/** The UTC range of a drill-down level, or undefined when none is chosen. */
export function drillRange(
  drill: SignalListParams['drill'],
): { from: Date; until: Date } | undefined {
  const { year, month, day } = drill;
  if (year === undefined) return undefined;
  if (month === undefined) return { from: utc(year, 0, 1), until: utc(year + 1, 0, 1) };
  if (day === undefined) return { from: utc(year, month - 1, 1), until: utc(year, month, 1) };
  return { from: utc(year, month - 1, day), until: utc(year, month - 1, day + 1) };
}

const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));

/**
 * PostgreSQL reads timestamps of years 0001 to 9999 as we send them (ISO text); year
 * 0000 and `+010000-…` fail the query. A bound past either end is moved to that end,
 * which selects the same rows: everything, or nothing.
 */
const FIRST = utc(1, 0, 1);
const LAST = new Date(utc(10000, 0, 1).getTime() - 1);
const inRange = (d?: Date) => (!d ? d : d < FIRST ? FIRST : d > LAST ? LAST : d);
const later = (a?: Date, b?: Date) => (!a ? b : !b ? a : a > b ? a : b);
const earlier = (a?: Date, b?: Date) => (!a ? b : !b ? a : a < b ? a : b);

/**
 * Parses the audit list's query. `allowed` names the parameters this caller
 * accepts: any other is refused, so a typo (`stauts=`) is reported, not ignored.
 */
export function parseSignalListParams(
  sp: URLSearchParams,
  allowed: readonly string[] = PAGE_SIGNAL_PARAMS,
): ParseResult {
  try {
    const unknown = [...new Set(sp.keys())].filter((k) => !allowed.includes(k));
    if (unknown.length > 0) {
      throw new BadParam(
        `Unknown query parameter: ${unknown.join(', ')}. Known: ${allowed.join(', ')}.`,
      );
    }
    // PostgreSQL text cannot hold U+0000 (%00): the query would fail, so refuse it here.
    for (const [k, v] of sp) {
      if (hasNul(v)) throw new BadParam(`${k} must not contain a NUL character (%00).`);
    }
    const drill = allowed.includes('year') ? drillOf(sp) : {};
    const from = instant(sp, 'from');
    const to = instant(sp, 'to');
    const drilled = drillRange(drill);
    const filter: SignalFilter = {
      status: list(sp, 'status', SIGNAL_STATUSES),
      signal: list(sp, 'signal', SIGNAL_KINDS),
      queue: list(sp, 'queue'),
      requestedBy: list(sp, 'requestedBy'),
      jobId: sp.get('jobId')?.trim() || undefined,
      search: sp.get('search')?.trim() || undefined,
      operation: int(sp, 'operation', 1, Number.MAX_SAFE_INTEGER),
      from: inRange(later(from, drilled?.from)),
      until: inRange(earlier(to, drilled?.until)),
    };
    if (from && to && to <= from) throw new BadParam('to must not be before from.');
    const sort = sortOf(sp);
    return {
      ok: true,
      params: {
        filter,
        sort,
        after: allowed.includes('cursor') ? cursorOf(sp, sort) : undefined,
        page: int(sp, 'page', 1, 1_000_000, 1) as number,
        pageSize: int(sp, 'pageSize', 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE) as number,
        drill,
        range: { from: sp.get('from') || undefined, to: sp.get('to') || undefined },
      },
    };
  } catch (err) {
    if (err instanceof BadParam) return { ok: false, error: err.message };
    throw err;
  }
}
