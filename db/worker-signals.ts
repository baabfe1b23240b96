import { and, asc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Database } from './client';
import { type JobSignal, jobSignals } from './schema';
import { storableJson, storableKey } from './storable';
import { SIGNAL_CHANNEL, SIGNAL_EVENTS_CHANNEL, STALE_CLAIM_SECONDS } from './vocabulary';

/**
 * What worker processes read and write: the open signals of their queues, and
 * each step of a signal's lifecycle, one function per transition:
 *
 *   pending ──claim──▶ delivered ──complete──▶ completed
 *      ▲                  │  └────supersede──▶ superseded
 *      └────hand back─────┘
 *
 * Every transition is guarded by the status it leaves (a signal no longer open is
 * never touched) and announces itself on SIGNAL_EVENTS_CHANNEL for live views.
 */

const OPEN = sql`${jobSignals.status} in ('pending', 'delivered')`;

/** STALE_CLAIM_SECONDS, or SIGNAL_STALE_CLAIM_SECONDS when set (fault tests shorten it); read at call time. */
export function staleClaimSeconds(): number {
  const n = Number(process.env.SIGNAL_STALE_CLAIM_SECONDS);
  return Number.isFinite(n) && n > 0 ? n : STALE_CLAIM_SECONDS;
}

/** Open (pending or delivered) signals of the given queues, oldest first: the poll's read. */
export function openSignals(db: Database, queues: string[], limit = 1000): Promise<JobSignal[]> {
  const storable = queues.filter(storableKey);
  if (storable.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(jobSignals)
    .where(and(OPEN, inArray(jobSignals.queue, storable)))
    .orderBy(asc(jobSignals.createdAt), asc(jobSignals.id))
    .limit(limit);
}

/** The one notify helper: live views hear which signals changed, and in which queues. */
async function announce(db: Database, rows: { id: number | string; queue: string }[]) {
  if (rows.length === 0) return;
  const payload = JSON.stringify({
    ids: rows.slice(0, 50).map((r) => Number(r.id)),
    queues: [...new Set(rows.map((r) => r.queue))],
  });
  await db.execute(sql`select pg_notify(${SIGNAL_EVENTS_CHANNEL}, ${payload})`);
}

/**
 * pending → delivered: this worker process takes signals on. The process that
 * holds the running job (`holder`) takes every open one, whoever claimed it before;
 * a process acting on a job that nobody holds claims only pending signals and
 * claims gone stale (delivered more than staleClaimSeconds() ago). Atomic: of two
 * claimers, one gets each row. Returns the rows this process got.
 */
export async function claimSignals(
  db: Database,
  ids: number[],
  workerId: string,
  { holder }: { holder: boolean },
): Promise<JobSignal[]> {
  if (ids.length === 0) return [];
  const claimable = holder
    ? OPEN
    : or(
        eq(jobSignals.status, 'pending'),
        and(
          eq(jobSignals.status, 'delivered'),
          lt(jobSignals.deliveredAt, sql`now() - make_interval(secs => ${staleClaimSeconds()})`),
        ),
      );
  const rows = await db
    .update(jobSignals)
    .set({
      status: 'delivered',
      workerId,
      deliveredAt: holder ? sql`coalesce(${jobSignals.deliveredAt}, now())` : sql`now()`,
    })
    .where(and(inArray(jobSignals.id, ids), claimable))
    .returning();
  await announce(db, rows);
  return rows;
}

export interface SignalFinish {
  id: number;
  status: 'completed' | 'superseded';
  outcome: Record<string, unknown>;
}

/**
 * open → completed or superseded, each signal with its own outcome, in one
 * statement. With a `workerId` the signal records that process as the one that
 * acted. No-op for signals no longer open.
 */
export async function finishSignals(
  db: Database,
  workerId: string | null,
  items: SignalFinish[],
): Promise<{ id: number; queue: string }[]> {
  if (items.length === 0) return [];
  const payload = JSON.stringify(storableJson(items));
  const rows = (await db.execute(sql`
    update job_signals s set
      status = v.status::signal_status,
      outcome = v.outcome,
      completed_at = now(),
      worker_id = coalesce(${workerId}::text, s.worker_id),
      delivered_at = case when ${workerId}::text is null then s.delivered_at else coalesce(s.delivered_at, now()) end
    from jsonb_to_recordset(${payload}::jsonb) as v(id bigint, status text, outcome jsonb)
    where s.id = v.id and s.status in ('pending', 'delivered')
    returning s.id, s.queue`)) as unknown as { id: number | string; queue: string }[];
  await announce(db, rows);
  return rows.map((r) => ({ id: Number(r.id), queue: r.queue }));
}

/** The worker acted: records when, who and what it did. */
export function completeSignals(
  db: Database,
  ids: number[],
  workerId: string,
  outcome: Record<string, unknown>,
) {
  return finishSignals(
    db,
    workerId,
    ids.map((id) => ({ id, status: 'completed', outcome })),
  );
}

/** There was nothing to act on; `outcome.reason` says why. */
export function supersedeSignals(
  db: Database,
  ids: number[],
  workerId: string | null,
  outcome: Record<string, unknown> & { reason: string },
) {
  return finishSignals(
    db,
    workerId,
    ids.map((id) => ({ id, status: 'superseded', outcome })),
  );
}

/**
 * delivered → pending: this process could not act (the job was grabbed meanwhile,
 * or failed on its own) and wakes the other workers to look again.
 */
export async function handBackSignals(
  db: Database,
  ids: number[],
  workerId: string,
): Promise<number> {
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
