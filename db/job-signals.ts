import { and, asc, desc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Database } from './client';
import { type JobSignal, jobSignals, removedJob } from './schema';
import { storableKey } from './storable';
import { jobKey, type SignalKind } from './vocabulary';

/** The dashboard's reads of jobs' signals: one job's history, the latest and the open ones of a page. */

export interface JobRef {
  queue: string;
  jobId: string;
}

const storableRef = (j: JobRef) => storableKey(j.queue) && storableKey(j.jobId);

/** Every signal of one job, oldest first. */
export function jobHistory(db: Database, queue: string, jobId: string): Promise<JobSignal[]> {
  if (!storableRef({ queue, jobId })) return Promise.resolve([]);
  return db
    .select()
    .from(jobSignals)
    .where(and(eq(jobSignals.queue, queue), eq(jobSignals.jobId, jobId)))
    .orderBy(asc(jobSignals.createdAt), asc(jobSignals.id));
}

/** Which of a job's signals belong to the job as it is now. */
export interface HistoryBounds {
  /** Only those written at or after this instant (a reused custom id had earlier ones). */
  since?: Date;
  /** Only those up to this signal id (a removed job: up to the cancel that removed it). */
  upToId?: number;
}

export interface HistoryPage {
  /** At most `limit` signals, the newest before the cursor, oldest first. */
  signals: JobSignal[];
  /** Signals within the bounds, in all. */
  total: number;
  /** The cursor of the next older page (the oldest signal's id here), or null: none older. */
  next: number | null;
  /** When the oldest signal within the bounds was written, or null when there is none. */
  firstAt: Date | null;
  /** False when `before` names no signal of this job within the bounds. */
  cursorFound: boolean;
}

/**
 * A page of one job's history, for jobs with thousands of signals: the newest
 * `limit` older than the signal `before` (by time, then id), keyset-paged on the
 * history index, plus the count within the bounds. Two queries.
 */
export async function jobHistoryPage(
  db: Database,
  queue: string,
  jobId: string,
  page: HistoryBounds & { limit: number; before?: number },
): Promise<HistoryPage> {
  const none = { signals: [], total: 0, next: null, firstAt: null, cursorFound: false };
  if (!storableRef({ queue, jobId })) return none;
  const bounds = and(
    eq(jobSignals.queue, queue),
    eq(jobSignals.jobId, jobId),
    page.since ? gte(jobSignals.createdAt, page.since) : undefined,
    page.upToId !== undefined ? lte(jobSignals.id, page.upToId) : undefined,
  );
  const cursor = page.before ?? null;
  const olderThanCursor =
    cursor === null
      ? undefined
      : sql`(${jobSignals.createdAt}, ${jobSignals.id}) < (select s.created_at, s.id from job_signals s where s.id = ${cursor})`;
  const [rows, [stats]] = await Promise.all([
    db
      .select()
      .from(jobSignals)
      .where(and(bounds, olderThanCursor))
      .orderBy(desc(jobSignals.createdAt), desc(jobSignals.id))
      .limit(page.limit + 1),
    db
      .select({
        total: sql<number>`count(*)::int`,
        firstAt: sql<string | null>`min(${jobSignals.createdAt})`,
        cursorFound:
          cursor === null
            ? sql<boolean>`true`
            : sql<boolean>`bool_or(${jobSignals.id} = ${cursor})`,
      })
      .from(jobSignals)
      .where(bounds),
  ]);
  const more = rows.length > page.limit;
  const signals = rows.slice(0, page.limit).reverse();
  return {
    signals,
    total: stats?.total ?? 0,
    next: more ? (signals[0]?.id ?? null) : null,
    firstAt: stats?.firstAt ? new Date(stats.firstAt) : null,
    cursorFound: stats?.cursorFound === true,
  };
}

/** The cancel that removed this job from its queue before it started (the latest one), or null. */
export async function latestRemoval(
  db: Database,
  queue: string,
  jobId: string,
): Promise<JobSignal | null> {
  if (!storableRef({ queue, jobId })) return null;
  const [row] = await db
    .select()
    .from(jobSignals)
    .where(and(eq(jobSignals.queue, queue), eq(jobSignals.jobId, jobId), removedJob(jobSignals)))
    .orderBy(desc(jobSignals.createdAt), desc(jobSignals.id))
    .limit(1);
  return row ?? null;
}

