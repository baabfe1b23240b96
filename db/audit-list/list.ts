import { type SQL, sql } from 'drizzle-orm';
import type { Database, Sql } from '../client';
import { type JobSignal, jobSignals } from '../schema';
import { daysAnswer, daysCount } from './days';
import {
  DEFAULT_SORT,
  reverseSort,
  type SignalFilter,
  type SignalSort,
  signalOrder,
  signalWhere,
} from './filter';

/**
 * Counting stops here. Counting a million rows exactly costs a scan of them all
 * (~60-120 ms on 1M rows); counting up to the cap walks at most this many index
 * or heap entries, and beyond it the planner's estimate is good to a few percent.
 */
export const COUNT_CAP = 20_000;

export interface SignalListQuery {
  filter: SignalFilter;
  sort?: SignalSort;
  page: number;
  pageSize: number;
  /**
   * `exact` counts every match (the REST API promises a total); `bounded` counts up
   * to COUNT_CAP and estimates beyond (the audit list, which only shows "about").
   */
  count?: 'exact' | 'bounded';
}

export interface SignalCount {
  total: number;
  /** False when `total` is the planner's estimate of a set larger than COUNT_CAP. */
  exact: boolean;
}

export interface SignalListPage extends SignalCount {
  signals: JobSignal[];
  page: number;
  pageSize: number;
}

/** Past this offset, a page in the second half of a counted list is read from its end. */
const DEEP_OFFSET = 10_000;

/**
 * One page of the audit list, newest first unless sorted otherwise, with its total.
 * Every sort walks an index; OFFSET still steps over the rows before the page, so
 * a page past the middle of an exactly counted list is read backwards from its end:
 * the worst page steps over half the rows, and the last page over none.
 */
export async function listSignals(db: Database, q: SignalListQuery): Promise<SignalListPage> {
  const where = signalWhere(q.filter);
  const sort = q.sort ?? DEFAULT_SORT;
  const offset = (q.page - 1) * q.pageSize;
  const counting = countWhere(db, q.filter, where, q.count ?? 'bounded');
  const read = (s: SignalSort, limit: number, skip: number) =>
    db
      .select()
      .from(jobSignals)
      .where(where)
      .orderBy(...signalOrder(s))
      .limit(limit)
      .offset(skip);
  if (offset >= DEEP_OFFSET) {
    const count = await counting;
    if (count.exact && offset > count.total / 2) {
      const limit = Math.max(0, Math.min(q.pageSize, count.total - offset));
      const fromEnd = Math.max(0, count.total - offset - q.pageSize);
      const signals = limit === 0 ? [] : (await read(reverseSort(sort), limit, fromEnd)).reverse();
      return { signals, ...count, page: q.page, pageSize: q.pageSize };
    }
  }
  const [signals, count] = await Promise.all([read(sort, q.pageSize, offset), counting]);
  return { signals, ...count, page: q.page, pageSize: q.pageSize };
}

/** How many signals match, exactly or up to COUNT_CAP then estimated. */
export function countSignals(
  db: Database,
  filter: SignalFilter,
  mode: 'exact' | 'bounded' = 'bounded',
): Promise<SignalCount> {
  return countWhere(db, filter, signalWhere(filter), mode);
}

async function countWhere(
  db: Database,
  filter: SignalFilter,
  where: SQL | undefined,
  mode: 'exact' | 'bounded',
): Promise<SignalCount> {
  // The per-day counts answer queue / kind / whole-day filters exactly from a few rows.
  if (daysAnswer(filter)) return { total: await daysCount(db, filter), exact: true };
  return mode === 'exact' ? exactCount(db, where) : boundedCount(db, where);
}

async function exactCount(db: Database, where: SQL | undefined): Promise<SignalCount> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(jobSignals).where(where);
  return { total: row?.n ?? 0, exact: true };
}

export async function boundedCount(db: Database, where: SQL | undefined): Promise<SignalCount> {
  const capped = db
    .select({ one: sql`1` })
    .from(jobSignals)
    .where(where)
    .limit(COUNT_CAP + 1)
    .as('capped');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(capped);
  const n = row?.n ?? 0;
  if (n <= COUNT_CAP) return { total: n, exact: true };
  const estimate = await estimateRows(
    db,
    sql`select 1 from ${jobSignals} where ${where ?? sql`true`}`,
  );
  return { total: Math.max(estimate, COUNT_CAP + 1), exact: false };
}

/** The planner's row estimate for a query (planning only, nothing is read). */
export async function estimateRows(db: Database, query: SQL): Promise<number> {
  const rows = (await db.execute(sql`explain (format json) ${query}`)) as unknown as Record<
    string,
    unknown
  >[];
  const plan = Object.values(rows[0] ?? {})[0] as { Plan?: { 'Plan Rows'?: number } }[] | string;
  const parsed = typeof plan === 'string' ? JSON.parse(plan) : plan;
  return Math.round(parsed?.[0]?.Plan?.['Plan Rows'] ?? 0);
}

// Drizzle makes the shared postgres.js client return timestamps as text.
const toDate = (v: unknown): Date | null =>
  v == null ? null : v instanceof Date ? v : new Date(String(v));

/** Maps a raw `job_signals` row (snake_case, bigint as string) to the Drizzle shape. */
export function toJobSignal(r: Record<string, unknown>): JobSignal {
  return {
    id: Number(r.id),
    queue: r.queue as string,
    jobId: r.job_id as string,
    jobName: r.job_name as string,
    signal: r.signal as JobSignal['signal'],
    status: r.status as JobSignal['status'],
    reason: (r.reason as string | null) ?? null,
    requestedBy: r.requested_by as string,
    workerId: (r.worker_id as string | null) ?? null,
    outcome: (r.outcome as JobSignal['outcome']) ?? null,
    createdAt: toDate(r.created_at) as Date,
    updatedAt: toDate(r.updated_at) as Date,
    deliveredAt: toDate(r.delivered_at),
    completedAt: toDate(r.completed_at),
    operationId: r.operation_id == null ? null : Number(r.operation_id),
  };
}

/**
 * Every signal a filter matches, in batches, through a server-side cursor: the
 * export holds one batch in memory whatever the size of the result.
 */
export async function* streamSignals(
  db: Database,
  client: Sql,
  filter: SignalFilter,
  sort: SignalSort = DEFAULT_SORT,
  batch = 1000,
): AsyncGenerator<JobSignal[]> {
  const q = db
    .select()
    .from(jobSignals)
    .where(signalWhere(filter))
    .orderBy(...signalOrder(sort))
    .toSQL();
  const cursor = client.unsafe(q.sql, q.params as never[]).cursor(batch);
  for await (const rows of cursor) yield rows.map((r) => toJobSignal(r as Record<string, unknown>));
}
