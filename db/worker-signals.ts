import { and, asc, eq, gt, lt, or, sql } from 'drizzle-orm';
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

/**
 * Open (pending or delivered) signals of the given queues with an id above
 * `afterId`, in id order, at most `limit`: one page of the poll's full read (from
 * 0), or what changed since a notification (from the id it names). Reads the
 * partial index job_signals_open_by_id.
 */
export function openSignalsAfter(
  db: Database,
  queues: string[],
  afterId = 0,
  limit = 1000,
): Promise<JobSignal[]> {
  const storable = queues.filter(storableKey);
  if (storable.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(jobSignals)
    .where(
      and(
        OPEN,
        sql`${jobSignals.queue} = any(${sql.param(storable)}::text[])`,
        gt(jobSignals.id, afterId),
      ),
    )
    .orderBy(asc(jobSignals.id))
    .limit(limit);
}

/** One signal by id, whatever its status (undefined: no such row). */
export async function signalById(db: Database, id: number): Promise<JobSignal | undefined> {
  const [row] = await db.select().from(jobSignals).where(eq(jobSignals.id, id)).limit(1);
  return row;
}

/** The first `limit` open signals of the given queues, in id order (tests, tools). */
export function openSignals(db: Database, queues: string[], limit = 1000): Promise<JobSignal[]> {
  return openSignalsAfter(db, queues, 0, limit);
}

/** `id = any($1)`: one array parameter, however many ids (a bulk run claims 10,000). */
const idIn = (ids: number[]) => sql`${jobSignals.id} = any(${sql.param(ids)}::bigint[])`;

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
 * a process acting on a job that nobody holds claims only pending signals, its own
 * earlier claims and claims gone stale (delivered more than staleClaimSeconds() ago). Atomic: of two
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
          or(
            // Its own earlier claim (an action that failed, a record PostgreSQL missed).
            eq(jobSignals.workerId, workerId),
            lt(jobSignals.deliveredAt, sql`now() - make_interval(secs => ${staleClaimSeconds()})`),
          ),
        ),
      );
  const rows = await db
    .update(jobSignals)
    .set({
      status: 'delivered',
      workerId,
      deliveredAt: holder ? sql`coalesce(${jobSignals.deliveredAt}, now())` : sql`now()`,
    })
    .where(and(idIn(ids), claimable))
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
 * or failed on its own, or the process shuts down). With `notify`, the workers
 * hear it at once (the payload names the queues and the smallest id, as the
 * insert trigger's does); without, the next poll finds them.
 */
export async function handBackSignals(
  db: Database,
  ids: number[],
  workerId: string,
  { notify = true }: { notify?: boolean } = {},
): Promise<number> {
  if (ids.length === 0) return 0;
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(jobSignals)
      .set({ status: 'pending', workerId: null, deliveredAt: null })
      .where(and(idIn(ids), eq(jobSignals.status, 'delivered'), eq(jobSignals.workerId, workerId)))
      .returning({ id: jobSignals.id, queue: jobSignals.queue });
    if (notify && rows.length > 0) {
      const hint = {
        queues: [...new Set(rows.map((r) => r.queue))],
        minId: Math.min(...rows.map((r) => r.id)),
      };
      await tx.execute(sql`select pg_notify(${SIGNAL_CHANNEL}, ${JSON.stringify(hint)})`);
    }
    return rows.length;
  });
}
