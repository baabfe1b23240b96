import type { Worker } from 'bullmq';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { requestSignal } from '../../app/requests/request-signal';
import { jobHistory } from '../../db/job-signals';
import { readMarker } from '../../worker/marker';
import { createSignalWorker } from '../../worker/toolkit';
import { fixtures, sleep, uniqueQueue, waitFor } from '../helpers';

const fx = fixtures();
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close(true)));
});
afterAll(() => fx.close());

const ask = (queue: string, jobId: string, signal: 'pause' | 'resume' | 'cancel') =>
  requestSignal(fx.deps, { queue, jobId, signal, reason: `test ${signal}`, requestedBy: 'tester' });

/** Sums 0..n-1 one step at a time, checkpointing its progress; resumes where it stopped. */
const summer =
  (seen: { starts: unknown[]; dataSeen: unknown[] }) =>
  async (
    job: { data: { n: number } },
    ctx: { checkpoint(s: unknown): Promise<void>; resumeState: unknown },
  ) => {
    const saved = ctx.resumeState as { i: number; sum: number } | undefined;
    seen.starts.push(saved ?? null);
    seen.dataSeen.push(job.data);
    let { i, sum } = saved ?? { i: 0, sum: 0 };
    for (; i < job.data.n; i++) {
      await ctx.checkpoint({ i, sum });
      sum += i;
      await sleep(10);
    }
    return sum;
  };

