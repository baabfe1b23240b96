import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Database, Sql } from '../client';
import { type JobSignal, jobSignals } from '../schema';
import { dayOfRow, daysAnswer, daysCount } from './days';
import {
  afterRow,
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
   * `exact` counts every match; `bounded` counts up to COUNT_CAP and estimates
   * beyond (`exact: false` in the answer). Totals the per-day counts answer are
   * exact either way.
   */
  count?: 'exact' | 'bounded';
  /** Keyset paging: the rows after this signal (by id) in the sort's order; `page` is then ignored. */
  after?: number;
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
  /** The id to pass as `after` for the next page, or null on the last page. */
  nextAfter: number | null;
}

/** From this offset on, a page is found without stepping over the rows before it. */
export const DEEP_OFFSET = 2_000;

/**
 * One page of the audit list, newest first unless sorted otherwise, with its total.
 * Every read walks an index in its own order, reading one row more than the page
 * to know whether another follows. Deep pages do not step over the rows before
 * them: in request-time order with filters the per-day counts answer, those
 * counts say which day the page starts in (dayOfRow) and only that day's earlier
 * rows are stepped over; otherwise the page's ids are read first from an index
 * alone (no table rows), backwards from the end when the page is past the middle
 * of an exactly counted list, then its rows by id. `after` pages by key instead.
 */
export async function listSignals(db: Database, q: SignalListQuery): Promise<SignalListPage> {
  const sort = q.sort ?? DEFAULT_SORT;
  const where = signalWhere(q.filter);
  const counting = countWhere(db, q.filter, where, q.count ?? 'bounded');
  const offset = (q.page - 1) * q.pageSize;
  const reading =
    q.after !== undefined
      ? readRows(db, and(where, afterRow(sort, q.after)), sort, q.pageSize + 1, 0)
      : offset < DEEP_OFFSET
        ? readRows(db, where, sort, q.pageSize + 1, offset)
        : deepPage(db, q, sort, where, offset, counting);
  const [rows, count] = await Promise.all([reading, counting]);
  const signals = rows.slice(0, q.pageSize);
  const more = rows.length > q.pageSize;
  return {
    signals,
    ...count,
    page: q.page,
    pageSize: q.pageSize,
    nextAfter: more ? (signals.at(-1)?.id ?? null) : null,
  };
}

function readRows(
  db: Database,
  where: SQL | undefined,
  sort: SignalSort,
  limit: number,
  skip: number,
): Promise<JobSignal[]> {
  return db
    .select()
    .from(jobSignals)
    .where(where)
    .orderBy(...signalOrder(sort))
    .limit(limit)
    .offset(skip);
}

async function deepPage(
  db: Database,
  q: SignalListQuery,
  sort: SignalSort,
  where: SQL | undefined,
  offset: number,
  counting: Promise<SignalCount>,
): Promise<JobSignal[]> {
  const limit = q.pageSize + 1;
  if (sort.key === 'createdAt' && daysAnswer(q.filter)) {
    const newestFirst = sort.dir === 'desc';
    const at = await dayOfRow(db, q.filter, offset, newestFirst);
    if (!at) return [];
    const bound = newestFirst
      ? sql`${jobSignals.createdAt} < (${at.day}::date + 1)::timestamp at time zone 'UTC'`
      : sql`${jobSignals.createdAt} >= ${at.day}::date::timestamp at time zone 'UTC'`;
    return readRows(db, and(where, bound), sort, limit, offset - at.before);
  }
  const count = await counting;
  if (count.exact && offset >= count.total) return [];
  if (count.exact && offset > count.total / 2) {
    // Past the middle: the same rows read backwards from the end step over fewer entries.
    const take = Math.min(limit, count.total - offset);
    const fromEnd = count.total - offset - take;
    return (await rowsById(db, where, reverseSort(sort), take, fromEnd)).reverse();
  }
  return rowsById(db, where, sort, limit, offset);
}

/** Ids of a page first (an index-only walk when an index holds the filter and order), then its rows. */
async function rowsById(
  db: Database,
  where: SQL | undefined,
  sort: SignalSort,
  limit: number,
  skip: number,
): Promise<JobSignal[]> {
  const ids = db
    .select({ id: jobSignals.id })
    .from(jobSignals)
    .where(where)
    .orderBy(...signalOrder(sort))
    .limit(limit)
    .offset(skip)
    .as('page_ids');
  const rows = await db
    .select({ row: jobSignals })
    .from(ids)
    .innerJoin(jobSignals, eq(jobSignals.id, ids.id))
    .orderBy(...signalOrder(sort));
  return rows.map((r) => r.row);
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
  const estimate = await estimateRows(
    db,
    sql`select 1 from ${jobSignals} where ${where ?? sql`true`}`,
  );
  // Well past the cap by the planner's reckoning: counting up to the cap would read
  // 20,000 matches (100 ms for a common search term) only to say "about" anyway.
  if (estimate > 2 * COUNT_CAP) return { total: estimate, exact: false };
  const capped = db
    .select({ one: sql`1` })
    .from(jobSignals)
    .where(where)
    .limit(COUNT_CAP + 1)
    .as('capped');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(capped);
  const n = row?.n ?? 0;
  if (n <= COUNT_CAP) return { total: n, exact: true };
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
