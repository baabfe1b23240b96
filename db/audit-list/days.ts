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

/**
 * Where row `offset` (0-based) of a filter that `daysAnswer` accepts falls, in
 * request-time order: its UTC day and how many matching rows come before that day.
 * A few thousand rows of per-day counts are summed instead of walking the offset,
 * so a deep page reads at most one day's rows before its own.
 */
export async function dayOfRow(
  db: Database,
  filter: SignalFilter,
  offset: number,
  newestFirst: boolean,
): Promise<{ day: string; before: number } | null> {
  const dir = sql.raw(newestFirst ? 'desc' : 'asc');
  const where = daysWhere(filter);
  const rows = (await db.execute(sql`
    select day::text as day, before::bigint::text as before from (
      select day, n, coalesce(sum(n) over (order by day ${dir} rows between unbounded preceding and 1 preceding), 0) as before
      from (select ${jobSignalDays.day} as day, sum(${jobSignalDays.n}) as n from ${jobSignalDays}
            ${where ? sql`where ${where}` : sql``} group by 1 having sum(${jobSignalDays.n}) > 0) d
    ) x
    where before + n > ${offset}
    order by day ${dir} limit 1`)) as unknown as { day: string; before: string }[];
  const [r] = rows;
  return r ? { day: r.day, before: Number(r.before) } : null;
}

/**
 * Exact counts per queue and per kind in one statement (GROUPING SETS), for a
 * filter with neither a queue nor a kind of its own (each facet then sees the same rows).
 */
export async function daysFacets(
  db: Database,
  filter: SignalFilter,
): Promise<Record<'queue' | 'signal', { value: string; count: number }[]>> {
  const where = daysWhere(filter);
  const rows = (await db.execute(sql`
    select ${jobSignalDays.queue} as queue, ${jobSignalDays.signal}::text as signal,
           sum(${jobSignalDays.n})::bigint::text as n
    from ${jobSignalDays} ${where ? sql`where ${where}` : sql``}
    group by grouping sets ((${jobSignalDays.queue}), (${jobSignalDays.signal}))
    having sum(${jobSignalDays.n}) > 0`)) as unknown as {
    queue: string | null;
    signal: string | null;
    n: string;
  }[];
  const out: Record<'queue' | 'signal', { value: string; count: number }[]> = {
    queue: [],
    signal: [],
  };
  for (const r of rows) {
    if (r.queue !== null) out.queue.push({ value: r.queue, count: Number(r.n) });
    else if (r.signal !== null) out.signal.push({ value: r.signal, count: Number(r.n) });
  }
  return out;
}