describe('pause and resume', () => {
  it('pause parks a running job and frees the slot; resume finishes from the saved state', async () => {
    const q = uniqueQueue();
    const seen = { starts: [] as unknown[], dataSeen: [] as unknown[] };
    const w = createSignalWorker(q, summer(seen), { concurrency: 1 });
    workers.push(w);
    const job = await fx.add(q, 'sum', { n: 60 }, { attempts: 3 });
    await waitFor(async () => (await job.getState()) === 'active', 'job active');
    await sleep(100);
    expect((await ask(q, job.id!, 'pause')).ok).toBe(true);
    await waitFor(async () => (await fx.queue(q).getJobState(job.id!)) === 'delayed', 'job parked');

    // The slot is free: another job runs to completion while the first is parked.
    const other = await fx.add(q, 'sum', { n: 3 });
    await waitFor(async () => (await other.getState()) === 'completed', 'other job completed');

    const parked = await fx.queue(q).getJob(job.id!);
    const marker = readMarker(parked?.data);
    expect(marker?.paused?.signalId).toBeGreaterThan(0);
    const savedAt = (marker?.state as { i: number } | undefined)?.i ?? -1;
    expect(savedAt).toBeGreaterThan(0);
    expect(parked?.attemptsMade).toBe(0);
    const [pause] = await jobHistory(fx.db, q, job.id!);
    expect(pause).toMatchObject({ signal: 'pause', status: 'completed' });
    expect(pause?.outcome).toMatchObject({ action: 'parked', at: { i: savedAt } });

    // A second pause moments later is a repeat (a double click): it answers with the
    // pause that parked the job and writes nothing.
    const again = await ask(q, job.id!, 'pause');
    expect(again).toMatchObject({ ok: true, created: false, signal: { id: pause?.id } });

    expect((await ask(q, job.id!, 'resume')).ok).toBe(true);
    await waitFor(async () => (await job.getState()) === 'completed', 'resumed job completed');
    const done = await fx.queue(q).getJob(job.id!);
    expect(done?.returnvalue).toBe((60 * 59) / 2);
    expect(seen.starts[0]).toBeNull();
    expect(seen.starts.at(-1)).toMatchObject({ i: savedAt });
    // The processor never sees the marker.
    for (const d of seen.dataSeen) expect(d).toEqual({ n: expect.any(Number) });
    const history = await jobHistory(fx.db, q, job.id!);
    expect(history.map((s) => `${s.signal}:${s.status}`)).toEqual([
      'pause:completed',
      'resume:completed',
    ]);
    expect(history[1]?.outcome).toMatchObject({ action: 'resumed', from: { i: savedAt } });
    expect(history[1]?.workerId).toBe(history[0]?.workerId);
  });

  it('pause of a waiting job parks it before the processor runs; cancel removes it while paused', async () => {
    const q = uniqueQueue();
    const seen = { starts: [] as unknown[], dataSeen: [] as unknown[] };
    const job = await fx.add(q, 'sum', { n: 5 });
    expect((await ask(q, job.id!, 'pause')).ok).toBe(true);
    const w = createSignalWorker(q, summer(seen));
    workers.push(w);
    await waitFor(async () => (await fx.queue(q).getJobState(job.id!)) === 'delayed', 'parked');
    await waitFor(
      async () => (await jobHistory(fx.db, q, job.id!))[0]?.status === 'completed',
      'pause completed',
    );
    expect(seen.starts).toHaveLength(0);
    expect((await ask(q, job.id!, 'cancel')).ok).toBe(true);
    await waitFor(async () => !(await fx.queue(q).getJob(job.id!)), 'removed');
    // The worker records the cancel right after it removed the job.
    await waitFor(
      async () => (await jobHistory(fx.db, q, job.id!))[1]?.status === 'completed',
      'cancel recorded',
    );
    const history = await jobHistory(fx.db, q, job.id!);
    expect(history.map((s) => `${s.signal}:${s.status}`)).toEqual([
      'pause:completed',
      'cancel:completed',
    ]);
    expect(history[1]?.outcome).toMatchObject({
      action: 'removed',
      from: 'paused',
      jobName: 'sum',
      data: { n: 5 },
    });
  });

  it('pause of a delayed job parks it at once; resume puts it back to waiting', async () => {
    const q = uniqueQueue();
    const seen = { starts: [] as unknown[], dataSeen: [] as unknown[] };
    const job = await fx.add(q, 'sum', { n: 4 }, { delay: 60_000 });
    const w = createSignalWorker(q, summer(seen));
    workers.push(w);
    expect((await ask(q, job.id!, 'pause')).ok).toBe(true);
    await waitFor(
      async () => (await jobHistory(fx.db, q, job.id!))[0]?.status === 'completed',
      'pause completed',
    );
    const parked = await fx.queue(q).getJob(job.id!);
    expect(readMarker(parked?.data)?.paused).toBeTruthy();
    expect((parked?.delay ?? 0) > 60_000 * 10).toBe(true);
    expect((await ask(q, job.id!, 'resume')).ok).toBe(true);
    await waitFor(async () => (await job.getState()) === 'completed', 'completed after resume');
    expect(seen.starts).toEqual([null]);
  });

  it('resume before the pause reaches a checkpoint cancels the pause out', async () => {
    const q = uniqueQueue();
    const job = await fx.add(q, 'sum', { n: 3 });
    // No worker yet: the pause waits; the resume meets it.
    expect((await ask(q, job.id!, 'pause')).ok).toBe(true);
    expect((await ask(q, job.id!, 'resume')).ok).toBe(true);
    const seen = { starts: [] as unknown[], dataSeen: [] as unknown[] };
    const w = createSignalWorker(q, summer(seen));
    workers.push(w);
    await waitFor(async () => (await job.getState()) === 'completed', 'completed');
    const history = await jobHistory(fx.db, q, job.id!);
    expect(history.map((s) => `${s.signal}:${s.status}`)).toEqual([
      'pause:superseded',
      'resume:completed',
    ]);
    expect(history[0]?.outcome).toMatchObject({
      reason: 'resumed before the pause took effect',
      by: history[1]?.id,
    });
  });

  it('cancel beats pause on a running job', async () => {
    const q = uniqueQueue();
    const w = createSignalWorker(q, async (_job, ctx) => {
      for (;;) {
        await ctx.checkpoint({ t: Date.now() });
        await sleep(200);
      }
    });
    workers.push(w);
    const job = await fx.add(q, 'loop', {});
    await waitFor(async () => (await job.getState()) === 'active', 'active');
    await fx.sql.begin(async (tx) => {
      await tx`insert into job_signals (queue, job_id, job_name, signal, requested_by) values (${q}, ${job.id!}, 'loop', 'pause', 'sql'), (${q}, ${job.id!}, 'loop', 'cancel', 'sql')`;
      await tx`select pg_notify('job_signals', '')`;
    });
    await waitFor(async () => (await job.getState()) === 'failed', 'cancelled');
    const history = await jobHistory(fx.db, q, job.id!);
    expect(history.map((s) => `${s.signal}:${s.status}`)).toEqual([
      'pause:superseded',
      'cancel:completed',
    ]);
  });
});
