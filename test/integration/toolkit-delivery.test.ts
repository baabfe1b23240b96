import type { Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jobHistory } from '../../db/job-signals';
import { createSignalWorker, getSignalWatcher, type SignalWatcher } from '../../worker/toolkit';
import { fixtures, ownDatabase, sleep, uniqueQueue, waitFor } from '../helpers';

// The poll is an hour: whatever is acted on here came through a notification.
const POLL_MS = 3_600_000;
// A database of its own: only this file's inserts notify this file's watcher.
const own = ownDatabase('delivery');
const fx = fixtures();
const workers: Worker[] = [];
beforeAll(() => own.create());
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close(true)));
});
afterAll(async () => {
  await fx.close();
  await own.drop();
});

/** Waits until the watcher listens and no read is in flight (its counters then stand still). */
async function settled(watcher: SignalWatcher) {
  await waitFor(() => watcher.isListening && !watcher.busy, 'the watcher settled');
}

/** A deferred promise, for gates a test opens. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

/** Holds the watcher's notifications back until `release()`; `count` says how many came. */
function holdNotifications(watcher: SignalWatcher) {
  const target = watcher as unknown as { notified(payload: string): void };
  const original = target.notified.bind(watcher);
  const held: string[] = [];
  target.notified = (payload) => void held.push(payload);
  return {
    get count() {
      return held.length;
    },
    release() {
      target.notified = original;
      for (const p of held.splice(0)) original(p);
    },
  };
}

const insertCancel = (queue: string, jobId: string) =>
  fx.sql<{ id: string }[]>`insert into job_signals (queue, job_id, job_name, signal, requested_by)
    values (${queue}, ${jobId}, 'loop', 'cancel', 'psql') returning id`.then((r) =>
    Number(r[0]?.id),
  );

/** A worker whose jobs announce their start, wait at `before` and then checkpoint in a loop (or return). */
function loopWorker(
  queue: string,
  before: Promise<void>,
  started: (id: string) => void,
  loop = true,
) {
  const w = createSignalWorker(
    queue,
    async (job, ctx) => {
      started(String(job.id));
      await before;
      if (!loop) return 'done';
      for (;;) {
        await ctx.checkpoint();
        await sleep(5);
      }
    },
    { pollMs: POLL_MS, concurrency: 4 },
  );
  workers.push(w);
  return w;
}

