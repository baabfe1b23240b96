/**
 * Graceful shutdown: a real worker process (the e2e fixture, built with
 * createSignalWorker and closeOnSignals) gets SIGTERM, as Kubernetes sends it,
 * while it runs a job that checkpoints every 50 ms and would run for a minute.
 * The process must exit by itself within 15 s, and the job must never be lost,
 * never left locked or active, and never run to completion twice: only an
 * implementation that hands the job back at a checkpoint passes (waiting for the
 * job to finish would take a minute).
 */
import { randomBytes } from 'node:crypto';
import { Job } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { type Running, startWorker } from '../e2e/processes';
import { alive, ownPrefix, recordResult, sleep } from './support';

const STEPS = 1200;
const STEP_MS = 50; // 1,200 checkpoints, 60 s in all
const EXIT_WITHIN_MS = 15_000;

const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const own = ownPrefix('shutdown', redisUrl);
const running: Running[] = [];

afterAll(async () => {
  await Promise.allSettled(running.map((r) => r.stop()));
  await own.drop();
});

async function until<T>(fn: () => Promise<T>, what: string, ms: number): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

describe('worker shutdown on SIGTERM', () => {
  it('a worker holding a one-minute job exits within 15 s of SIGTERM; the job is not left locked, finishes once on another worker', async () => {
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) throw new Error('DATABASE_URL is not set: run through vitest');
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, BULLMQ_PREFIX: own.prefix };
    const queueName = `shutdown-${randomBytes(3).toString('hex')}`;
    const queue = own.registry.get(queueName);
    const conn = own.registry.connection;
    const lockKey = (id: string) => `${own.prefix}:${queueName}:${id}:lock`;

    const first = await startWorker('shutdown-worker-1', [queueName], env);
    running.push(first);
    const job = await queue.add('long-report', { steps: STEPS, stepMs: STEP_MS });
    const id = String(job.id);
    // Well into its run: active, locked, past a few checkpoints.
    await until(
      async () => (await Job.fromId(queue, id))?.progress as number,
      'the job to make progress',
      20_000,
    );
    expect(await queue.getJobState(id)).toBe('active');
    expect(await conn.exists(lockKey(id))).toBe(1);

    const termAt = Date.now();
    process.kill(first.pid, 'SIGTERM');
    const exited = await until(
      async () => !alive(first.pid),
      `worker process ${first.pid} to exit after SIGTERM`,
      EXIT_WITHIN_MS,
    ).then(
      () => true,
      () => false,
    );
    const exitMs = Date.now() - termAt;
    expect(exited, `the worker exits by itself within ${EXIT_WITHIN_MS / 1000} s of SIGTERM`).toBe(
      true,
    );

    // Handed back, not held: no lock, not active, not failed, not finished by the first worker.
    const state = await queue.getJobState(id);
    expect(await conn.exists(lockKey(id))).toBe(0);
    expect(['waiting', 'prioritized', 'delayed']).toContain(state);
    const handedBack = await Job.fromId(queue, id);
    expect(handedBack?.finishedOn).toBeFalsy();
    expect(handedBack?.attemptsMade ?? 0).toBe(0);
    // However it was handed back, a later worker must be able to take it without anyone's help.
    if (state === 'delayed') expect(handedBack?.delay ?? 0).toBeLessThanOrEqual(5000);

    // The rest runs fast, so the test does not wait out the minute (the marker, if any, is kept).
    await handedBack?.updateData({ ...(handedBack.data as object), stepMs: 1 });
    const second = await startWorker('shutdown-worker-2', [queueName], env);
    running.push(second);
    const done = await until(
      async () => {
        const j = await Job.fromId(queue, id);
        return j?.finishedOn ? j : undefined;
      },
      'the job to finish on the second worker',
      60_000,
    );
    expect(done.failedReason ?? '').toBe('');
    expect(done.returnvalue).toEqual({ steps: STEPS });
    const { logs } = await queue.getJobLogs(id);
    expect(
      logs.filter((l) => l.startsWith('finished ')),
      'completed exactly once',
    ).toHaveLength(1);
    expect(await conn.exists(lockKey(id))).toBe(0);

    const resumedAt = logs.find((l) => l.startsWith('resuming at step'));
    console.log(
      `[load] SIGTERM with a job running: worker exited after ${exitMs} ms, job ${state}, then finished on another worker (${resumedAt ?? 'restarted from step 0'})`,
    );
    recordResult('shutdown', { exitMs, handedBackAs: state, resumed: resumedAt ?? null });
  });
});
