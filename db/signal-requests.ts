import { and, asc, desc, eq, gt, gte, or, sql } from 'drizzle-orm';
import type { Database } from './client';
import { type JobSignal, jobSignals } from './schema';
import { storableKey } from './storable';
import { jobKey, type SignalKind } from './vocabulary';

/**
 * What requesters (the dashboard's buttons, the REST API) write and read before
 * they write: new signals, at most one open per job and kind.
 */

const OPEN = sql`${jobSignals.status} in ('pending', 'delivered')`;

export interface SignalRequestRow {
  queue: string;
  jobId: string;
  jobName: string;
  signal: SignalKind;
  reason?: string | null;
  requestedBy: string;
}

export interface InsertedSignal {
  signal: JobSignal;
  /** False when an open signal of the same kind already existed and was returned instead. */
  created: boolean;
}

const requestKey = (queue: string, jobId: string, signal: string) =>
  `${jobKey(queue, jobId)}\u0000${signal}`;

/** An open transaction of `Database`. */
type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Inserts requests in one statement; the table's trigger notifies the workers once
 * for it (migration 0010), however many rows. A request that meets an open signal of the same job and kind
 * returns that signal (the partial unique index decides, even under a race).
 */
export async function insertSignals(
  db: Pick<Database, 'transaction'>,
  rows: SignalRequestRow[],
  /** The bulk operation the new rows belong to (db/operations.ts). */
  operationId: number | null = null,
): Promise<InsertedSignal[]> {
  if (rows.length === 0) return [];
  return db.transaction((tx) => insertIn(tx, rows, operationId));
}

/** insertSignals inside an open transaction. */
async function insertIn(
  tx: Tx,
  rows: SignalRequestRow[],
  operationId: number | null = null,
): Promise<InsertedSignal[]> {
  // Columns travel as six array parameters (unnest), not six parameters per row:
  // a 5,000-row bulk request is one small statement instead of 30,000 parameters.
  const col = <T>(f: (r: SignalRequestRow) => T) => sql.param(rows.map(f));
  const ids = (await tx.execute(sql`
    insert into job_signals (queue, job_id, job_name, signal, reason, requested_by, operation_id)
    select *, ${operationId}::bigint from unnest(${col((r) => r.queue)}::text[], ${col((r) => r.jobId)}::text[],
      ${col((r) => r.jobName)}::text[], ${col((r) => r.signal)}::signal_kind[],
      ${col((r) => r.reason ?? null)}::text[], ${col((r) => r.requestedBy)}::text[])
    on conflict (queue, job_id, signal) where status in ('pending', 'delivered') do nothing
    returning id`)) as unknown as { id: string | number }[];
  const inserted =
    ids.length > 0
      ? await tx
          .select()
          .from(jobSignals)
          .where(sql`${jobSignals.id} = any(${sql.param(ids.map((r) => Number(r.id)))}::bigint[])`)
      : [];
  const byKey = new Map<string, InsertedSignal>();
  for (const s of inserted)
    byKey.set(requestKey(s.queue, s.jobId, s.signal), { signal: s, created: true });
  const missing = rows.filter((r) => !byKey.has(requestKey(r.queue, r.jobId, r.signal)));
  if (missing.length > 0) {
    const m = <T>(f: (r: SignalRequestRow) => T) => sql.param(missing.map(f));
    // The open row we met may have been acted on (completed, superseded) before this
    // reads it; it is still the answer. So: the newest row of each key, open or not
    // (an open row is always the newest of its key).
    const existing = await tx
      .select()
      .from(jobSignals)
      .where(
        sql`(${jobSignals.queue}, ${jobSignals.jobId}, ${jobSignals.signal}) in (
          select * from unnest(${m((r) => r.queue)}::text[], ${m((r) => r.jobId)}::text[],
            ${m((r) => r.signal)}::signal_kind[]))`,
      )
      .orderBy(asc(jobSignals.id));
    for (const s of existing)
      byKey.set(requestKey(s.queue, s.jobId, s.signal), { signal: s, created: false });
  }
  const out: InsertedSignal[] = [];
  for (const r of rows) {
    const hit = byKey.get(requestKey(r.queue, r.jobId, r.signal));
    if (hit) out.push(hit);
  }
  return out;
}

