import { FlowProducer, UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { requestSignalAction } from '../../app/actions/request-signal';
import { jobHistory } from '../../db/job-signals';
import { workerConnection } from '../../worker/config';
import { MARKER_KEY, PARK_DELAY_MS } from '../../worker/marker';
import { fixtures, resetServices, uniqueQueue, waitFor } from '../helpers';
import { caller, signInAs } from './actions-helpers';

vi.mock('next/headers', () => ({ headers: async () => caller.headers }));

const fx = fixtures();
afterAll(async () => {
  await resetServices();
  await fx.close();
});
beforeEach(() => signInAs('ann@example.com', 'support'));

const ask = (queue: string, jobId: string, signal: string, extra: object = {}) =>
  requestSignalAction({ queue, jobId, signal, ...extra });

async function finished(
  queue: string,
  outcome: 'completed' | 'failed',
  reason = 'boom',
  data: unknown = {},
) {
  const job = await fx.add(queue, 'short', data);
  const worker = new Worker(
    queue,
    async () => {
      if (outcome === 'failed') throw new UnrecoverableError(reason);
      return 1;
    },
    { connection: workerConnection() },
  );
  await waitFor(async () => (await job.getState()) === outcome, `job ${outcome}`);
  await worker.close();
  return String(job.id);
}

describe('requestSignalAction', () => {
  it('writes the signal as the signed-in user and answers with it', async () => {
    const q = uniqueQueue();
    const job = await fx.add(q, 'send-invoice', { n: 1 });
    const r = await ask(q, String(job.id), 'cancel', { reason: '  customer asked  ' });
    expect(r).toMatchObject({
      ok: true,
      data: {
        created: true,
        workers: 0,
        signal: {
          signal: 'cancel',
          status: 'pending',
          reason: 'customer asked',
          requestedBy: 'ann@example.com',
          workerId: null,
        },
      },
    });
    const [row] = await jobHistory(fx.db, q, String(job.id));
    expect(row).toMatchObject({ jobName: 'send-invoice', requestedBy: 'ann@example.com' });
  });

  it('a second click returns the open signal and writes nothing new', async () => {
    const q = uniqueQueue();
    const job = await fx.add(q, 'x', {});
    const first = await ask(q, String(job.id), 'pause');
    const second = await ask(q, String(job.id), 'pause');
    expect(second).toMatchObject({ ok: true, data: { created: false } });
    expect(first.ok && second.ok && second.data.signal.id).toBe(first.ok && first.data.signal.id);
    expect(await jobHistory(fx.db, q, String(job.id))).toHaveLength(1);
  });

  it.each([
    [{}, 'queue: expected string, received undefined.'],
    [
      { queue: 'q', jobId: '1', signal: 'kill' },
      'signal: signal must be one of cancel, pause, resume.',
    ],
    [{ queue: '', jobId: '1', signal: 'cancel' }, 'queue: queue is required.'],
    [
      { queue: 'q', jobId: '1', signal: 'cancel', requestedBy: 'mallory' },
      'Unknown field: requestedBy.',
    ],
    [
      { queue: 'q', jobId: '1', signal: 'cancel', reason: 'x'.repeat(501) },
      'reason: reason is longer than 500 characters.',
    ],
    ['not an object', 'expected object, received string.'],
  ])('refuses malformed input %j: %s', async (input, error) => {
    expect(await requestSignalAction(input)).toEqual({ ok: false, error });
  });

  it('refuses an unknown queue and an unknown job, and writes nothing', async () => {
    const q = uniqueQueue();
    expect(await ask(q, '1', 'cancel')).toEqual({ ok: false, error: `Queue ${q} does not exist.` });
    await fx.add(q, 'x', {});
    expect(await ask(q, '999', 'cancel')).toEqual({
      ok: false,
      error: `Job 999 does not exist in queue ${q}.`,
    });
    expect(await jobHistory(fx.db, q, '999')).toEqual([]);
  });

  it('refuses anything on a finished job, in words', async () => {
    const q = uniqueQueue();
    const done = await finished(q, 'completed');
    expect(await ask(q, done, 'cancel')).toEqual({
      ok: false,
      error: `Job ${done} has already completed; there is nothing to cancel.`,
    });
    const failed = await finished(q, 'failed');
    expect(await ask(q, failed, 'pause')).toEqual({
      ok: false,
      error: `Job ${failed} has already failed; there is nothing to pause.`,
    });
    // Failed by the toolkit for a cancel: its record is the marker, not the error text.
    const cancelled = await finished(q, 'failed', 'cancelled by bob', {
      [MARKER_KEY]: { cancelled: { signalId: 1, at: Date.now(), attemptsMade: 0 } },
    });
    expect(await ask(q, cancelled, 'resume')).toEqual({
      ok: false,
      error: `Job ${cancelled} has already been cancelled; there is nothing to resume.`,
    });
    // A processor's own error that starts with "cancelled" is a failure like any other.
    const own = await finished(q, 'failed', 'cancelled by payment provider: card expired');
    expect(await ask(q, own, 'cancel')).toEqual({
      ok: false,
      error: `Job ${own} has already failed; there is nothing to cancel.`,
    });
  });

  it('refuses to resume a job that is not paused, and to pause one being cancelled', async () => {
    const q = uniqueQueue();
    const job = String((await fx.add(q, 'x', {})).id);
    expect(await ask(q, job, 'resume')).toEqual({
      ok: false,
      error: `Job ${job} is not paused (it is waiting); only a paused job can be resumed.`,
    });
    expect((await ask(q, job, 'cancel')).ok).toBe(true);
    expect(await ask(q, job, 'pause')).toEqual({
      ok: false,
      error: `Job ${job} is being cancelled.`,
    });
  });

  it('refuses to pause a paused job or one waiting for its children', async () => {
    const q = uniqueQueue();
    const parked = await fx.add(
      q,
      'parked',
      { [MARKER_KEY]: { paused: { at: Date.now(), signalId: 1 } } },
      { delay: PARK_DELAY_MS },
    );
    expect(await ask(q, String(parked.id), 'pause')).toEqual({
      ok: false,
      error: `Job ${parked.id} is already paused.`,
    });
    expect((await ask(q, String(parked.id), 'resume')).ok).toBe(true);
    const flows = new FlowProducer({ connection: workerConnection() });
    const tree = await flows.add({
      name: 'parent',
      queueName: q,
      children: [{ name: 'child', queueName: q }],
    });
    await flows.close();
    fx.queue(q);
    expect(await ask(q, String(tree.job.id), 'pause')).toEqual({
      ok: false,
      error: `Job ${tree.job.id} is waiting for its children and cannot be paused.`,
    });
  });

  it('refuses the signed-out and viewers, and writes nothing', async () => {
    const q = uniqueQueue();
    const job = String((await fx.add(q, 'x', {})).id);
    signInAs(null);
    expect(await ask(q, job, 'cancel')).toEqual({
      ok: false,
      error: 'You are signed out. Sign in again, then retry.',
    });
    signInAs('vic@example.com', 'viewer');
    expect(await ask(q, job, 'cancel')).toEqual({
      ok: false,
      error:
        'Your role (viewer) may not cancel, pause or resume jobs; ask an admin for the support role.',
    });
    expect(await jobHistory(fx.db, q, job)).toEqual([]);
  });
});
