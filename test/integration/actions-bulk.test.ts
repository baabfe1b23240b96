import { Worker } from 'bullmq';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { countNamedJobsAction } from '../../app/actions/count-named-jobs';
import { requestBulkSignalsAction } from '../../app/actions/request-bulk-signals';
import { getScanGate, PER_CALLER, WAITING } from '../../app/bullmq/scan-gate';
import { jobHistory } from '../../db/job-signals';
import { workerConnection } from '../../worker/config';
import { fixtures, resetServices, uniqueQueue, waitFor } from '../helpers';
import { caller, signInAs } from './actions-helpers';

vi.mock('next/headers', () => ({ headers: async () => caller.headers }));

const fx = fixtures();
afterAll(async () => {
  await resetServices();
  await fx.close();
});
beforeEach(() => signInAs('ann@example.com', 'support'));

async function completedJob(queue: string) {
  const job = await fx.add(queue, 'short', {});
  const worker = new Worker(queue, async () => 1, { connection: workerConnection() });
  await waitFor(async () => (await job.getState()) === 'completed', 'job completed');
  await worker.close();
  return String(job.id);
}

describe('requestBulkSignalsAction', () => {
  it('one request for the selected jobs: says how many were requested, which were skipped and why', async () => {
    const q = uniqueQueue();
    const done = await completedJob(q);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(String((await fx.add(q, 'send-invoice', { i })).id));
    await requestBulkSignalsAction({ queue: q, signal: 'cancel', jobIds: [ids[0]] });
    const r = await requestBulkSignalsAction({
      queue: q,
      signal: 'cancel',
      reason: 'wrong batch',
      jobIds: [...ids, done, '999'],
    });
    expect(r).toEqual({
      ok: true,
      data: {
        operationId: expect.any(Number),
        jobCount: 5,
        requested: 3,
        existing: 1,
        workers: 0,
        skipped: [
          { jobId: done, reason: `Job ${done} has already completed; there is nothing to cancel.` },
          { jobId: '999', reason: `Job 999 does not exist in queue ${q}.` },
        ],
      },
    });
    const [row] = await jobHistory(fx.db, q, ids[2] as string);
    expect(row).toMatchObject({
      signal: 'cancel',
      reason: 'wrong batch',
      requestedBy: 'ann@example.com',
    });
  });

  it('cancels every queued and running job of one name, and counts them first', async () => {
    const q = uniqueQueue();
    for (let i = 0; i < 3; i++) await fx.add(q, 'send-invoice', { i });
    await fx.add(q, 'send-invoice', {}, { delay: 60_000 });
    await fx.add(q, 'other', {});
    expect(await countNamedJobsAction({ queue: q, name: 'send-invoice' })).toEqual({
      ok: true,
      data: { count: 4, workers: 0 },
    });
    expect(
      await requestBulkSignalsAction({ queue: q, signal: 'cancel', name: 'send-invoice' }),
    ).toMatchObject({
      ok: true,
      data: { requested: 4, existing: 0, skipped: [] },
    });
  });

  it('counting by name runs one scan per caller at a time; past the waiting places it is refused', async () => {
    const q = uniqueQueue();
    await fx.add(q, 'send-invoice', {});
    let release = () => {};
    const blocked = new Promise<void>((r) => {
      release = r;
    });
    const gate = getScanGate();
    const held = Array.from({ length: PER_CALLER + WAITING }, () =>
      gate.run('ann@example.com', () => blocked),
    );
    expect(await countNamedJobsAction({ queue: q, name: 'send-invoice' })).toEqual({
      ok: false,
      error:
        'You already have 3 searches of jobs running or waiting; wait for them to finish, or narrow this one to a queue and a state.',
    });
    signInAs('bob@example.com', 'support');
    expect(await countNamedJobsAction({ queue: q, name: 'send-invoice' })).toMatchObject({
      ok: true,
      data: { count: 1 },
    });
    release();
    await Promise.all(held);
  });

  it.each([
    [{ queue: 'q', signal: 'cancel' }, 'give exactly one of jobIds or name.'],
    [
      { queue: 'q', signal: 'cancel', jobIds: ['1'], name: 'x' },
      'give exactly one of jobIds or name.',
    ],
    [{ queue: 'q', signal: 'cancel', jobIds: [] }, 'jobIds: jobIds is empty.'],
    [
      { queue: 'q', signal: 'cancel', jobIds: Array.from({ length: 1001 }, (_, i) => String(i)) },
      'jobIds: at most 1000 jobIds.',
    ],
    [
      { queue: 'q', signal: 'stop', jobIds: ['1'] },
      'signal: signal must be one of cancel, pause, resume.',
    ],
    [
      { queue: 'q', signal: 'cancel', jobIds: ['1'], reason: 'é'.repeat(501) },
      'reason: reason is longer than 500 characters.',
    ],
  ])('refuses malformed input %#: %s', async (input, error) => {
    expect(await requestBulkSignalsAction(input)).toEqual({ ok: false, error });
  });

  it('refuses an unknown queue, for requests and counts', async () => {
    const q = uniqueQueue();
    expect(await requestBulkSignalsAction({ queue: q, signal: 'pause', jobIds: ['1'] })).toEqual({
      ok: false,
      error: `Queue ${q} does not exist.`,
    });
    expect(await countNamedJobsAction({ queue: q, name: 'x' })).toEqual({
      ok: false,
      error: `Queue ${q} does not exist.`,
    });
    expect(await countNamedJobsAction({ queue: q })).toEqual({
      ok: false,
      error: 'name: expected string, received undefined.',
    });
  });

  it('skips every job when none allows the signal', async () => {
    const q = uniqueQueue();
    const a = String((await fx.add(q, 'x', {})).id);
    expect(await requestBulkSignalsAction({ queue: q, signal: 'resume', jobIds: [a] })).toEqual({
      ok: true,
      data: {
        operationId: expect.any(Number),
        jobCount: 1,
        requested: 0,
        existing: 0,
        workers: 0,
        skipped: [
          {
            jobId: a,
            reason: `Job ${a} is not paused (it is waiting); only a paused job can be resumed.`,
          },
        ],
      },
    });
  });

  it('lets a viewer count but not cancel', async () => {
    const q = uniqueQueue();
    await fx.add(q, 'x', {});
    signInAs('vic@example.com', 'viewer');
    expect(await requestBulkSignalsAction({ queue: q, signal: 'cancel', name: 'x' })).toEqual({
      ok: false,
      error:
        'Your role (viewer) may not cancel, pause or resume jobs; ask an admin for the support role.',
    });
    expect(await countNamedJobsAction({ queue: q, name: 'x' })).toMatchObject({
      ok: true,
      data: { count: 1 },
    });
  });
});
