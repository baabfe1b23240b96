import type { Job, Worker } from 'bullmq';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { requestSignal } from '../../app/requests/request-signal';
import { jobHistory } from '../../db/job-signals';
import { createSignalWorker } from '../../worker/toolkit';
import { fixtures, sleep, uniqueQueue, waitFor } from '../helpers';

const fx = fixtures();
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close(true)));
});
afterAll(() => fx.close());

const cancel = (queue: string, jobId: string, reason = 'test') =>
  requestSignal(fx.deps, { queue, jobId, signal: 'cancel', reason, requestedBy: 'tester' });

describe('cancel', () => {
  it('cancel at checkpoint runs cleanup and never retries', async () => {
    const q = uniqueQueue();
    const cleaned: { id: string; state: unknown }[] = [];
    let runs = 0;
    const w = createSignalWorker(
      q,
      async (_job, ctx) => {
        runs++;
        for (let i = 0; ; i++) {
          await ctx.checkpoint({ step: i });
          await sleep(2);
        }
      },
      { onCancel: (job, info) => void cleaned.push({ id: String(job.id), state: info.state }) },
    );
    workers.push(w);
    const job = await fx.add(q, 'endless', { n: 1 }, { attempts: 3 });
    await waitFor(async () => (await job.getState()) === 'active', 'job active');
    const r = await cancel(q, job.id!, 'customer asked');
    expect(r.ok && r.created).toBe(true);
    await waitFor(async () => (await job.getState()) === 'failed', 'job failed');
    const done = await fx.queue(q).getJob(job.id!);
    expect(done?.failedReason).toBe('cancelled by tester: customer asked');
    expect(done?.attemptsMade).toBe(1);
    expect(runs).toBe(1);
    expect(cleaned).toHaveLength(1);
    expect(cleaned[0]?.id).toBe(job.id);
    const [signal] = await jobHistory(fx.db, q, job.id!);
    expect(signal?.status).toBe('completed');
    expect(signal?.workerId).toMatch(/:\d+:/);
    expect(signal?.deliveredAt).toBeInstanceOf(Date);
    expect(signal?.completedAt).toBeInstanceOf(Date);
    expect(signal?.outcome).toMatchObject({
      action: 'cancelled',
      during: 'checkpoint',
      cleanup: 'ok',
    });
    expect(
      (signal?.outcome as { at: { step: number } } | undefined)?.at.step,
    ).toBeGreaterThanOrEqual(0);
  });

  it('cancel aborts in-flight work through the AbortSignal before the next checkpoint', async () => {
    const q = uniqueQueue();
    let abortedAfterMs = -1;
    let reachedSecondCheckpoint = false;
    const w = createSignalWorker(q, async (_job, ctx) => {
      await ctx.checkpoint();
      const started = Date.now();
      // A minute-long "download" that only the AbortSignal can stop.
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, 60_000);
        ctx.abortSignal.addEventListener('abort', () => {
          clearTimeout(t);
          abortedAfterMs = Date.now() - started;
          reject(new Error('download aborted'));
        });
      });
      reachedSecondCheckpoint = true;
      await ctx.checkpoint();
    });
    workers.push(w);
    const job = await fx.add(q, 'download', { url: 'x' }, { attempts: 3 });
    await waitFor(async () => (await job.getState()) === 'active', 'job active');
    await sleep(50);
    await cancel(q, job.id!);
    await waitFor(async () => (await job.getState()) === 'failed', 'job failed');
    expect(abortedAfterMs).toBeGreaterThanOrEqual(0);
    expect(abortedAfterMs).toBeLessThan(60_000);
    expect(reachedSecondCheckpoint).toBe(false);
    const done = await fx.queue(q).getJob(job.id!);
    expect(done?.failedReason).toMatch(/^cancelled/);
    expect(done?.attemptsMade).toBe(1);
    const [signal] = await jobHistory(fx.db, q, job.id!);
    expect(signal?.status).toBe('completed');
    expect(signal?.outcome).toMatchObject({ action: 'cancelled', during: 'abort' });
  });

  it('cancel of a queued job removes it before it ever runs', async () => {
    const q = uniqueQueue();
    let ran = 0;
    const job = await fx.add(q, 'send-invoice', { invoice: 7, to: 'a@example.com' });
    const w = createSignalWorker(q, async () => void ran++, { autorun: false });
    workers.push(w);
    const r = await cancel(q, job.id!, 'duplicate');
    expect(r.ok).toBe(true);
    await waitFor(
      async () => (await jobHistory(fx.db, q, job.id!))[0]?.status === 'completed',
      'signal completed',
    );
    expect(await fx.queue(q).getJob(job.id!)).toBeUndefined();
    w.run();
    await sleep(200);
    expect(ran).toBe(0);
    const [signal] = await jobHistory(fx.db, q, job.id!);
    expect(signal?.outcome).toMatchObject({
      action: 'removed',
      from: 'waiting',
      jobName: 'send-invoice',
      data: { invoice: 7, to: 'a@example.com' },
    });
    expect(signal?.workerId).toBeTruthy();
  });

  it('cancel racing a worker that takes the job: cancelled exactly once, never completes', async () => {
    for (let round = 0; round < 5; round++) {
      const q = uniqueQueue('race');
      let completed = 0;
      let cleanups = 0;
      const job = await fx.add(q, 'race', { round });
      const w = createSignalWorker(
        q,
        async (_job: Job, ctx) => {
          for (let i = 0; i < 50; i++) {
            await ctx.checkpoint({ i });
            await sleep(5);
          }
          completed++;
        },
        { onCancel: () => void cleanups++ },
      );
      workers.push(w);
      // Request while the worker is starting: it may win the job or the claimer may remove it.
      await sleep(round * 3);
      await cancel(q, job.id!);
      await waitFor(
        async () => (await jobHistory(fx.db, q, job.id!))[0]?.status === 'completed',
        'signal completed',
      );
      await sleep(100);
      expect(completed).toBe(0);
      expect(cleanups).toBeLessThanOrEqual(1);
      const state = await fx.queue(q).getJobState(job.id!);
      expect(['failed', 'unknown']).toContain(state);
      const rows = await jobHistory(fx.db, q, job.id!);
      expect(rows).toHaveLength(1);
    }
  });

  it('a signal for a job that completed first is superseded', async () => {
    const q = uniqueQueue();
    const w = createSignalWorker(q, async () => 'done', { autorun: false });
    workers.push(w);
    const job = await fx.add(q, 'quick', {});
    // Written by SQL while the job waits (the API would accept it too), then the job completes.
    await fx.sql`insert into job_signals (queue, job_id, job_name, signal, requested_by) values (${q}, ${job.id!}, 'quick', 'pause', 'sql')`;
    const done = await fx.add(q, 'quick', {});
    w.run();
    await waitFor(async () => (await done.getState()) === 'completed', 'second job completed');
    await fx.sql`insert into job_signals (queue, job_id, job_name, signal, requested_by) values (${q}, ${done.id!}, 'quick', 'cancel', 'sql')`;
    await waitFor(
      async () => (await jobHistory(fx.db, q, done.id!))[0]?.status === 'superseded',
      'superseded',
    );
    const [row] = await jobHistory(fx.db, q, done.id!);
    expect(row?.outcome).toMatchObject({ reason: 'job completed first' });
  });
});

