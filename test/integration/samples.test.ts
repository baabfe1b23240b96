import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requestSignal } from '../../app/requests/request-signal';
import { jobHistory } from '../../db/job-signals';
import { seedRecipients, sendStats } from '../../db/samples';
import { startNewsletterWorker } from '../../worker/samples/newsletter';
import { startReportsWorker } from '../../worker/samples/reports';
import { startThumbnailsWorker } from '../../worker/samples/thumbnails';
import { fixtures, sleep, uniqueQueue, waitFor } from '../helpers';

const fx = fixtures();
const workers: Worker[] = [];
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signal-desk-samples-'));
  process.env.SIGNAL_DESK_DATA_DIR = dir;
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close(true)));
});
afterAll(() => fx.close());

const ask = (queue: string, jobId: string, signal: 'pause' | 'resume' | 'cancel') =>
  requestSignal(fx.deps, { queue, jobId, signal, requestedBy: 'tester' });
const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

describe('sample workers', () => {
  it('report export: cancel removes the partial file', async () => {
    const q = uniqueQueue('reports');
    workers.push(startReportsWorker({ queue: q }));
    const job = await fx.add(q, 'export', { pages: 200, pageMs: 20, title: 't' });
    const partial = join(dir, 'reports', `${job.id}.csv.partial`);
    await waitFor(() => exists(partial), 'partial file written');
    await ask(q, job.id!, 'cancel');
    await waitFor(async () => (await job.getState()) === 'failed', 'cancelled');
    expect(await exists(partial)).toBe(false);
    expect(await exists(join(dir, 'reports', `${job.id}.csv`))).toBe(false);
  });

  it('report export: pause and resume continue at the next page, with every page exactly once', async () => {
    const q = uniqueQueue('reports');
    workers.push(startReportsWorker({ queue: q }));
    const job = await fx.add(q, 'export', { pages: 40, pageMs: 15, title: 't' });
    await waitFor(
      async () => Number((await fx.queue(q).getJob(job.id!))?.progress) >= 10,
      'some pages',
    );
    await ask(q, job.id!, 'pause');
    await waitFor(async () => (await fx.queue(q).getJobState(job.id!)) === 'delayed', 'parked');
    await sleep(100);
    await ask(q, job.id!, 'resume');
    await waitFor(async () => (await job.getState()) === 'completed', 'completed');
    const csv = await readFile(join(dir, 'reports', `${job.id}.csv`), 'utf8');
    const pages = csv
      .trim()
      .split('\n')
      .map((l) => Number(l.split(',')[0]));
    expect(pages).toHaveLength(40 * 20);
    expect(new Set(pages).size).toBe(40);
    const logs = await fx.queue(q).getJobLogs(job.id!);
    expect(logs.logs.some((l) => l.startsWith('resuming at page'))).toBe(true);
  });

  it('thumbnails: cancel removes the output folder; a finished batch has every thumbnail', async () => {
    const q = uniqueQueue('thumbs');
    workers.push(startThumbnailsWorker({ queue: q }));
    const small = await fx.add(q, 'make', { images: 2, size: 64, thumb: 8, seed: 3 });
    await waitFor(async () => (await small.getState()) === 'completed', 'small batch done', 20_000);
    expect(await readdir(join(dir, 'thumbnails', small.id!))).toEqual(['0000.ppm', '0001.ppm']);
    const big = await fx.add(q, 'make', { images: 100, size: 64, thumb: 8, seed: 5 });
    await waitFor(
      async () => (await readdir(join(dir, 'thumbnails', big.id!)).catch(() => [])).length > 0,
      'some thumbnails',
    );
    await ask(q, big.id!, 'cancel');
    await waitFor(async () => (await big.getState()) === 'failed', 'cancelled');
    expect(await exists(join(dir, 'thumbnails', big.id!))).toBe(false);
  });

  it('newsletter: pause and resume never send a batch twice', async () => {
    const q = uniqueQueue('news');
    const list = `list-${q.slice(-8)}`;
    await seedRecipients(fx.db, list, 300);
    workers.push(startNewsletterWorker({ queue: q }));
    const job = await fx.add(q, 'send', {
      list,
      recipients: 300,
      issue: 'n',
      batchSize: 20,
      batchMs: 30,
    });
    await waitFor(async () => (await sendStats(fx.db, job.id!)).sent >= 60, 'some batches sent');
    await ask(q, job.id!, 'pause');
    await waitFor(async () => (await fx.queue(q).getJobState(job.id!)) === 'delayed', 'parked');
    const mid = await sendStats(fx.db, job.id!);
    await ask(q, job.id!, 'resume');
    await waitFor(async () => (await job.getState()) === 'completed', 'completed', 30_000);
    const end = await sendStats(fx.db, job.id!);
    expect(mid.sent).toBeLessThan(300);
    expect(end).toEqual({ sent: 300, duplicates: 0 });
    expect((await fx.queue(q).getJob(job.id!))?.returnvalue).toMatchObject({ sent: 300 });
    const history = await jobHistory(fx.db, q, job.id!);
    expect(history.map((s) => `${s.signal}:${s.status}`)).toEqual([
      'pause:completed',
      'resume:completed',
    ]);
  });
});
