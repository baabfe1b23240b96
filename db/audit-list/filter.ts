import { and, eq, gte, inArray, lt, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { jobSignals } from '../schema';
import type { SignalKind, SignalStatus } from '../vocabulary';

/** What the audit list and `GET /api/signals` can narrow the signals to. */
export interface SignalFilter {
  status?: SignalStatus[];
  signal?: SignalKind[];
  queue?: string[];
  requestedBy?: string[];
  /** Exact job id (with or without a queue). */
  jobId?: string;
  /** Case-insensitive substring of the job id, job name, reason or requester. */
  search?: string;
  /** Requested at or after. */
  from?: Date;
  /** Requested strictly before. */
  until?: Date;
  /** Written by this bulk operation (signal_operations.id). */
  operation?: number;
}

/** The filters shown with counts in the audit list's side bar. */
export const FACETS = ['status', 'signal', 'queue', 'requestedBy'] as const;
export type Facet = (typeof FACETS)[number];

/**
 * Orders the audit list can page through an index (no sort of the whole table):
 * request time, id, queue (then job, then time: a job's signals together), status
 * and requester (then newest first).
 */
export const SIGNAL_SORTS = ['createdAt', 'id', 'queue', 'status', 'requestedBy'] as const;
export type SignalSortKey = (typeof SIGNAL_SORTS)[number];
export interface SignalSort {
  key: SignalSortKey;
  dir: 'asc' | 'desc';
}
export const DEFAULT_SORT: SignalSort = { key: 'createdAt', dir: 'desc' };

export const facetColumn = {
  status: jobSignals.status,
  signal: jobSignals.signal,
  queue: jobSignals.queue,
  requestedBy: jobSignals.requestedBy,
} as const;

/** LIKE's wildcards in user input match themselves. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The WHERE clause of a filter; `omit` leaves one facet's own filter out, so its
 * counts say what choosing another value would give (as Django's facets do).
 */
export function signalWhere(filter: SignalFilter, omit?: Facet): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  for (const facet of FACETS) {
    const values = filter[facet];
    if (facet === omit || !values || values.length === 0) continue;
    const col = facetColumn[facet];
    parts.push(values.length === 1 ? eq(col, values[0] as never) : inArray(col, values as never[]));
  }
  if (filter.jobId !== undefined) {
    parts.push(eq(jobSignals.jobId, filter.jobId));
    // Without a queue the (queue, job_id) index cannot help; the search index can.
    if (!filter.queue?.length) parts.push(sql`lower(${jobSignals.jobId}) = lower(${filter.jobId})`);
  }
  if (filter.operation !== undefined) parts.push(eq(jobSignals.operationId, filter.operation));
  if (filter.from) parts.push(gte(jobSignals.createdAt, filter.from));
  if (filter.until) parts.push(lt(jobSignals.createdAt, filter.until));
  const term = filter.search?.trim();
  if (term) {
    // One LIKE per column on lower(), ORed: the trigram index on those expressions
    // answers each with a bitmap.
    const p = sql`lower(${likePattern(term)})`;
    parts.push(
      or(
        sql`lower(${jobSignals.jobId}) like ${p}`,
        sql`lower(${jobSignals.jobName}) like ${p}`,
        sql`lower(${jobSignals.reason}) like ${p}`,
        sql`lower(${jobSignals.requestedBy}) like ${p}`,
      ),
    );
  }
  return and(...parts);
}

/** One ORDER BY term, with NULLS spelled out as the index stores it. */
export interface OrderPart {
  col: SQLWrapper;
  desc: boolean;
  nullsFirst: boolean;
}
// btree defaults: `asc nulls last`, `desc nulls first`.
const up = (col: SQLWrapper): OrderPart => ({ col, desc: false, nullsFirst: false });
const downNullsLast = (col: SQLWrapper): OrderPart => ({ col, desc: true, nullsFirst: false });
const flip = (p: OrderPart): OrderPart => ({ ...p, desc: !p.desc, nullsFirst: !p.nullsFirst });

/**
 * Each sort's ascending order, exactly as an index stores it: PostgreSQL walks an
 * index only in its own order or the exact reverse, NULLS placement included (and
 * plain `desc` means `desc nulls first`). The audit index is (created_at desc nulls
 * last, id desc nulls last); status and requester indexes put created_at desc nulls
 * last after the column; the job-history index is (queue, job_id, created_at).
 */
const ASCENDING: Record<SignalSortKey, OrderPart[]> = {
  createdAt: [flip(downNullsLast(jobSignals.createdAt)), flip(downNullsLast(jobSignals.id))],
  id: [up(jobSignals.id)],
  // id last makes every order total, so forward and backward reads agree on ties.
  queue: [up(jobSignals.queue), up(jobSignals.jobId), up(jobSignals.createdAt), up(jobSignals.id)],
  status: [
    up(jobSignals.status),
    downNullsLast(jobSignals.createdAt),
    downNullsLast(jobSignals.id),
  ],
  requestedBy: [
    up(jobSignals.requestedBy),
    downNullsLast(jobSignals.createdAt),
    downNullsLast(jobSignals.id),
  ],
};

/** The parts of a sort's ORDER BY, in order, each with its direction. */
export function sortParts(sort: SignalSort): OrderPart[] {
  return ASCENDING[sort.key].map((part) => (sort.dir === 'desc' ? flip(part) : part));
}

/**
 * ORDER BY for a sort. Descending is the exact reverse of ascending, so the same
 * index is walked backwards: newest first for the request time; for status or
 * requester, the groups reversed with their oldest first.
 */
export function signalOrder(sort: SignalSort): SQL[] {
  return sortParts(sort).map(
    (p) =>
      sql`${p.col} ${sql.raw(`${p.desc ? 'desc' : 'asc'} nulls ${p.nullsFirst ? 'first' : 'last'}`)}`,
  );
}

/**
 * The rows after a given row in a sort's order (keyset paging): compares with that
 * row's own values, read by id in the same statement (so no value is rounded on its
 * way through JavaScript: timestamps keep their microseconds). The columns are all
 * NOT NULL. One row comparison when the parts share a direction (an index range),
 * else a leading bound on the first column plus the expanded comparison.
 */
export function afterRow(sort: SignalSort, id: number): SQL {
  const parts = sortParts(sort);
  const of = (p: OrderPart) =>
    sql`(select ${p.col} from ${jobSignals} where ${jobSignals.id} = ${id})`;
  const [first] = parts;
  if (!first) return sql`false`;
  const op = (p: OrderPart) => sql.raw(p.desc ? '<' : '>');
  if (parts.every((p) => p.desc === first.desc)) {
    return sql`(${sql.join(
      parts.map((p) => p.col),
      sql`, `,
    )}) ${op(first)} (${sql.join(parts.map(of), sql`, `)})`;
  }
  const terms = parts.map((p, i) =>
    and(...parts.slice(0, i).map((q) => sql`${q.col} = ${of(q)}`), sql`${p.col} ${op(p)} ${of(p)}`),
  );
  return sql`${first.col} ${sql.raw(first.desc ? '<=' : '>=')} ${of(first)} and (${or(...terms)})`;
}

/** The same order read backwards (for pages past the middle of a long list). */
export function reverseSort(sort: SignalSort): SignalSort {
  return { key: sort.key, dir: sort.dir === 'desc' ? 'asc' : 'desc' };
}