describe('delivery through the insert trigger and the in-memory index', () => {
  it('a plain SQL insert (no pg_notify in it) reaches the running job without the poll', async () => {
    const q = uniqueQueue();
    const ready = gate();
    loopWorker(q, Promise.resolve(), () => ready.open());
    const job = await fx.add(q, 'loop', {});
    await ready.opened;
    await insertCancel(q, job.id!);
    await waitFor(async () => (await job.getState()) === 'failed', 'cancelled');
    const [row] = await jobHistory(fx.db, q, job.id!);
    expect(row).toMatchObject({ status: 'completed', outcome: { action: 'cancelled' } });
    expect(getSignalWatcher().stats.fullReads).toBeLessThanOrEqual(2); // start (+ LISTEN up)
  });

  it('a signal committed as the job starts, its notification held back, is acted on at the first checkpoint', async () => {
    const q = uniqueQueue();
    const firstCheckpoint = gate();
    const started = gate();
    loopWorker(q, firstCheckpoint.opened, () => started.open());
    const watcher = getSignalWatcher();
    const job = await fx.add(q, 'loop', {});
    await started.opened; // the job started: it saw no signal
    await settled(watcher);
    const hold = holdNotifications(watcher);
    const id = await insertCancel(q, job.id!);
    await waitFor(() => hold.count > 0, 'the notification arrived (and was held)');
    expect(watcher.index.get(id)).toBeUndefined();
    expect((await jobHistory(fx.db, q, job.id!))[0]?.status).toBe('pending');
    hold.release();
    await waitFor(() => watcher.index.get(id), 'the signal in the index');
    firstCheckpoint.open();
    await waitFor(async () => (await job.getState()) === 'failed', 'cancelled');
    const [row] = await jobHistory(fx.db, q, job.id!);
    expect(row).toMatchObject({
      status: 'completed',
      outcome: { action: 'cancelled', during: 'checkpoint' },
    });
    expect(
      (await job.getState()) === 'failed' && (await fx.queues.job(q, job.id!))?.attemptsMade,
    ).toBe(1);
  });

  it('a signal for a job that finished before its held-back notification arrived ends superseded', async () => {
    const q = uniqueQueue();
    const finish = gate();
    const started = gate();
    loopWorker(q, finish.opened, () => started.open(), false);
    const watcher = getSignalWatcher();
    const job = await fx.add(q, 'loop', {});
    await started.opened;
    await settled(watcher);
    const hold = holdNotifications(watcher);
    await insertCancel(q, job.id!);
    await waitFor(() => hold.count > 0, 'the notification arrived (and was held)');
    finish.open();
    await waitFor(async () => (await job.getState()) === 'completed', 'completed');
    hold.release();
    await waitFor(
      async () => (await jobHistory(fx.db, q, job.id!))[0]?.status === 'superseded',
      'superseded',
    );
    const [row] = await jobHistory(fx.db, q, job.id!);
    expect(row?.outcome).toMatchObject({ reason: 'job completed first', state: 'completed' });
  });

  it('a notification for another queue costs nothing; one for ours is one small read of what changed', async () => {
    const mine = uniqueQueue('mine');
    const ready = gate();
    loopWorker(mine, Promise.resolve(), () => ready.open());
    const watcher = getSignalWatcher();
    const job = await fx.add(mine, 'loop', {});
    await ready.opened;
    await settled(watcher);
    const s0 = { ...watcher.stats };
    await fx.sql`insert into job_signals (queue, job_id, job_name, signal, requested_by)
                 values (${uniqueQueue('other')}, '1', 'x', 'cancel', 'psql')`;
    await waitFor(() => watcher.stats.notifications > s0.notifications, 'notified');
    await sleep(50); // a read, had there been one, would have started by now
    expect(watcher.stats.ignored - s0.ignored).toBe(1);
    expect(watcher.stats.readStatements).toBe(s0.readStatements);

    const s1 = { ...watcher.stats };
    await insertCancel(mine, job.id!);
    await waitFor(async () => (await job.getState()) === 'failed', 'cancelled');
    expect(watcher.stats.changeReads - s1.changeReads).toBe(1);
    expect(watcher.stats.readStatements - s1.readStatements).toBe(1);
    expect(watcher.stats.fullReads).toBe(s1.fullReads);
  });

  it('a transaction that commits after one with higher ids is still read (the hint names its first id)', async () => {
    // Two queues (the per-day rollup row of one queue would make the second insert wait).
    const [q1, q2] = [uniqueQueue('early'), uniqueQueue('late')];
    const started = new Set<string>();
    loopWorker(q1, Promise.resolve(), (id) => void started.add(`1:${id}`));
    loopWorker(q2, Promise.resolve(), (id) => void started.add(`2:${id}`));
    const watcher = getSignalWatcher();
    const [early, late] = [await fx.add(q1, 'loop', {}), await fx.add(q2, 'loop', {})];
    await waitFor(() => started.size === 2, 'both running');
    await settled(watcher);
    // The first transaction takes the lower id and waits; the second commits first.
    const conn = await fx.sql.reserve();
    try {
      await conn`begin`;
      const [first] = await conn<{ id: string }[]>`insert into job_signals
        (queue, job_id, job_name, signal, requested_by)
        values (${q1}, ${early.id!}, 'loop', 'cancel', 'slow') returning id`;
      const secondId = await insertCancel(q2, late.id!);
      expect(secondId).toBeGreaterThan(Number(first?.id));
      await waitFor(async () => (await late.getState()) === 'failed', 'the later id acted on');
      expect(watcher.index.highWater).toBeGreaterThanOrEqual(secondId);
      await conn`commit`;
    } finally {
      conn.release();
    }
    await waitFor(async () => (await early.getState()) === 'failed', 'the earlier id acted on too');
    expect((await jobHistory(fx.db, q1, early.id!))[0]?.status).toBe('completed');
  });
});
