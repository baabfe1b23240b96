/**
 * GET /api/follow: what a page re-reads of the signals and operations it asked for:
 * each signal with its job's row as it is now, and why it waits when it is late.
 */
import { Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GET as getFollow } from '../../app/api/follow/route';
import { POST as postBulk } from '../../app/api/signals/bulk/route';
import { POST as postSignal } from '../../app/api/signals/route';
import { jobSignals, workerHeartbeats } from '../../db/schema';
import { workerConnection } from '../../worker/config';
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

const follow = async (qs: string) =>
  answer(await getFollow(apiRequest('GET', `/api/follow?${qs}`)));
const signal = async (queue: string, jobId: string, kind = 'cancel') =>
  (
    await answer(
      await postSignal(apiRequest('POST', '/api/signals', { queue, jobId, signal: kind })),
    )
  ).body.signal as { id: number };

describe('GET /api/follow', () => {
  it('a signal nothing serves: its row as it is, and "no worker" at once', async () => {
    const q = uniqueQueue('follow');
    const job = await fx.add(q, 'send-invoice', {});
    const s = await signal(q, String(job.id));
    const r = await follow(`signals=${s.id}`);
    expect(r.status).toBe(200);
    expect(r.body.operations).toEqual([]);
    expect(r.body.signals).toHaveLength(1);
    const [f] = r.body.signals;
    expect(f).toMatchObject({
      queue: q,
      jobId: String(job.id),
      signal: { id: s.id, status: 'pending', wait: { why: 'no-worker' } },
      row: {
        id: String(job.id),
        state: 'waiting',
        workers: 0,
        latestSignal: { id: s.id, wait: { why: 'no-worker' } },
      },
    });
  });

  it('a job a cancel removed from Redis is still shown, rebuilt as cancelled', async () => {
    const q = uniqueQueue('follow');
    const job = await fx.add(q, 'send-invoice', { n: 1 });
    const s = await signal(q, String(job.id));
    await job.remove();
    await fx.db
      .update(jobSignals)
      .set({
        status: 'completed',
        completedAt: new Date(),
        outcome: { action: 'removed', jobName: 'send-invoice' },
      })
      .where(eq(jobSignals.id, s.id));
    const [f] = (await follow(`signals=${s.id}`)).body.signals;
    expect(f.signal).toMatchObject({ status: 'completed', wait: null });
    expect(f.row).toMatchObject({ state: 'cancelled', actions: [] });
  });

  it('the worker holding a running job stopped heartbeating: said, with its name', async () => {
    const q = uniqueQueue('follow');
    const holder = `gone-${q}`;
    // A plain BullMQ worker named like a Signal Desk one that beat a minute ago, then fell silent.
    const w = new Worker(q, () => sleep(60_000), { connection: workerConnection(), name: holder });
    workers.push(w);
    await fx.db.insert(workerHeartbeats).values({
      workerId: holder,
      queue: q,
      hostname: 'h',
      pid: 1,
      lastSeenAt: new Date(Date.now() - 60_000),
    });
    const job = await fx.add(q, 'long', {});
    await waitFor(async () => (await job.getState()) === 'active', 'job active');
    const s = await signal(q, String(job.id));
    const [f] = (await follow(`signals=${s.id}`)).body.signals;
    expect(f.signal.wait).toMatchObject({ why: 'holder-gone', workerId: holder });
    expect(f.signal.wait.silentMs).toBeGreaterThanOrEqual(59_000);
  });

  it('operations: their progress; unknown ids are left out', async () => {
    const q = uniqueQueue('follow');
    const a = await fx.add(q, 'x', {});
    const op = (
      await answer(
        await postBulk(
          apiRequest('POST', '/api/signals/bulk', { queue: q, signal: 'cancel', jobIds: [a.id] }),
        ),
      )
    ).body.operationId as number;
    const r = await follow(`operations=${op},999999999&signals=999999999`);
    expect(r.status).toBe(200);
    expect(r.body.signals).toEqual([]);
    expect(r.body.operations).toHaveLength(1);
    expect(r.body.operations[0]).toMatchObject({
      operation: { id: op, queue: q, jobCount: 1 },
      written: 1,
      open: 1,
    });
  });

  it('400 for bad ids, too many, or an unknown parameter', async () => {
    expect(await follow('signals=1,x')).toEqual({
      status: 400,
      body: { error: 'signals takes positive whole numbers, comma-separated; got "x".' },
    });
    const many = Array.from({ length: 51 }, (_, i) => i + 1).join(',');
    expect(await follow(`signals=${many}`)).toEqual({
      status: 400,
      body: { error: 'At most 50 signals at once.' },
    });
    expect(await follow('jobs=1')).toEqual({
      status: 400,
      body: { error: 'Unknown query parameter: jobs. Known: signals, operations.' },
    });
  });
});