/**
 * One signal's outcome as JSON text, or a part of it (`path`: `['data']` is the data
 * of a job a cancel removed), straight from PostgreSQL: a 5 MB value is never parsed
 * here. Null when the signal is not this job's or holds nothing there.
 */
export async function outcomeText(
  db: Database,
  queue: string,
  jobId: string,
  signalId: number,
  path: string[] = [],
): Promise<string | null> {
  if (!storableRef({ queue, jobId })) return null;
  const [row] = await db
    .select({
      text: sql<string | null>`(${jobSignals.outcome} #> ${sql.param(path)}::text[])::text`,
    })
    .from(jobSignals)
    .where(
      and(eq(jobSignals.id, signalId), eq(jobSignals.queue, queue), eq(jobSignals.jobId, jobId)),
    );
  return row?.text ?? null;
}

/** The newest signal of each given job, by jobKey (for job lists). */
export async function latestSignals(db: Database, jobs: JobRef[]): Promise<Map<string, JobSignal>> {
  const out = new Map<string, JobSignal>();
  const storable = jobs.filter(storableRef);
  if (storable.length === 0) return out;
  // Two array parameters, whatever the page size: one statement text (prepared once,
  // planned once) instead of an OR of 50 pairs built and planned on every page.
  const rows = await db
    .selectDistinctOn([jobSignals.queue, jobSignals.jobId])
    .from(jobSignals)
    .where(
      sql`(${jobSignals.queue}, ${jobSignals.jobId}) in (select * from unnest(${sql.param(storable.map((j) => j.queue))}::text[], ${sql.param(storable.map((j) => j.jobId))}::text[]))`,
    )
    .orderBy(jobSignals.queue, jobSignals.jobId, desc(jobSignals.createdAt), desc(jobSignals.id));
  for (const r of rows) out.set(jobKey(r.queue, r.jobId), r);
  return out;
}

/**
 * Open (pending or delivered) signals of many jobs, possibly of several queues, in
 * one query: arrays travel as single parameters, so 10,000 jobs stay one statement.
 */
export async function openSignalsOfJobs(db: Database, jobs: JobRef[]): Promise<JobSignal[]> {
  const storable = jobs.filter(storableRef);
  if (storable.length === 0) return [];
  const queues = [...new Set(storable.map((k) => k.queue))];
  const ids = [...new Set(storable.map((k) => k.jobId))];
  const wanted = new Set(storable.map((k) => jobKey(k.queue, k.jobId)));
  const rows = await db
    .select()
    .from(jobSignals)
    .where(
      and(
        sql`${jobSignals.status} in ('pending', 'delivered')`,
        sql`${jobSignals.queue} = any(${sql.param(queues)}::text[])`,
        sql`${jobSignals.jobId} = any(${sql.param(ids)}::text[])`,
      ),
    )
    .orderBy(asc(jobSignals.createdAt), asc(jobSignals.id));
  return rows.filter((r) => wanted.has(jobKey(r.queue, r.jobId)));
}

/** The kinds of signal open on each of many jobs, by jobKey (jobs with none are absent). */
export async function openKindsByJob(
  db: Database,
  jobs: JobRef[],
): Promise<Map<string, Set<SignalKind>>> {
  const out = new Map<string, Set<SignalKind>>();
  for (const s of await openSignalsOfJobs(db, jobs)) {
    const key = jobKey(s.queue, s.jobId);
    out.set(key, (out.get(key) ?? new Set<SignalKind>()).add(s.signal));
  }
  return out;
}

/** The open signals of some queues, oldest first (the queues page shows the longest waiting). */
export function oldestOpenSignals(db: Database, queues: string[], limit: number) {
  const storable = queues.filter(storableKey);
  if (storable.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(jobSignals)
    .where(
      and(
        sql`${jobSignals.status} in ('pending', 'delivered')`,
        sql`${jobSignals.queue} = any(${sql.param(storable)}::text[])`,
      ),
    )
    .orderBy(asc(jobSignals.createdAt), asc(jobSignals.id))
    .limit(limit);
}
