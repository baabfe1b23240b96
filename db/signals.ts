import { and, asc, desc, eq, gt, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { Database } from './client';
import { type JobSignal, jobSignals, type SignalKind, workerHeartbeats } from './schema';

/** Channel that carries new requests; any notification means "read the open signals again". */
export const SIGNAL_CHANNEL = 'job_signals';
/** Channel that carries worker-side changes (delivered, completed, superseded) for live views. */
export const SIGNAL_EVENTS_CHANNEL = 'job_signal_events';
/** A claim older than this on a job that no worker holds may be claimed again. */
export const STALE_CLAIM_SECONDS = 30;

/** STALE_CLAIM_SECONDS, or SIGNAL_STALE_CLAIM_SECONDS when set (fault tests shorten it); read at call time. */
export function staleClaimSeconds(): number {
  const n = Number(process.env.SIGNAL_STALE_CLAIM_SECONDS);
  return Number.isFinite(n) && n > 0 ? n : STALE_CLAIM_SECONDS;
}

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

const keyOf = (queue: string, jobId: string, signal: string) =>
  `${queue}\u0000${jobId}\u0000${signal}`;

/** An open transaction of `Database`. */
type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Inserts requests and notifies the workers in one transaction: one notification,
 * however many rows. A request that meets an open signal of the same job and kind
 * returns that signal (the partial unique index decides, even under a race).
 */
export async function insertSignals(
  db: Database,
  rows: SignalRequestRow[],
): Promise<InsertedSignal[]> {
  if (rows.length === 0) return [];
  return db.transaction((tx) => insertIn(tx, rows));
}

/** insertSignals inside an open transaction. */
async function insertIn(tx: Tx, rows: SignalRequestRow[]): Promise<InsertedSignal[]> {
  // Columns travel as six array parameters (unnest), not six parameters per row:
  // a 5,000-row bulk request is one small statement instead of 30,000 parameters.
  const col = <T>(f: (r: SignalRequestRow) => T) => sql.param(rows.map(f));
  const ids = (await tx.execute(sql`
    insert into job_signals (queue, job_id, job_name, signal, reason, requested_by)
    select * from unnest(${col((r) => r.queue)}::text[], ${col((r) => r.jobId)}::text[],
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
    byKey.set(keyOf(s.queue, s.jobId, s.signal), { signal: s, created: true });
  const missing = rows.filter((r) => !byKey.has(keyOf(r.queue, r.jobId, r.signal)));
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
      byKey.set(keyOf(s.queue, s.jobId, s.signal), { signal: s, created: false });
  }
  if (inserted.length > 0) {
    const queues = [...new Set(inserted.map((s) => s.queue))];
    await tx.execute(sql`select pg_notify(${SIGNAL_CHANNEL}, ${JSON.stringify({ queues })})`);
  }
  const out: InsertedSignal[] = [];
  for (const r of rows) {
    const hit = byKey.get(keyOf(r.queue, r.jobId, r.signal));
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

/** Every signal of one job, oldest first. */
export function jobHistory(db: Database, queue: string, jobId: string): Promise<JobSignal[]> {
  return db
    .select()
    .from(jobSignals)
    .where(and(eq(jobSignals.queue, queue), eq(jobSignals.jobId, jobId)))
    .orderBy(asc(jobSignals.createdAt), asc(jobSignals.id));
}

/** Open (pending or delivered) signals of the given queues, oldest first. */
export function openSignals(db: Database, queues: string[], limit = 1000): Promise<JobSignal[]> {
  if (queues.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(jobSignals)
    .where(and(OPEN, inArray(jobSignals.queue, queues)))
    .orderBy(asc(jobSignals.createdAt), asc(jobSignals.id))
    .limit(limit);
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
 * PostgreSQL text cannot hold U+0000, so no row has such a queue or job id; asking
 * for one would fail the whole query (BullMQ accepts such ids from any app).
 */
const storableKey = (s: string) => !s.includes('\u0000');

/** The newest signal of each given job (for job lists). */
export async function latestSignals(
  db: Database,
  jobs: { queue: string; jobId: string }[],
): Promise<Map<string, JobSignal>> {
  const out = new Map<string, JobSignal>();
  const storable = jobs.filter((j) => storableKey(j.queue) && storableKey(j.jobId));
  if (storable.length === 0) return out;
  const rows = await db
    .selectDistinctOn([jobSignals.queue, jobSignals.jobId])
    .from(jobSignals)
    .where(
      or(...storable.map((j) => and(eq(jobSignals.queue, j.queue), eq(jobSignals.jobId, j.jobId)))),
    )
    .orderBy(jobSignals.queue, jobSignals.jobId, desc(jobSignals.createdAt), desc(jobSignals.id));
  for (const r of rows) out.set(`${r.queue}\u0000${r.jobId}`, r);
  return out;
}

async function notifyEvents(db: Database, rows: JobSignal[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = JSON.stringify({
    ids: rows.slice(0, 50).map((r) => r.id),
    queues: [...new Set(rows.map((r) => r.queue))],
  });
  await db.execute(sql`select pg_notify(${SIGNAL_EVENTS_CHANNEL}, ${payload})`);
}

/**
 * The holder of a running job takes its open signals on: pending ones become
 * delivered, and delivered ones claimed by another process move to this one.
 */
export async function takeOver(
  db: Database,
  ids: number[],
  workerId: string,
): Promise<JobSignal[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .update(jobSignals)
    .set({
      status: 'delivered',
      workerId,
      deliveredAt: sql`coalesce(${jobSignals.deliveredAt}, now())`,
    })
    .where(and(inArray(jobSignals.id, ids), OPEN))
    .returning();
  await notifyEvents(db, rows);
  return rows;
}

/**
 * jsonb cannot hold U+0000: a job's data or a checkpoint state with a NUL in a
 * string (or a key) would fail the whole write. Such characters become U+FFFD.
 */
export function storableJson<T>(value: T): T {
  if (typeof value === 'string')
    return (value.includes('\u0000') ? value.replaceAll('\u0000', '\ufffd') : value) as T;
  if (Array.isArray(value)) return value.map((v) => storableJson(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    // defineProperty: a "__proto__" key stays a key, never a prototype.
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, storableJson(k), {
        value: storableJson(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out as T;
  }
  return value;
}

async function finish(
  db: Database,
  status: 'completed' | 'superseded',
  ids: number[],
  workerId: string | null,
  outcome: Record<string, unknown>,
): Promise<JobSignal[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .update(jobSignals)
    .set({
      status,
      outcome: storableJson(outcome),
      completedAt: sql`now()`,
      ...(workerId
        ? { workerId, deliveredAt: sql`coalesce(${jobSignals.deliveredAt}, now())` }
        : {}),
    })
    .where(and(inArray(jobSignals.id, ids), OPEN))
    .returning();
  await notifyEvents(db, rows);
  return rows;
}

/** The worker acted: records when, who and what it did. No-op for a signal no longer open. */
export async function completeSignals(
  db: Database,
  ids: number[],
  workerId: string,
  outcome: Record<string, unknown>,
): Promise<JobSignal[]> {
  return finish(db, 'completed', ids, workerId, outcome);
}

/** There was nothing to act on; `outcome.reason` says why. No-op for a signal no longer open. */
export async function supersedeSignals(
  db: Database,
  ids: number[],
  workerId: string | null,
  outcome: Record<string, unknown> & { reason: string },
): Promise<JobSignal[]> {
  return finish(db, 'superseded', ids, workerId, outcome);
}

/** Records that a Signal Desk worker process serves these queues. */
export async function heartbeat(
  db: Database,
  worker: { workerId: string; hostname: string; pid: number },
  queues: string[],
): Promise<void> {
  if (queues.length === 0) return;
  await db
    .insert(workerHeartbeats)
    .values(queues.map((queue) => ({ ...worker, queue })))
    .onConflictDoUpdate({
      target: [workerHeartbeats.workerId, workerHeartbeats.queue],
      set: { lastSeenAt: sql`now()` },
    });
}

/** Queues served by a Signal Desk worker within the last `withinSeconds`. */
export async function servedQueues(db: Database, withinSeconds = 30): Promise<Map<string, number>> {
  const rows = await db
    .select({ queue: workerHeartbeats.queue, workers: sql<number>`count(*)::int` })
    .from(workerHeartbeats)
    .where(sql`${workerHeartbeats.lastSeenAt} > now() - make_interval(secs => ${withinSeconds})`)
    .groupBy(workerHeartbeats.queue);
  return new Map(rows.map((r) => [r.queue, r.workers]));
}

/** Open signals of many jobs of one queue. */
export function openSignalsForJobs(
  db: Database,
  queue: string,
  jobIds: string[],
): Promise<JobSignal[]> {
  return openSignalsForJobKeys(
    db,
    jobIds.map((jobId) => ({ queue, jobId })),
  );
}

export interface SignalFinish {
  id: number;
  status: 'completed' | 'superseded';
  outcome: Record<string, unknown>;
}

/**
 * Finishes many signals in one statement, each with its own outcome (bulk cancels
 * of queued jobs). No-op for signals no longer open.
 */
export async function finishMany(
  db: Database,
  workerId: string | null,
  items: SignalFinish[],
): Promise<JobSignal[]> {
  if (items.length === 0) return [];
  const payload = JSON.stringify(storableJson(items));
  const rows = await db.execute<{ id: number }>(sql`
    update job_signals s set
      status = v.status::signal_status,
      outcome = v.outcome,
      completed_at = now(),
      worker_id = coalesce(${workerId}::text, s.worker_id),
      delivered_at = case when ${workerId}::text is null then s.delivered_at else coalesce(s.delivered_at, now()) end
    from jsonb_to_recordset(${payload}::jsonb) as v(id bigint, status text, outcome jsonb)
    where s.id = v.id and s.status in ('pending', 'delivered')
    returning s.id, s.queue`);
  const list = rows as unknown as { id: number | string; queue: string }[];
  if (list.length > 0) {
    const evt = JSON.stringify({
      ids: list.slice(0, 50).map((r) => Number(r.id)),
      queues: [...new Set(list.map((r) => r.queue))],
    });
    await db.execute(sql`select pg_notify(${SIGNAL_EVENTS_CHANNEL}, ${evt})`);
  }
  return list as unknown as JobSignal[];
}

/** Claims many signals at once (see claimSignal). Returns the ones this worker got. */
export async function claimSignals(
  db: Database,
  ids: number[],
  workerId: string,
): Promise<JobSignal[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .update(jobSignals)
    .set({ status: 'delivered', workerId, deliveredAt: sql`now()` })
    .where(
      and(
        inArray(jobSignals.id, ids),
        or(
          eq(jobSignals.status, 'pending'),
          and(
            eq(jobSignals.status, 'delivered'),
            lt(jobSignals.deliveredAt, sql`now() - make_interval(secs => ${staleClaimSeconds()})`),
          ),
        ),
      ),
    )
    .returning();
  await notifyEvents(db, rows);
  return rows;
}

/** Hands many claims back (see handBack) and wakes the other workers to look again. */
export async function handBackMany(db: Database, ids: number[], workerId: string): Promise<number> {
  if (ids.length === 0) return 0;
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(jobSignals)
      .set({ status: 'pending', workerId: null, deliveredAt: null })
      .where(
        and(
          inArray(jobSignals.id, ids),
          eq(jobSignals.status, 'delivered'),
          eq(jobSignals.workerId, workerId),
        ),
      )
      .returning({ id: jobSignals.id, queue: jobSignals.queue });
    if (rows.length > 0) {
      const queues = [...new Set(rows.map((r) => r.queue))];
      await tx.execute(
        sql`select pg_notify(${SIGNAL_CHANNEL}, ${JSON.stringify({ queues, handedBack: true })})`,
      );
    }
    return rows.length;
  });
}

/** Open signals of many jobs, possibly of several queues (one query for a batch of starting jobs). */
export async function openSignalsForJobKeys(
  db: Database,
  keys: { queue: string; jobId: string }[],
): Promise<JobSignal[]> {
  const storable = keys.filter((k) => storableKey(k.queue) && storableKey(k.jobId));
  if (storable.length === 0) return [];
  const queues = [...new Set(storable.map((k) => k.queue))];
  const ids = [...new Set(storable.map((k) => k.jobId))];
  const wanted = new Set(storable.map((k) => `${k.queue}\u0000${k.jobId}`));
  // Arrays as single parameters: a bulk request over 10,000 jobs stays one small statement.
  const rows = await db
    .select()
    .from(jobSignals)
    .where(
      and(
        OPEN,
        sql`${jobSignals.queue} = any(${sql.param(queues)}::text[])`,
        sql`${jobSignals.jobId} = any(${sql.param(ids)}::text[])`,
      ),
    )
    .orderBy(asc(jobSignals.createdAt), asc(jobSignals.id));
  return rows.filter((r) => wanted.has(`${r.queue}\u0000${r.jobId}`));
}
