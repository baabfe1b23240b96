import { and, count, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { likePattern } from './audit-list/filter';
import type { Database } from './client';
import { type JobSignal, jobRemovedCounts, jobSignals, removedJob } from './schema';
import { hasNul, storableKey } from './storable';

/**
 * Jobs a cancel removed from their queue before they started. Redis no longer
 * holds them; the completed cancel signal (outcome `removed`) is their record, so
 * the `cancelled` state lists and counts them from here (index job_signals_removed_jobs).
 */
export interface RemovedJobsFilter {
  queues: string[];
  /** Exact job name. */
  name?: string;
  /** Substring of the job id or name, case-insensitive. */
  search?: string;
}

const REMOVED = removedJob(jobSignals);

/** PostgreSQL text cannot hold U+0000: no signal has such a name or queue (and asking would fail). */
function unmatchable(f: RemovedJobsFilter): boolean {
  return [f.name, f.search, ...f.queues].some((v) => v !== undefined && hasNul(v));
}

function where(f: RemovedJobsFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [REMOVED, inArray(jobSignals.queue, f.queues)];
  if (f.name) parts.push(eq(jobSignals.jobName, f.name));
  if (f.search) {
    const p = sql`lower(${likePattern(f.search)})`;
    parts.push(
      or(sql`lower(${jobSignals.jobId}) like ${p}`, sql`lower(${jobSignals.jobName}) like ${p}`),
    );
  }
  return and(...parts);
}

export async function countRemovedJobs(db: Database, f: RemovedJobsFilter): Promise<number> {
  if (f.queues.length === 0 || unmatchable(f)) return 0;
  if (!f.name && !f.search) {
    let n = 0;
    for (const v of (await removedJobCounts(db, f.queues)).values()) n += v;
    return n;
  }
  const [row] = await db.select({ n: count() }).from(jobSignals).where(where(f));
  return row?.n ?? 0;
}

/** How many jobs a cancel removed, per queue (queues with none are absent): the trigger-kept rollup. */
export async function removedJobCounts(
  db: Database,
  queues: string[],
): Promise<Map<string, number>> {
  const storable = queues.filter(storableKey);
  if (storable.length === 0) return new Map();
  const rows = await db
    .select()
    .from(jobRemovedCounts)
    .where(inArray(jobRemovedCounts.queue, storable));
  return new Map(rows.filter((r) => r.n > 0).map((r) => [r.queue, r.n]));
}

/** One range of removed jobs' cancel signals, newest removal first (or oldest with `asc`). */
export function removedJobs(
  db: Database,
  f: RemovedJobsFilter & { order: 'asc' | 'desc'; offset: number; limit: number },
): Promise<JobSignal[]> {
  if (f.queues.length === 0 || f.limit <= 0 || unmatchable(f)) return Promise.resolve([]);
  // Spelled as the index is (DESC NULLS LAST, read backwards for ASC), so a page is an index range.
  const by = f.order === 'asc' ? sql`asc nulls first` : sql`desc nulls last`;
  return db
    .select()
    .from(jobSignals)
    .where(where(f))
    .orderBy(sql`${jobSignals.completedAt} ${by}`, sql`${jobSignals.id} ${by}`)
    .offset(f.offset)
    .limit(f.limit);
}
