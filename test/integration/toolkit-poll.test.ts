import type { Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jobHistory } from '../../db/job-signals';
import { createSignalWorker, getSignalWatcher } from '../../worker/toolkit';
import { fixtures, ownDatabase, sleep, uniqueQueue, waitFor } from '../helpers';

// This file's process polls every 300 ms; its inserts skip the notify trigger (a lost notification).
const POLL_MS = 300;
// A database of its own: no notification of the files running beside it reaches this one.
const own = ownDatabase('poll');
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

describe('poll path', () => {
  it('a row whose notification was lost is acted on by the poll', async () => {
    const q = uniqueQueue();
    const w = createSignalWorker(
      q,
      async (_job, ctx) => {
        for (;;) {
          await ctx.checkpoint();
          await sleep(5);
        }
      },
      { pollMs: POLL_MS },
    );
    workers.push(w);
    const before = getSignalWatcher().stats.notifications;
    const job = await fx.add(q, 'loop', {});
    await waitFor(async () => (await job.getState()) === 'active', 'active');
    // session_replication_role = replica skips triggers: the insert notifies nobody.
    await fx.sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`insert into job_signals (queue, job_id, job_name, signal, requested_by, reason)
               values (${q}, ${job.id!}, 'loop', 'cancel', 'psql', 'by hand')`;
    });
    await waitFor(async () => (await job.getState()) === 'failed', 'cancelled by poll');
    const [row] = await jobHistory(fx.db, q, job.id!);
    expect(row?.status).toBe('completed');
    expect(row?.reason).toBe('by hand');
    // No notification for this queue was involved.
    expect(getSignalWatcher().stats.notifications - before).toBe(0);
  });
});
