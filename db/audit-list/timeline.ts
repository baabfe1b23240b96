import { sql } from 'drizzle-orm';
import type { Database } from '../client';
import { jobSignals } from '../schema';
import { SIGNAL_KINDS, type SignalKind } from '../vocabulary';
import { daysAnswer, daysTimeline } from './days';
import { type SignalFilter, signalWhere } from './filter';

/** Chart and date drill-down buckets; all in UTC so every viewer sees the same days. */
export type TimeBucket = 'hour' | 'day' | 'month';

export interface TimelinePoint {
  /** Start of the bucket (UTC). */
  at: Date;
  counts: Record<SignalKind, number>;
  total: number;
}

const STEP: Record<TimeBucket, (d: Date) => Date> = {
  hour: (d) => new Date(d.getTime() + 3_600_000),
  day: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1)),
  month: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)),
};

/** The start (UTC) of the bucket that holds `d`. */
export function bucketStart(d: Date, bucket: TimeBucket): Date {
  if (bucket === 'hour') return new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000);
  if (bucket === 'day')
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

/**
 * Signals per bucket and kind in [from, until), with the filter's other conditions;
 * every bucket of the range is present (zeros included) so the chart has no gaps.
 * Day and month buckets with only queue and kind filters come from the per-day
 * counts (a few rows per day); anything else aggregates the matching rows.
 */
export async function signalTimeline(
  db: Database,
  filter: SignalFilter,
  range: { from: Date; until: Date },
  bucket: TimeBucket,
): Promise<TimelinePoint[]> {
  const ranged = { ...filter, from: range.from, until: range.until };
  const rows =
    bucket !== 'hour' && daysAnswer(ranged)
      ? await daysTimeline(db, ranged, bucket)
      : await rawTimeline(db, ranged, bucket);
  const byStart = new Map<number, TimelinePoint>();
  for (let t = bucketStart(range.from, bucket); t < range.until; t = STEP[bucket](t)) {
    byStart.set(t.getTime(), { at: t, counts: zeroCounts(), total: 0 });
  }
  for (const r of rows) {
    const point = byStart.get(r.at.getTime());
    if (!point) continue;
    point.counts[r.signal] += r.n;
    point.total += r.n;
  }
  return [...byStart.values()];
}

/** Aggregates the matching rows themselves (filters the per-day counts cannot answer). */
async function rawTimeline(db: Database, filter: SignalFilter, bucket: TimeBucket) {
  const where = signalWhere(filter);
  // date_trunc on the UTC wall time is several times cheaper than its time-zone form.
  const rows = (await db.execute(sql`
    select (extract(epoch from date_trunc(${bucket}, ${jobSignals.createdAt} at time zone 'UTC')) * 1000)::float8 as at,
           ${jobSignals.signal} as signal, count(*)::int as n
    from ${jobSignals} where ${where ?? sql`true`}
    group by 1, 2`)) as unknown as { at: number | string; signal: SignalKind; n: number }[];
  return rows.map((r) => ({ at: new Date(Number(r.at)), signal: r.signal, n: Number(r.n) }));
}

const zeroCounts = () =>
  Object.fromEntries(SIGNAL_KINDS.map((k) => [k, 0])) as Record<SignalKind, number>;

/**
 * The first and last request time among the filter's matches (two index probes of
 * the `created_at` index), or null when nothing matches. The date drill-down lists
 * the years between them.
 */
export async function signalTimeSpan(
  db: Database,
  filter: SignalFilter,
): Promise<{ first: Date; last: Date } | null> {
  const where = signalWhere(filter);
  const rows = (await db.execute(sql`
    select min(${jobSignals.createdAt}) as first, max(${jobSignals.createdAt}) as last
    from ${jobSignals} where ${where ?? sql`true`}`)) as unknown as {
    first: Date | string | null;
    last: Date | string | null;
  }[];
  const r = rows[0];
  if (!r?.first || !r.last) return null;
  return { first: new Date(r.first), last: new Date(r.last) };
}
