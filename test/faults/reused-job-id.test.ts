import type { Job } from 'bullmq';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHistory } from '../../db/job-signals';
import { SIGNAL_CHANNEL } from '../../db/vocabulary';
import { uniqueQueue, waitFor } from '../helpers';
import type { StepJobData } from './fault-log';
import { type Stack, startStack } from './stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const STALE = 'signal is older than the job (job id reused)';
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Runs a job with a custom id to completion (removed on completion, so the id is free again). */
async function finishedJob(q: string, jobId: string): Promise<{ finishedOn: number }> {
  const queue = stack.queue(q);
  const old = await queue.add('steps', { steps: 3, stepMs: 5 } satisfies StepJobData, {
    jobId,
    removeOnComplete: true,
  });
  await waitFor(() => stack.log.of('done', old).length === 1, `old job ${jobId} done`, 30_000);
  await waitFor(async () => !(await queue.getJob(jobId)), `old job ${jobId} removed`);
  return { finishedOn: stack.log.of('done', old)[0]?.at as number };
}

/**
 * Signals for the old job that arrive late, by SQL, with their true (old) request
 * time, and one notification, as a delayed replica or a slow service would write them.
 */
async function lateSignals(q: string, jobId: string, createdAt: number, kinds: string[]) {
  const at = new Date(createdAt).toISOString();
  await stack.handle.db.transaction(async (tx) => {
    for (const kind of kinds) {
      await tx.execute(sql`
        insert into job_signals (queue, job_id, job_name, signal, requested_by, reason, created_at)
        values (${q}, ${jobId}, 'steps', ${kind}::signal_kind, 'ops', 'meant for the old job', ${at}::timestamptz)`);
    }
    await tx.execute(sql`select pg_notify(${SIGNAL_CHANNEL}, ${JSON.stringify({ queues: [q] })})`);
  });
}

async function expectSuperseded(q: string, jobId: string, kinds: string[]) {
  await waitFor(
    async () =>
      (await jobHistory(stack.handle.db, q, jobId)).every((s) => s.status === 'superseded'),
    `late signals of ${jobId} superseded`,
  );
  const rows = await jobHistory(stack.handle.db, q, jobId);
  expect(rows.map((s) => s.signal).sort()).toEqual([...kinds].sort());
  for (const s of rows) expect(s.outcome).toMatchObject({ reason: STALE });
}

async function expectRanUntouched(job: Job, steps: number) {
  await waitFor(
    async () => (await job.getState()) === 'completed',
    `new job ${job.id} completed`,
    30_000,
  );
  expect(stack.log.of('done', job)).toHaveLength(2); // the old job's and the new job's
  expect(stack.log.of('cancel', job)).toHaveLength(0);
  // The old job ran 0..2, the new one every step once.
  expect(stack.log.steps(job)).toEqual([...range(3), ...range(steps)]);
}

describe('a custom job id used again', () => {
  it('late signals for the finished job never act on the new running job with the same id', async () => {
    const q = uniqueQueue('reuse');
    const w = stack.log.spawn(q, stack.workerEnv({ SIGNAL_POLL_MS: '200' }));
    const { finishedOn } = await finishedJob(q, 'order-42');
    const fresh = await stack
      .queue(q)
      .add('steps', { steps: 100, stepMs: 20 } satisfies StepJobData, { jobId: 'order-42' });
    expect(fresh.timestamp).toBeGreaterThan(finishedOn);
    await waitFor(() => stack.log.steps(fresh).length >= 3 + 5, 'new job running');
    await lateSignals(q, 'order-42', finishedOn, ['cancel', 'pause']);
    await expectSuperseded(q, 'order-42', ['cancel', 'pause']);
    await expectRanUntouched(fresh, 100);
    await w.kill('SIGTERM');
  });

  it('late signals for the finished job never act on the new queued job with the same id', async () => {
    const q = uniqueQueue('reuse');
    const w = stack.log.spawn(q, stack.workerEnv({ SIGNAL_POLL_MS: '200' }));
    const { finishedOn } = await finishedJob(q, 'order-7');
    const queue = stack.queue(q);
    const fresh = await queue.add('steps', { steps: 3, stepMs: 5 } satisfies StepJobData, {
      jobId: 'order-7',
      delay: 3_600_000,
    });
    await lateSignals(q, 'order-7', finishedOn, ['cancel', 'pause']);
    await expectSuperseded(q, 'order-7', ['cancel', 'pause']);
    // Neither removed nor parked: the new job waits for its time as it was.
    const still = await queue.getJob('order-7');
    expect(await still?.getState()).toBe('delayed');
    expect(still?.data).toEqual({ steps: 3, stepMs: 5 });
    await still?.promote();
    await expectRanUntouched(fresh, 3);
    await w.kill('SIGTERM');
  });

  it('a late signal that waited while no worker ran never acts on the new job when a worker starts', async () => {
    const q = uniqueQueue('reuse');
    const first = stack.log.spawn(q, stack.workerEnv({ SIGNAL_POLL_MS: '200' }));
    const { finishedOn } = await finishedJob(q, 'order-9');
    await first.kill('SIGTERM');
    const fresh = await stack
      .queue(q)
      .add('steps', { steps: 20, stepMs: 5 } satisfies StepJobData, { jobId: 'order-9' });
    await lateSignals(q, 'order-9', finishedOn, ['cancel']);
    const w = stack.log.spawn(q, stack.workerEnv({ SIGNAL_POLL_MS: '200' }));
    await expectRanUntouched(fresh, 20);
    await expectSuperseded(q, 'order-9', ['cancel']);
    await w.kill('SIGTERM');
  });
});
