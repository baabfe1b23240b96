import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobState } from '../../app/bullmq/job-view';
import { jobHistory } from '../../db/job-signals';
import { insertSignals } from '../../db/signal-requests';
import { readMarker } from '../../worker/marker';
import { uniqueQueue, waitFor } from '../helpers';
import type { StepJobData } from './fault-log';
import { type Stack, startStack } from './stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const STEPS = 120;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * Starts a job on a worker that hangs in `moveToDelayed`, pauses it, and SIGKILLs
 * the worker there: the saved state is in Redis, the job is still active, the pause
 * is delivered. Returns the queue, the job and the step the state was saved at.
 */
async function killWhileParking() {
  const q = uniqueQueue('park-crash');
  const queue = stack.queue(q);
  const job = await queue.add('steps', { steps: STEPS, stepMs: 20 } satisfies StepJobData);
  const a = stack.log.spawn(
    q,
    stack.workerEnv({
      SIGNAL_POLL_MS: '200',
      FAULT_HANG: 'moveToDelayed',
      // A short lock and stall check: BullMQ notices the dead worker's job within seconds.
      FAULT_LOCK_MS: '2000',
      FAULT_STALLED_MS: '1000',
    }),
  );
  await waitFor(() => stack.log.steps(job).length >= 10, 'job running on A', 30_000);
  await insertSignals(stack.handle.db, [
    { queue: q, jobId: job.id!, jobName: 'steps', signal: 'pause', requestedBy: 'ops' },
  ]);
  await waitFor(() => stack.log.of('hang', job).length === 1, 'A hangs in moveToDelayed');
  await a.kill('SIGKILL');
  const limbo = await queue.getJob(job.id!);
  const saved = readMarker(limbo?.data);
  const savedAt = (saved?.state as { i: number } | undefined)?.i ?? -1;
  // The crash window: state saved and marked paused, but the job never moved.
  expect(await limbo?.getState()).toBe('active');
  expect(saved?.paused).toBeTruthy();
  expect(savedAt).toBeGreaterThanOrEqual(10);
  expect(stack.log.steps(job)).toEqual(range(0, savedAt));
  const [pause] = await jobHistory(stack.handle.db, q, job.id!);
  expect(pause).toMatchObject({ signal: 'pause', status: 'delivered' });
  expect(pause?.workerId).toContain(`:${a.pid}:`);
  return { q, queue, job, savedAt, killedAt: Date.now() };
}

describe('a worker killed while parking a job (state saved, job not yet delayed)', () => {
  it('the next worker parks the job again from the saved state; a resume then runs every remaining step exactly once', async () => {
    const { q, queue, job, savedAt, killedAt } = await killWhileParking();
    // B takes the job over after BullMQ's stall check (A's lock lasts 2 s).
    const b = stack.log.spawn(
      q,
      stack.workerEnv({ SIGNAL_POLL_MS: '200', FAULT_STALLED_MS: '1000' }),
    );
    await waitFor(
      async () => (await jobHistory(stack.handle.db, q, job.id!))[0]?.status === 'completed',
      'pause recorded by B',
      20_000,
    );
    const recoveredIn = Date.now() - killedAt;
    const parked = await queue.getJob(job.id!);
    expect(await jobState(parked!)).toBe('paused');
    expect(readMarker(parked?.data)?.state).toEqual({ i: savedAt });
    const [pause] = await jobHistory(stack.handle.db, q, job.id!);
    expect(pause?.workerId).toContain(`:${b.pid}:`);
    expect(pause?.outcome).toMatchObject({ action: 'parked', at: { i: savedAt } });
    // B never ran a step of it: parked before the processor.
    expect(stack.log.of('start', job).filter((e) => e.pid === b.pid)).toHaveLength(0);

    await insertSignals(stack.handle.db, [
      { queue: q, jobId: job.id!, jobName: 'steps', signal: 'resume', requestedBy: 'ops' },
    ]);
    await waitFor(
      async () => (await queue.getJobState(job.id!)) === 'completed',
      'completed',
      20_000,
    );
    expect(stack.log.steps(job)).toEqual(range(0, STEPS));
    expect(stack.log.of('done', job)).toEqual([
      expect.objectContaining({ from: savedAt, pid: b.pid }),
    ]);
    const history = await jobHistory(stack.handle.db, q, job.id!);
    expect(history.map((s) => `${s.signal}:${s.status}`)).toEqual([
      'pause:completed',
      'resume:completed',
    ]);
    expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
    console.log(
      `park crash: parked again by the next worker ${recoveredIn} ms after the kill, at step ${savedAt}`,
    );
    await b.kill('SIGTERM');
  });

  it('a resume that comes while the job waits for the stall check: the job runs on from the saved state, every step exactly once', async () => {
    const { q, queue, job, savedAt, killedAt } = await killWhileParking();
    await insertSignals(stack.handle.db, [
      { queue: q, jobId: job.id!, jobName: 'steps', signal: 'resume', requestedBy: 'ops' },
    ]);
    const b = stack.log.spawn(
      q,
      stack.workerEnv({ SIGNAL_POLL_MS: '200', FAULT_STALLED_MS: '1000' }),
    );
    await waitFor(
      async () => (await queue.getJobState(job.id!)) === 'completed',
      'completed',
      30_000,
    );
    const doneIn = Date.now() - killedAt;
    expect(stack.log.steps(job)).toEqual(range(0, STEPS));
    expect(stack.log.of('done', job)).toEqual([
      expect.objectContaining({ from: savedAt, pid: b.pid }),
    ]);
    const history = await jobHistory(stack.handle.db, q, job.id!);
    expect(history.map((s) => `${s.signal}:${s.status}`)).toEqual([
      'pause:completed',
      'resume:completed',
    ]);
    expect(history[0]?.outcome).toMatchObject({ action: 'parked', recovered: true });
    expect(history[1]?.outcome).toMatchObject({ action: 'resumed', from: { i: savedAt } });
    for (const s of history) expect(s.workerId).toContain(`:${b.pid}:`);
    console.log(`park crash + resume: completed ${doneIn} ms after the kill, from step ${savedAt}`);
    await b.kill('SIGTERM');
  });
});