/**
 * One request for one job, written at most once. Requests for the same job are
 * serialised (a transaction-scoped advisory lock); one that finds an open signal of
 * its kind, or for a cancel one that already completed on this run of the job
 * (created at or after `jobTimestamp`), or one of its kind written after the request
 * read the job's signals (id above `seenUpTo`, whatever its status now), returns it
 * instead of writing a second row. So two clicks at once get one row even when a
 * worker acts on the first between the second's checks and its insert.
 */
export function insertSignalOnce(
  db: Database,
  row: SignalRequestRow,
  jobTimestamp: number,
  seenUpTo?: number,
): Promise<InsertedSignal> {
  return db.transaction(async (tx) => {
    const lockKey = `job_signals:${row.queue}:${row.jobId}`;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`);
    const sameKind = and(
      eq(jobSignals.queue, row.queue),
      eq(jobSignals.jobId, row.jobId),
      eq(jobSignals.signal, row.signal),
    );
    const cancelled = and(
      eq(jobSignals.status, 'completed'),
      gte(jobSignals.createdAt, new Date(jobTimestamp)),
    );
    const [met] = await tx
      .select()
      .from(jobSignals)
      .where(
        and(
          sameKind,
          or(
            OPEN,
            row.signal === 'cancel' ? cancelled : undefined,
            // Written after this request looked (a duplicate click that a worker already acted on).
            seenUpTo === undefined ? undefined : gt(jobSignals.id, seenUpTo),
          ),
        ),
      )
      .orderBy(desc(jobSignals.id))
      .limit(1);
    if (met) return { signal: met, created: false };
    const [written] = await insertIn(tx, [row]);
    if (!written) throw new Error('insertSignalOnce wrote no row');
    return written;
  });
}

/**
 * What a request sees of one job before it checks the job's state: its open
 * signals (oldest first) and the id of its newest signal of any status (0: none).
 * One query. A signal with a higher id was written after this read, so a request
 * that then finds one of its own kind raced it (see insertSignalOnce's `seenUpTo`).
 */
export async function jobSignalsSeen(
  db: Database,
  queue: string,
  jobId: string,
): Promise<{ open: JobSignal[]; lastId: number }> {
  if (!storableKey(queue) || !storableKey(jobId)) return { open: [], lastId: 0 };
  const ofJob = and(eq(jobSignals.queue, queue), eq(jobSignals.jobId, jobId));
  const newest = db
    .select({ id: sql`max(${jobSignals.id})` })
    .from(jobSignals)
    .where(ofJob);
  const rows = await db
    .select({ signal: jobSignals, open: sql<boolean>`${OPEN}` })
    .from(jobSignals)
    .where(and(ofJob, or(OPEN, sql`${jobSignals.id} = (${newest})`)))
    .orderBy(asc(jobSignals.createdAt), asc(jobSignals.id));
  return {
    open: rows.filter((r) => r.open).map((r) => r.signal),
    lastId: rows.reduce((n, r) => Math.max(n, r.signal.id), 0),
  };
}

/**
 * The newest signal of one kind for one job, whatever its status: what a request
 * refused by the job's state checks for (a repeat of one acted on moments ago).
 */
export async function newestOfKind(
  db: Database,
  queue: string,
  jobId: string,
  signal: SignalKind,
): Promise<JobSignal | undefined> {
  if (!storableKey(queue) || !storableKey(jobId)) return undefined;
  const [row] = await db
    .select()
    .from(jobSignals)
    .where(
      and(eq(jobSignals.queue, queue), eq(jobSignals.jobId, jobId), eq(jobSignals.signal, signal)),
    )
    .orderBy(desc(jobSignals.createdAt), desc(jobSignals.id))
    .limit(1);
  return row;
}
