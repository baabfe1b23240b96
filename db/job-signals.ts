import { and, asc, desc, eq, or, sql } from 'drizzle-orm';
import type { Database } from './client';
import { type JobSignal, jobSignals } from './schema';
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

/** The newest signal of each given job, by jobKey (for job lists). */
export async function latestSignals(db: Database, jobs: JobRef[]): Promise<Map<string, JobSignal>> {
  const out = new Map<string, JobSignal>();
  const storable = jobs.filter(storableRef);
  if (storable.length === 0) return out;
  const rows = await db
    .selectDistinctOn([jobSignals.queue, jobSignals.jobId])
    .from(jobSignals)
    .where(
      or(...storable.map((j) => and(eq(jobSignals.queue, j.queue), eq(jobSignals.jobId, j.jobId)))),
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
