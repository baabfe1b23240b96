import { spawn } from 'node:child_process';
import type { Worker } from 'bullmq';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { requestSignal } from '../../app/requests/request-signal';
import { jobHistory } from '../../db/job-signals';
import { createSignalWorker } from '../../worker/toolkit';
import { fixtures, sleep, uniqueQueue, waitFor } from '../helpers';

const fx = fixtures();
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
});
afterAll(() => fx.close());

describe('worker death', () => {
  it('a worker killed with SIGKILL while holding a job with a pending cancel: the job is cancelled when picked up again', async () => {
    const q = uniqueQueue('crash');
    const job = await fx.add(q, 'long', { step: 1 }, { attempts: 3 });
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/kill-worker.ts', q], {
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    try {
      await waitFor(() => out.includes('ACTIVE'), 'child holds the job', 30_000);
      await requestSignal(fx.deps, {
        queue: q,
        jobId: job.id!,
        signal: 'cancel',
        requestedBy: 't',
      });
      // The child took the signal on (delivered) but sits in a step with no checkpoint.
      const delivered = await waitFor(
        async () => (await jobHistory(fx.db, q, job.id!)).find((s) => s.status === 'delivered'),
        'delivered to the child',
      );
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));

      let cleanups = 0;
      let completions = 0;
      const w = createSignalWorker(
        q,
        async (_job, ctx) => {
          await ctx.checkpoint();
          completions++;
        },
        { onCancel: () => void cleanups++, stalledInterval: 500, lockDuration: 1000 },
      );
      workers.push(w);
      await waitFor(
        async () => (await job.getState()) === 'failed',
        'cancelled after restart',
        30_000,
      );
      await sleep(100);
      const done = await fx.queue(q).getJob(job.id!);
      expect(done?.failedReason).toMatch(/^cancelled/);
      expect(completions).toBe(0);
      expect(cleanups).toBe(1);
      expect(out).not.toContain('COMPLETED');
      const [signal] = await jobHistory(fx.db, q, job.id!);
      expect(signal?.status).toBe('completed');
      expect(signal?.workerId).not.toBe(delivered.workerId);
      expect(signal?.outcome).toMatchObject({ action: 'cancelled', during: 'start' });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
