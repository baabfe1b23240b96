import { and, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { jobSignalDays } from '../schema';
import type { SignalKind } from '../vocabulary';
import type { SignalFilter } from './filter';

const DAY_MS = 86_400_000;

const isMidnightUtc = (d: Date | undefined) => d === undefined || d.getTime() % DAY_MS === 0;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Whether the per-day counts (job_signal_days) answer for this filter exactly: only
 * queue and signal filters, and a range that starts and ends at UTC midnight (the
 * date drill-down's and date inputs' ranges always do).
 */
export function daysAnswer(filter: SignalFilter): boolean {
  return (
    !filter.status?.length &&
    !filter.requestedBy?.length &&
    filter.jobId === undefined &&
    filter.operation === undefined &&
    !filter.search?.trim() &&
    isMidnightUtc(filter.from) &&
    isMidnightUtc(filter.until)
  );
}

function daysWhere(filter: SignalFilter): SQL | undefined {
  return and(
    filter.queue?.length ? inArray(jobSignalDays.queue, filter.queue) : undefined,
    filter.signal?.length ? inArray(jobSignalDays.signal, filter.signal) : undefined,
    filter.from ? gte(jobSignalDays.day, isoDay(filter.from)) : undefined,
    filter.until ? lt(jobSignalDays.day, isoDay(filter.until)) : undefined,
  );
}

/** Exact number of signals matching a filter that `daysAnswer` accepts. */
export async function daysCount(db: Database, filter: SignalFilter): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${jobSignalDays.n}), 0)::int` })
    .from(jobSignalDays)
    .where(daysWhere(filter));
  return Number(row?.n ?? 0);
}

/** Exact counts per queue or per kind for a filter that `daysAnswer` accepts. */
export async function daysFacet(
  db: Database,
  filter: SignalFilter,
  facet: 'queue' | 'signal',
): Promise<{ value: string; count: number }[]> {
  const col = facet === 'queue' ? jobSignalDays.queue : jobSignalDays.signal;
  const rows = await db
    .select({ value: sql<string>`${col}::text`, n: sql<number>`sum(${jobSignalDays.n})::int` })
    .from(jobSignalDays)
    .where(daysWhere(filter))
    .groupBy(col)
    .having(sql`sum(${jobSignalDays.n}) > 0`);
  return rows.map((r) => ({ value: r.value, count: Number(r.n) }));
}

/** Counts per day (or month) and kind for a filter that `daysAnswer` accepts. */
export async function daysTimeline(
  db: Database,
  filter: SignalFilter,
  bucket: 'day' | 'month',
): Promise<{ at: Date; signal: SignalKind; n: number }[]> {
  const at =
    bucket === 'day'
      ? sql`${jobSignalDays.day}::timestamp at time zone 'UTC'`
      : sql`date_trunc('month', ${jobSignalDays.day}::timestamp) at time zone 'UTC'`;
  const rows = await db
    .select({
      at: sql<Date>`${at}`,
      signal: jobSignalDays.signal,
      n: sql<number>`sum(${jobSignalDays.n})::int`,
    })
    .from(jobSignalDays)
    .where(daysWhere(filter))
    .groupBy(sql`1`, jobSignalDays.signal);
  return rows.map((r) => ({ at: new Date(r.at), signal: r.signal, n: Number(r.n) }));
}
