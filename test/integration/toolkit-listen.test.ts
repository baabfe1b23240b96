import type { Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requestSignal } from '../../app/requests/request-signal';
import { jobHistory } from '../../db/job-signals';
import { createSignalWorker, getSignalWatcher } from '../../worker/toolkit';
import { fixtures, ownDatabase, sleep, uniqueQueue, waitFor } from '../helpers';

// Polling is effectively off in this file: only LISTEN (and its reconnect) can deliver.
const POLL_MS = 10 * 60_000;
// This file closes its database to new connections for a while, so it gets one of its own:
// the files running beside it on the run's database are never locked out.
const own = ownDatabase('listen');
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

const admin = own.admin;
const dbName = () => own.name;

const loop = async (_job: unknown, ctx: { checkpoint(): Promise<void> }): Promise<void> => {
  for (;;) {
    await ctx.checkpoint();
    await sleep(5);
  }
};

describe('LISTEN delivery', () => {
  it('a notified request reaches the running job without any poll', async () => {
    const q = uniqueQueue();
    workers.push(createSignalWorker(q, loop, { pollMs: POLL_MS }));
    const job = await fx.add(q, 'loop', {});
    await waitFor(async () => (await job.getState()) === 'active', 'active');
    await sleep(50);
    await requestSignal(fx.deps, { queue: q, jobId: job.id!, signal: 'cancel', requestedBy: 't' });
    await waitFor(async () => (await job.getState()) === 'failed', 'cancelled', 5000);
  });

  it('a signal written while the LISTEN connection is down is acted on after it comes back', async () => {
    const q = uniqueQueue();
    workers.push(createSignalWorker(q, loop, { pollMs: POLL_MS }));
    const job = await fx.add(q, 'loop', {});
    await waitFor(async () => (await job.getState()) === 'active', 'active');
    const watcher = getSignalWatcher();
    await waitFor(() => watcher.isListening, 'listening');
    const connects = watcher.stats.listenConnects;
    const name = dbName();
    // Keep the listener out while we write: no new connections to this database.
    const adm = admin();
    await adm.unsafe(`alter database "${name}" allow_connections false`);
    try {
      await fx.sql`select pg_terminate_backend(pid) from pg_stat_activity
                   where datname = ${name} and application_name = 'signal-desk-listen'`;
      await waitFor(() => !watcher.isListening, 'listener down');
      await requestSignal(fx.deps, {
        queue: q,
        jobId: job.id!,
        signal: 'cancel',
        requestedBy: 't',
      });
      await sleep(300);
      // Still running: the notification went nowhere.
      expect(await job.getState()).toBe('active');
      expect((await jobHistory(fx.db, q, job.id!))[0]?.status).toBe('pending');
    } finally {
      await adm.unsafe(`alter database "${name}" allow_connections true`);
      await adm.end();
    }
    await waitFor(
      async () => (await job.getState()) === 'failed',
      'cancelled after reconnect',
      15_000,
    );
    expect(watcher.stats.listenConnects).toBeGreaterThan(connects);
    expect((await jobHistory(fx.db, q, job.id!))[0]?.status).toBe('completed');
  });
});
