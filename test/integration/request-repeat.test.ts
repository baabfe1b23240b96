/**
 * A double click is never an error: a repeat of a cancel, pause or resume whose
 * same-kind signal completed moments ago (the job is cancelled, paused or running
 * again because of it) answers 200 with that signal, not 409. Real workers act.
 */
import type { Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { POST as postSignal } from '../../app/api/signals/route';
import { jobHistory } from '../../db/job-signals';
import { createSignalWorker } from '../../worker/toolkit';
import { startWorker } from '../e2e/processes';
import { fixtures, sleep, uniqueQueue, waitFor } from '../helpers';
import { answer, apiRequest, closeServices, useApiToken } from './api-client';

beforeAll(async () => {
  await useApiToken('support');
});
const fx = fixtures();
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close(true)));
});
afterAll(async () => {
  await fx.close();
  await closeServices();
});

const post = async (queue: string, jobId: string, signal: string) =>
  answer(await postSignal(apiRequest('POST', '/api/signals', { queue, jobId, signal })));

/** A worker whose jobs checkpoint every few ms for `steps` steps (endless by default). */
function serve(queue: string, concurrency = 1, stepMs = 3) {
  const w = createSignalWorker(
    queue,
    async (job, ctx) => {
      const steps = (job.data as { steps?: number }).steps ?? Number.POSITIVE_INFINITY;
      for (let i = (ctx.resumeState as { i?: number } | undefined)?.i ?? 0; i < steps; i++) {
        await ctx.checkpoint({ i });
        await sleep(stepMs);
      }
    },
    { concurrency },
  );
  workers.push(w);
  return w;
}

const settled = async (queue: string, jobId: string, signalId: number) =>
  waitFor(
    async () =>
      (await jobHistory(fx.db, queue, jobId)).find(
        (s) => s.id === signalId && s.status === 'completed',
      ),
    `signal ${signalId} completed`,
  );

describe('a repeat of a signal acted on moments ago', () => {
  it('cancel: the job is cancelled by the first; the second answers 200 with it', async () => {
    const q = uniqueQueue('repeat');
    serve(q);
    const job = await fx.add(q, 'loop', {});
    await waitFor(async () => (await job.getState()) === 'active', 'job active');
    const first = await post(q, String(job.id), 'cancel');
    expect(first.status).toBe(201);
    await settled(q, String(job.id), first.body.signal.id);
    await waitFor(async () => (await job.getState()) === 'failed', 'job cancelled');
    const again = await post(q, String(job.id), 'cancel');
    expect(again.status).toBe(200);
    expect(again.body.signal).toMatchObject({ id: first.body.signal.id, status: 'completed' });
    expect(await jobHistory(fx.db, q, String(job.id))).toHaveLength(1);
  });

  it('cancel of a queued job the first one removed: 200 with it, not 404', async () => {
    const q = uniqueQueue('repeat');
    serve(q);
    const job = await fx.add(q, 'later', {}, { delay: 3_600_000 });
    const first = await post(q, String(job.id), 'cancel');
    expect(first.status).toBe(201);
    await settled(q, String(job.id), first.body.signal.id);
    expect(await fx.queue(q).getJob(String(job.id))).toBeUndefined();
    const again = await post(q, String(job.id), 'cancel');
    expect(again.status).toBe(200);
    expect(again.body.signal).toMatchObject({
      id: first.body.signal.id,
      outcome: { action: 'removed' },
    });
  });

  it('pause, then resume: each repeat answers 200 with the signal that parked or restarted the job', async () => {
    const q = uniqueQueue('repeat');
    serve(q);
    const job = await fx.add(q, 'loop', {});
    const id = String(job.id);
    await waitFor(async () => (await job.getState()) === 'active', 'job active');
    const pause = await post(q, id, 'pause');
    expect(pause.status).toBe(201);
    await settled(q, id, pause.body.signal.id);
    const pauseAgain = await post(q, id, 'pause');
    expect(pauseAgain.status).toBe(200);
    expect(pauseAgain.body.signal).toMatchObject({ id: pause.body.signal.id, status: 'completed' });

    const resume = await post(q, id, 'resume');
    expect(resume.status).toBe(201);
    await settled(q, id, resume.body.signal.id);
    const resumeAgain = await post(q, id, 'resume');
    expect(resumeAgain.status).toBe(200);
    expect(resumeAgain.body.signal).toMatchObject({
      id: resume.body.signal.id,
      status: 'completed',
    });
    expect(await jobHistory(fx.db, q, id)).toHaveLength(2);
  });

  it('a request on a finished job that repeats nothing is still refused (409)', async () => {
    const q = uniqueQueue('repeat');
    serve(q);
    const job = await fx.add(q, 'short', { steps: 1 });
    await waitFor(async () => (await job.getState()) === 'completed', 'job completed');
    const r = await post(q, String(job.id), 'cancel');
    expect(r).toEqual({
      status: 409,
      body: { error: `Job ${job.id} has already completed; there is nothing to cancel.` },
    });
  });

  it('200 cancels on 100 running jobs (each twice, the second 0-500 ms later), then 100 more once all stopped: no 409, one row per job', async () => {
    const q = uniqueQueue('burst');
    // Two worker processes of their own, as in production: the requests here never wait
    // behind the jobs' checkpoints on this process's event loop.
    const env = {
      DATABASE_URL: process.env.DATABASE_URL as string,
      REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
      E2E_CONCURRENCY: '50',
    };
    const procs = await Promise.all([
      startWorker('repeat-burst-1', [q], env),
      startWorker('repeat-burst-2', [q], env),
    ]);
    try {
      const jobs = await fx.queue(q).addBulk(
        Array.from({ length: 100 }, (_, i) => ({
          name: 'loop',
          data: { steps: 1_000_000, stepMs: 25, i },
        })),
      );
      await waitFor(async () => (await fx.queue(q).getActiveCount()) === 100, 'all active', 30_000);
      // The second of each pair follows 0-500 ms later, as double clicks and retries do:
      // some land while the first is on its way, some after a worker cancelled the job.
      const answers = await Promise.all(
        jobs.flatMap((j, i) =>
          [0, i * 5].map(async (delay) => {
            if (delay > 0) await sleep(delay);
            return { jobId: String(j.id), ...(await post(q, String(j.id), 'cancel')) };
          }),
        ),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s !== 200 && s !== 201)).toEqual([]);
      expect(statuses.filter((s) => s === 201)).toHaveLength(100);
      for (const a of answers) expect(a.body.signal.jobId).toBe(a.jobId);
      await waitFor(
        async () => (await fx.queue(q).getFailedCount()) === 100,
        'all cancelled',
        30_000,
      );
      // Double clicks that come after the workers cancelled every job: the same answer.
      const late = await Promise.all(jobs.map((j) => post(q, String(j.id), 'cancel')));
      expect(late.map((a) => a.status).filter((s) => s !== 200)).toEqual([]);
      expect(late.every((a) => a.body.signal.status === 'completed')).toBe(true);
      const rows = await fx.sql<{ n: number }[]>`
        select count(*)::int as n from job_signals where queue = ${q} group by job_id`;
      expect(rows).toHaveLength(100);
      expect(rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      await Promise.all(procs.map((p) => p.stop()));
    }
  });
});
