import type { TimeBucket } from '@/app/contracts';
import type { SearchParamsRecord } from '@/components/data-table/url-state';
import {
  PAGE_SIGNAL_PARAMS,
  type ParseResult,
  parseSignalListParams,
  type SignalListParams,
} from '../lib/signal-list-params';

/**
 * The audit list's URL, in the data table's words (shared with /jobs):
 * ?status=pending&queue=reports&q=invoice&year=2025&month=3&sort=createdAt.asc&page=2&size=100
 * translated to the API's (`search`, `pageSize`, `sort=-createdAt`) for one parser.
 */
export const SIGNAL_PAGE_SIZES = [25, 50, 100, 200] as const;

const RENAMED: Record<string, string> = { q: 'search', size: 'pageSize' };

export function toApiParams(params: SearchParamsRecord): URLSearchParams {
  const out = new URLSearchParams();
  const known = new Set<string>(PAGE_SIGNAL_PARAMS);
  for (const [key, raw] of Object.entries(params)) {
    const name = RENAMED[key] ?? key;
    // Unknown parameters of a page URL (tracking tags, old links) are ignored, not refused.
    if (!known.has(name)) continue;
    for (const value of [raw ?? []].flat()) {
      if (name === 'sort') {
        const [id, dir] = value.split('.');
        out.append('sort', dir === 'desc' ? `-${id}` : `${id}`);
      } else if (name === 'pageSize') {
        if ((SIGNAL_PAGE_SIZES as readonly number[]).includes(Number(value)))
          out.append(name, value);
      } else out.append(name, value);
    }
  }
  return out;
}

export function parseSignalsPage(params: SearchParamsRecord): ParseResult {
  return parseSignalListParams(toApiParams(params), PAGE_SIGNAL_PARAMS);
}

const DAY = 86_400_000;
const startOfDay = (d: Date) =>
  new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/**
 * The chart's range: the filter's dates, or the last 30 UTC days. Whole days, so
 * the per-day counts can answer; hours for two days or less, months past 400 days.
 */
export function chartRange(
  p: SignalListParams,
  now = new Date(),
): { from: Date; until: Date; bucket: TimeBucket } {
  const tomorrow = new Date(startOfDay(now).getTime() + DAY);
  const until = p.filter.until ? ceilDay(p.filter.until) : tomorrow;
  const from = p.filter.from ? startOfDay(p.filter.from) : new Date(until.getTime() - 30 * DAY);
  const days = (until.getTime() - from.getTime()) / DAY;
  const bucket: TimeBucket = days <= 2 ? 'hour' : days <= 400 ? 'day' : 'month';
  return { from, until, bucket };
}

function ceilDay(d: Date): Date {
  const start = startOfDay(d);
  return start.getTime() === d.getTime() ? d : new Date(start.getTime() + DAY);
}