describe("BullMQ's own cancellation on a signal worker", () => {
  it('worker.cancelJob and cancelAllJobs fire ctx.abortSignal (read before or after), only for jobs it holds; no signal row is written', async () => {
    const q = uniqueQueue();
    const reasons = new Map<string, unknown>();
    const w = createSignalWorker(
      q,
      async (job, ctx) => {
        // The first job reads its AbortSignal at once, the others only once it fired.
        if (job.data.early) {
          const signal = ctx.abortSignal;
          const aborted = new Promise<void>((resolve) =>
            signal.addEventListener('abort', () => resolve()),
          );
          reasons.set(`${job.id}:listening`, true);
          await aborted;
        } else {
          while (!reasons.has(`${job.id}:polled`)) await sleep(5);
        }
        reasons.set(
          String(job.id),
          ctx.abortSignal.aborted ? ctx.abortSignal.reason : 'not aborted',
        );
        throw new Error('stopped by BullMQ cancellation');
      },
      { concurrency: 3 },
    );
    workers.push(w);
    const early = await fx.add(q, 'early', { early: true }, { attempts: 1 });
    const lateA = await fx.add(q, 'late', { early: false }, { attempts: 1 });
    const lateB = await fx.add(q, 'late', { early: false }, { attempts: 1 });
    for (const job of [early, lateA, lateB])
      await waitFor(async () => (await job.getState()) === 'active', `job ${job.id} active`);

    await waitFor(() => reasons.has(`${early.id}:listening`), 'the early job listening');
    expect(w.cancelJob('no-such-job', 'nothing')).toBe(false);
    expect(w.cancelJob(early.id!, 'stop this one')).toBe(true);
    await waitFor(() => reasons.has(early.id!), 'the early job saw its abort');
    expect(reasons.get(early.id!)).toBe('stop this one');

    w.cancelAllJobs('stop them all');
    reasons.set(`${lateA.id}:polled`, true);
    reasons.set(`${lateB.id}:polled`, true);
    await waitFor(() => reasons.has(lateA.id!) && reasons.has(lateB.id!), 'the late jobs ended');
    expect(reasons.get(lateA.id!)).toBe('stop them all');
    expect(reasons.get(lateB.id!)).toBe('stop them all');
    for (const job of [early, lateA, lateB]) {
      await waitFor(async () => (await job.getState()) === 'failed', `job ${job.id} failed`);
      expect(await jobHistory(fx.db, q, job.id!)).toEqual([]);
    }
  });
});
