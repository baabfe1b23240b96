import 'server-only';
import type {
  FacetCounts,
  Loaded,
  SignalDrill,
  SignalsChartData,
  SignalsTableData,
} from '@/app/contracts';
import { MONTH_NAMES } from '@/components/ui/format';
import { signalFacets } from '@/db/audit-list/facets';
import { listSignals } from '@/db/audit-list/list';
import { signalTimeline, signalTimeSpan } from '@/db/audit-list/timeline';
import { loaded } from '../lib/loaded';
import { deps } from '../lib/services';
import type { SignalListParams } from '../lib/signal-list-params';
import { chartRange } from './page-params';

/** One page of the audit list; the total is exact up to 20,000 and estimated beyond. */
export function loadSignalsTable(p: SignalListParams): Promise<Loaded<SignalsTableData>> {
  return loaded(async () => {
    const list = await listSignals(deps().db, {
      filter: p.filter,
      sort: p.sort,
      page: p.page,
      pageSize: p.pageSize,
      count: 'bounded',
    });
    return { rows: list.signals, total: list.total, exact: list.exact };
  });
}

/** Counts per value of each side-bar filter. */
export function loadSignalFacets(p: SignalListParams): Promise<Loaded<FacetCounts>> {
  return loaded(() => signalFacets(deps().db, p.filter));
}

/**
 * The chart over the selected range, and the date drill-down's next level: the
 * years between the first and last request, or the months / days of the chosen
 * year / month that have signals (read from the chart's own buckets).
 */
export function loadSignalsChart(p: SignalListParams): Promise<Loaded<SignalsChartData>> {
  return loaded(async () => {
    const db = deps().db;
    const range = chartRange(p);
    const { year, month, day } = p.drill;
    const [points, span] = await Promise.all([
      signalTimeline(db, p.filter, range, range.bucket),
      year === undefined ? signalTimeSpan(db, p.filter) : null,
    ]);
    let next: SignalDrill[] = [];
    if (year === undefined && span) {
      for (let y = span.last.getUTCFullYear(); y >= span.first.getUTCFullYear(); y--) {
        next.push({ year: y, label: String(y) });
      }
    } else if (year !== undefined && day === undefined) {
      const totals = new Map<number, number>();
      for (const pt of points) {
        const key = month === undefined ? pt.at.getUTCMonth() + 1 : pt.at.getUTCDate();
        if (pt.at.getUTCFullYear() === year) totals.set(key, (totals.get(key) ?? 0) + pt.total);
      }
      next = [...totals]
        .filter(([, n]) => n > 0)
        .map(([k, n]) =>
          month === undefined
            ? { year, month: k, label: MONTH_NAMES[k - 1] as string, count: n }
            : { year, month, day: k, label: String(k), count: n },
        );
    }
    return {
      points: points.map((pt) => ({ at: pt.at.getTime(), counts: pt.counts, total: pt.total })),
      from: range.from.getTime(),
      until: range.until.getTime(),
      bucket: range.bucket,
      next,
    };
  });
}
