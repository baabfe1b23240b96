import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobState } from '../../app/bullmq/job-view';
import { jobHistory } from '../../db/job-signals';
import { insertSignals } from '../../db/signal-requests';
import type { SignalKind } from '../../db/vocabulary';
import { sleep, uniqueQueue, waitFor } from '../helpers';
import type { StepJobData } from './fault-log';
import { type Stack, startStack } from './stack';

let stack: Stack;
beforeAll(async () => {
  // Redis with an append-only file synced on every write, as BullMQ's production guide asks.
  stack = await startStack({ durableRedis: true });
});
afterAll(() => stack?.close());

const STEPS = 150;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('Redis restarts', () => {
  it('while jobs run and signals are in flight: workers reconnect by themselves, every signal is acted on, no job completes twice, cancelled and paused jobs end as asked', async () => {
    const q = uniqueQueue('redis-restart');
    const queue = stack.queue(q);
    const env = stack.workerEnv({ SIGNAL_POLL_MS: '1000', FAULT_CONCURRENCY: '4' });
    const workers = [stack.log.spawn(q, env), stack.log.spawn(q, env)];
    const jobs: Job[] = [];
    for (let n = 0; n < 16; n++)
      jobs.push(await queue.add('steps', { steps: STEPS, stepMs: 30 } satisfies StepJobData));
    const j = (n: number) => jobs[n - 1] as Job;
    // Jobs 1-8 run (two workers, four slots each), 9-16 wait.
    await waitFor(() => stack.log.of('start').length === 8, 'eight jobs running', 30_000);
    const running = new Set(stack.log.of('start').map((e) => e.id));
    for (let n = 1; n <= 8; n++) expect(running.has(`${q}/${j(n).id}`)).toBe(true);

    const ask = (signal: SignalKind, ns: number[]) =>
      insertSignals(
        stack.handle.db,
        ns.map((n) => ({
          queue: q,
          jobId: j(n).id!,
          jobName: 'steps',
          signal,
          requestedBy: 'ops',
        })),
      );
    // In flight when Redis dies: written, notified, and the crash follows at once.
    await ask('cancel', [1, 2, 9, 10]);
    await ask('pause', [3, 4, 11]);
    await stack.redis.crash();
    const downAt = Date.now();
    // Written while Redis is down.
    await sleep(300);
    await ask('cancel', [5, 12]);
    await ask('pause', [6, 13]);

    // Running jobs need no Redis to be cancelled: their holders act at the next checkpoint.
    await waitFor(
      () => [1, 2, 5].every((n) => stack.log.of('cancel', j(n)).length === 1),
      'running jobs cancelled while Redis is down',
      2500,
    );
    const cancelledWhileDownIn = Math.max(...stack.log.of('cancel').map((e) => e.at)) - downAt;
    // …and record it in PostgreSQL, still without Redis.
    await waitFor(
      async () => {
        for (const n of [1, 2, 5]) {
          const [s] = await jobHistory(stack.handle.db, q, j(n).id!);
          if (s?.status !== 'completed') return false;
        }
        return true;
      },
      'cancels of running jobs recorded while Redis is down',
      2000,
    );
    expect(Date.now() - downAt).toBeLessThan(3000);
    await sleep(downAt + 3000 - Date.now());
    expect(workers.every((w) => w.alive)).toBe(true);

    await stack.redis.start();
    const upAt = Date.now();
    const cancelled = [1, 2, 5, 9, 10, 12];
    const paused = [3, 4, 6, 11, 13];
    const untouched = [7, 8, 14, 15, 16];
    const stateOf = async (n: number) => {
      const job = await queue.getJob(j(n).id!);
      return job ? jobState(job) : 'removed';
    };
    await waitFor(
      async () => {
        for (const n of cancelled)
          if (!['cancelled', 'removed'].includes(await stateOf(n))) return false;
        for (const n of paused) if ((await stateOf(n)) !== 'paused') return false;
        return true;
      },
      'every cancel and pause acted on after the restart',
      30_000,
    );
    const settledIn = Date.now() - upAt;
    // The same worker processes took new jobs again, without a restart.
    const firstStartAfter = stack.log.of('start').find((e) => e.at > upAt);
    expect(firstStartAfter).toBeDefined();
    const signals = (
      await Promise.all(jobs.map((job) => jobHistory(stack.handle.db, q, job.id!)))
    ).flat();
    expect(signals).toHaveLength(11);
    for (const s of signals)
      expect(s.status, `${s.signal} of job ${s.jobId}: ${JSON.stringify(s.outcome)}`).toBe(
        'completed',
      );

    await ask('resume', paused);
    await waitFor(
      async () => {
        for (const n of [...paused, ...untouched])
          if ((await queue.getJobState(j(n).id!)) !== 'completed') return false;
        return true;
      },
      'resumed and untouched jobs completed',
      60_000,
    );
    // Nothing lost, nothing twice: every step of every completed job ran exactly once,
    // the cancelled jobs never completed, and each completed job completed once.
    for (const n of [...paused, ...untouched]) {
      expect(stack.log.steps(j(n)), `steps of job ${n}`).toEqual(range(STEPS));
      expect(stack.log.of('done', j(n)), `completions of job ${n}`).toHaveLength(1);
    }
    for (const n of cancelled) expect(stack.log.of('done', j(n))).toHaveLength(0);
    const all = (
      await Promise.all(jobs.map((job) => jobHistory(stack.handle.db, q, job.id!)))
    ).flat();
    expect(all.filter((s) => s.status !== 'completed')).toEqual([]);
    expect(all).toHaveLength(16);
    expect(workers.every((w) => w.alive)).toBe(true);
    console.log(
      `Redis down ${upAt - downAt} ms; running jobs cancelled ${cancelledWhileDownIn} ms into the outage; ` +
        `after the restart the first job started in ${(firstStartAfter?.at ?? upAt) - upAt} ms ` +
        `and every cancel and pause had taken effect in ${settledIn} ms`,
    );
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
  });
});
