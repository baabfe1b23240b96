import { afterAll, describe, expect, it } from 'vitest';
import { readMarker } from '../../worker/marker';
import { createSignalWorker, getSignalWatcher } from '../../worker/toolkit';
import { fixtures, sleep, uniqueQueue, waitFor } from '../helpers';

const fx = fixtures();
afterAll(() => fx.close());

describe('shutdown', () => {
  it('draining hands a running job back to waiting at its next checkpoint; another worker resumes it', async () => {
    const q = uniqueQueue('drain');
    const starts: unknown[] = [];
    const processor = async (
      job: { data: { n: number } },
      ctx: { checkpoint(s: unknown): Promise<void>; resumeState: unknown },
    ) => {
      const saved = ctx.resumeState as { i: number; sum: number } | undefined;
      starts.push(saved ?? null);
      let { i, sum } = saved ?? { i: 0, sum: 0 };
      for (; i < job.data.n; i++) {
        await ctx.checkpoint({ i, sum });
        sum += i;
        await sleep(10);
      }
      return sum;
    };
    const first = createSignalWorker(q, processor);
    const job = await fx.add(q, 'sum', { n: 300 }, { attempts: 1 });
    await waitFor(
      async () => Number((await fx.queue(q).getJob(job.id!))?.processedOn) > 0,
      'started',
    );
    await sleep(200);
    getSignalWatcher().drain();
    const t0 = Date.now();
    await first.close();
    const closeMs = Date.now() - t0;
    expect(closeMs).toBeLessThan(2000);
    const back = await fx.queue(q).getJob(job.id!);
    expect(await back?.getState()).toBe('waiting');
    expect(back?.attemptsMade).toBe(0);
    const saved = readMarker(back?.data)?.state as { i: number } | undefined;
    expect(saved?.i).toBeGreaterThan(0);

    const second = createSignalWorker(q, processor);
    try {
      await waitFor(
        async () => (await job.getState()) === 'completed',
        'completed on the second worker',
        20_000,
      );
      const done = await fx.queue(q).getJob(job.id!);
      expect(done?.returnvalue).toBe((300 * 299) / 2);
      expect(starts).toHaveLength(2);
      expect(starts[1]).toMatchObject({ i: saved?.i });
    } finally {
      await second.close(true);
    }
  });
});
