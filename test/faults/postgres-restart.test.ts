import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobState } from '../../app/bullmq/job-view';
import { jobHistory } from '../../db/job-signals';
import { insertSignals } from '../../db/signal-requests';
import { SIGNAL_CHANNEL } from '../../db/vocabulary';
import { readMarker } from '../../worker/marker';
import { sleep, uniqueQueue, waitFor } from '../helpers';
import type { StepJobData } from './fault-log';
import { type Stack, startStack } from './stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

/** Whether the worker's LISTEN connection is up on the server. */
async function listening(): Promise<boolean> {
  const rows = await stack.handle.db.execute<{ n: number }>(sql`
    select count(*)::int as n from pg_stat_activity
    where application_name = 'signal-desk-listen' and query ilike 'listen%'`);
  return (rows[0]?.n ?? 0) > 0;
}

describe('PostgreSQL restarts', () => {
  it('running jobs keep checkpointing and complete while PostgreSQL is down; jobs that arrive meanwhile wait for it; LISTEN comes back; signals written just before and just after the restart are acted on', async () => {
    const q = uniqueQueue('pg-restart');
    const queue = stack.queue(q);
    // Polling is effectively off: only LISTEN (and the re-read when it reconnects) delivers.
    const w = stack.log.spawn(
      q,
      stack.workerEnv({ SIGNAL_POLL_MS: '600000', FAULT_CONCURRENCY: '4' }),
    );
    const long = { steps: 3000, stepMs: 20 } satisfies StepJobData;
    const runner = await queue.add('steps', { steps: 250, stepMs: 20 } satisfies StepJobData);
    const cancelBefore = await queue.add('steps', long);
    const pauseAfter = await queue.add('steps', long);
    for (const job of [runner, cancelBefore, pauseAfter])
      await waitFor(() => stack.log.steps(job).length >= 3, `job ${job.id} running`, 30_000);
    await waitFor(listening, 'LISTEN up');

    // Just before the crash, the narrowest race: the worker has read a cancel and its
    // claim is in flight when PostgreSQL goes down. A row lock holds the claim there:
    // the row goes in without the trigger, is locked, then the notification is sent.
    const raw = postgres(stack.pg.url(), { max: 2, onnotice: () => {} });
    const [row] = await raw.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      return tx<{ id: number }[]>`
        insert into job_signals (queue, job_id, job_name, signal, requested_by)
        values (${q}, ${cancelBefore.id!}, 'steps', 'cancel', 'ops') returning id`;
    });
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    await new Promise<void>((locked) => {
      raw
        .begin(async (tx) => {
          await tx`select id from job_signals where id = ${row!.id} for update`;
          locked();
          await held;
        })
        .catch(() => {});
    });
    await raw.notify(SIGNAL_CHANNEL, JSON.stringify({ queues: [q], minId: row!.id }));
    await waitFor(
      async () =>
        (
          await raw<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity
          where application_name = 'signal-desk-worker' and wait_event_type = 'Lock'`
        )[0]!.n > 0,
      "the worker's claim waiting on the row",
      5000,
    );
    await stack.pg.halt('immediate');
    release();
    await raw.end({ timeout: 1 }).catch(() => {});
    const downAt = Date.now();
    // Job starts make no query (the worker's index holds the open signals): a worker
    // learns of the outage from its LISTEN connection, within a few hundred ms, and
    // from then on the jobs that arrive wait for PostgreSQL.
    await waitFor(
      () => w.stderr.includes('reading open signals failed'),
      'the worker noticed the outage',
      5000,
    );

    // A job that arrives while PostgreSQL is down cannot read its signals yet: it must wait, not fail.
    const newcomer = await queue.add('steps', { steps: 10, stepMs: 5 } satisfies StepJobData);
    await waitFor(() => stack.log.of('done', runner).length === 1, 'runner done', 20_000);
    const [done] = stack.log.of('done', runner);
    // It checkpointed all along the outage, and no checkpoint waited.
    const stepsWhileDown = stack.log.of('step', runner).filter((e) => e.at > downAt).length;
    expect(stepsWhileDown).toBeGreaterThan(50);
    expect(done?.maxCheckpointMs).toBeLessThan(20);
    expect(await queue.getJobState(runner.id!)).toBe('completed');
    expect(await queue.getJobState(newcomer.id!)).not.toBe('failed');
    expect(stack.log.of('start', newcomer)).toHaveLength(0);
    await sleep(downAt + 3000 - Date.now());

    await stack.pg.start();
    const upAt = Date.now();
    // Just after the restart: a pause, notified (most likely before the worker listens again).
    await insertSignals(stack.handle.db, [
      { queue: q, jobId: pauseAfter.id!, jobName: 'steps', signal: 'pause', requestedBy: 'ops' },
    ]);

    await waitFor(listening, 'LISTEN back', 15_000);
    const listenBackIn = Date.now() - upAt;
    await waitFor(
      async () => (await jobState((await queue.getJob(cancelBefore.id!))!)) === 'cancelled',
      'cancel written before the crash acted on',
      15_000,
    );
    const cancelledIn = Date.now() - upAt;
    await waitFor(
      async () => (await jobState((await queue.getJob(pauseAfter.id!))!)) === 'paused',
      'pause written after the restart acted on',
      15_000,
    );
    const pausedIn = Date.now() - upAt;
    await waitFor(
      async () => (await queue.getJobState(newcomer.id!)) === 'completed',
      'newcomer completed',
      15_000,
    );
    const newcomerIn = Date.now() - upAt;
    const newcomerJob = await queue.getJob(newcomer.id!);
    expect(newcomerJob?.attemptsMade).toBe(1);
    expect(stack.log.of('done', newcomer)).toHaveLength(1);

    // With polling off, a resume now reaches the worker only through its renewed LISTEN.
    const resumeAt = Date.now();
    await insertSignals(stack.handle.db, [
      { queue: q, jobId: pauseAfter.id!, jobName: 'steps', signal: 'resume', requestedBy: 'ops' },
    ]);
    await waitFor(
      () => stack.log.of('start', pauseAfter).length === 2,
      'resumed through LISTEN',
      5000,
    );
    const resumedIn = Date.now() - resumeAt;
    expect(resumedIn).toBeLessThan(2000);
    const savedAt = stack.log.of('start', pauseAfter)[1]?.from ?? -1;
    expect(savedAt).toBeGreaterThan(3);
    const parkedAt = readMarker((await queue.getJob(pauseAfter.id!))?.data)?.state;
    expect(parkedAt).toEqual({ i: savedAt });

    const history = [
      ...(await jobHistory(stack.handle.db, q, cancelBefore.id!)),
      ...(await jobHistory(stack.handle.db, q, pauseAfter.id!)),
    ];
    expect(history.map((s) => `${s.signal}:${s.status}`)).toEqual([
      'cancel:completed',
      'pause:completed',
      'resume:completed',
    ]);
    expect(stack.log.of('cancel', cancelBefore)).toHaveLength(1);
    // The failed claim did not fail the job: it went on and was cancelled once PostgreSQL answered.
    expect(w.stderr).toContain(`could not claim the signals of ${q}/${cancelBefore.id}`);
    expect((await queue.getJob(cancelBefore.id!))?.attemptsMade).toBe(1);
    expect(stack.log.of('done', runner)).toHaveLength(1);
    expect(w.alive).toBe(true);
    console.log(
      `PostgreSQL down ${upAt - downAt} ms: runner checkpointed ${stepsWhileDown} times meanwhile (slowest checkpoint ${done?.maxCheckpointMs.toFixed(2)} ms); ` +
        `after the restart: LISTEN back in ${listenBackIn} ms, cancel from before acted on in ${cancelledIn} ms, ` +
        `pause from after in ${pausedIn} ms, newcomer completed in ${newcomerIn} ms; a resume through LISTEN in ${resumedIn} ms`,
    );
    await queue.remove(pauseAfter.id!).catch(() => {});
    await w.kill('SIGTERM');
  });

  it('a job that starts while its database refuses connections waits for it instead of failing', async () => {
    const q = uniqueQueue('pg-closed');
    const queue = stack.queue(q);
    const w = stack.log.spawn(q, stack.workerEnv({ SIGNAL_POLL_MS: '200' }));
    await waitFor(() => stack.log.of('ready').some((e) => e.pid === w.pid), 'worker ready', 30_000);
    await waitFor(listening, 'LISTEN up');
    // Maintenance on the database: no new connections, and the worker's are cut.
    const admin = postgres(stack.pg.url('postgres'), { max: 1, onnotice: () => {} });
    try {
      await admin`alter database signal_desk allow_connections false`;
      await admin`select pg_terminate_backend(pid) from pg_stat_activity
                  where datname = 'signal_desk' and pid <> pg_backend_pid()`;
      // The worker learns of it from its LISTEN connection (job starts make no query).
      await waitFor(
        () => w.stderr.includes('reading open signals failed'),
        'the worker noticed',
        5000,
      );
      const job = await queue.add('steps', { steps: 5, stepMs: 5 } satisfies StepJobData, {
        attempts: 1,
      });
      await waitFor(
        async () => (await queue.getJobState(job.id!)) === 'active',
        'job taken',
        10_000,
      );
      await sleep(1500);
      // Still waiting for its signals: neither failed nor started.
      expect(await queue.getJobState(job.id!)).toBe('active');
      expect(stack.log.of('start', job)).toHaveLength(0);
      expect(w.stderr).toContain('waits for PostgreSQL');
      await admin`alter database signal_desk allow_connections true`;
      const openedAt = Date.now();
      await waitFor(
        async () => (await queue.getJobState(job.id!)) === 'completed',
        'job completed once the database accepts connections',
        15_000,
      );
      expect(stack.log.of('done', job)).toHaveLength(1);
      expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
      console.log(`database reopened: the waiting job completed ${Date.now() - openedAt} ms later`);
    } finally {
      await admin`alter database signal_desk allow_connections true`.catch(() => {});
      await admin.end({ timeout: 1 });
      await w.kill('SIGTERM');
    }
  });
});
