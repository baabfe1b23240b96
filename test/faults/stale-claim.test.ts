import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHistory } from '../../db/job-signals';
import type { JobSignal } from '../../db/schema';
import { insertSignals } from '../../db/signal-requests';
import { claimSignals, openSignals } from '../../db/worker-signals';
import { PARK_DELAY_MS, withMarker } from '../../worker/marker';
import { actOnQueuedJobs } from '../../worker/toolkit/queued-jobs';
import { RetryBook } from '../../worker/toolkit/retry-book';
import { sleep, uniqueQueue, waitFor } from '../helpers';
import type { StepJobData } from './fault-log';
import { type Stack, startStack } from './stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const only = async (queue: string, jobId: string): Promise<JobSignal> => {
  const rows = await jobHistory(stack.handle.db, queue, jobId);
  expect(rows).toHaveLength(1);
  return rows[0] as JobSignal;
};

describe('a claimer that dies holding a claim on a job nobody holds', () => {
  it('a worker SIGKILLed right after claiming a cancel (queued job) and a resume (paused job): another worker takes both over once the claim is stale, not before, and acts', async () => {
    const STALE_S = 6;
    const q = uniqueQueue('stale');
    const queue = stack.queue(q);
    const queued = await queue.add('steps', { steps: 3, stepMs: 5 } satisfies StepJobData, {
      delay: 3_600_000,
    });
    // A job parked by an earlier pause, with its saved state at step 2.
    const parked = await queue.add(
      'steps',
      withMarker({ steps: 5, stepMs: 5 } satisfies StepJobData, {
        paused: { at: Date.now(), signalId: 0, requestedBy: 'earlier' },
        state: { i: 2 },
        hasState: true,
      }),
      { delay: PARK_DELAY_MS },
    );

    // Worker A claims both signals, then hangs in the BullMQ call that would act on them.
    const a = stack.log.spawn(
      q,
      stack.workerEnv({ SIGNAL_POLL_MS: '200', FAULT_HANG: 'remove,promote' }),
    );
    await waitFor(
      () => stack.log.of('ready').some((e) => e.pid === a.pid),
      'worker A ready',
      30_000,
    );
    await insertSignals(stack.handle.db, [
      { queue: q, jobId: queued.id!, jobName: 'steps', signal: 'cancel', requestedBy: 'ops' },
      { queue: q, jobId: parked.id!, jobName: 'steps', signal: 'resume', requestedBy: 'ops' },
    ]);
    await waitFor(
      () => stack.log.of('hang').filter((e) => e.pid === a.pid).length === 2,
      'worker A claimed both and hangs',
    );
    expect(
      stack.log
        .of('hang')
        .map((h) => h.method)
        .sort(),
    ).toEqual(['promote', 'remove']);
    await a.kill('SIGKILL');
    const cancelClaim = await only(q, queued.id!);
    const resumeClaim = await only(q, parked.id!);
    for (const s of [cancelClaim, resumeClaim]) {
      expect(s.status).toBe('delivered');
      expect(s.workerId).toContain(`:${a.pid}:`);
    }
    const claimedAt = Math.min(
      cancelClaim.deliveredAt!.getTime(),
      resumeClaim.deliveredAt!.getTime(),
    );

    // Worker B serves the queue from now on; it must wait out the stale-claim rule.
    const b = stack.log.spawn(
      q,
      stack.workerEnv({ SIGNAL_POLL_MS: '200', SIGNAL_STALE_CLAIM_SECONDS: String(STALE_S) }),
    );
    await waitFor(
      () => stack.log.of('ready').some((e) => e.pid === b.pid),
      'worker B ready',
      30_000,
    );
    const readyIn = Date.now() - claimedAt;
    expect(readyIn).toBeLessThan((STALE_S - 2) * 1000);
    await sleep(claimedAt + (STALE_S - 1) * 1000 - Date.now());
    // B has polled for a while: the young claims of the dead worker are left alone.
    expect((await only(q, queued.id!)).status).toBe('delivered');
    expect((await only(q, parked.id!)).workerId).toContain(`:${a.pid}:`);
    expect(await queue.getJobState(queued.id!)).toBe('delayed');
    expect(await queue.getJobState(parked.id!)).toBe('delayed');

    await waitFor(
      async () => (await only(q, queued.id!)).status === 'completed',
      'cancel taken over',
      10_000,
    );
    await waitFor(
      async () => (await queue.getJobState(parked.id!)) === 'completed',
      'resumed job completed',
      10_000,
    );
    const cancel = await only(q, queued.id!);
    const resume = await only(q, parked.id!);
    expect(cancel.workerId).toContain(`:${b.pid}:`);
    expect(cancel.outcome).toMatchObject({ action: 'removed', from: 'delayed' });
    expect(await queue.getJob(queued.id!)).toBeUndefined();
    expect(resume.status).toBe('completed');
    expect(resume.workerId).toContain(`:${b.pid}:`);
    expect(resume.outcome).toMatchObject({ action: 'resumed', from: { i: 2 } });
    // Taken over after the rule, not long after it (B polls every 200 ms).
    const takenAfter = cancel.completedAt!.getTime() - claimedAt;
    expect(takenAfter).toBeGreaterThanOrEqual(STALE_S * 1000);
    expect(takenAfter).toBeLessThan((STALE_S + 3) * 1000);
    // The resumed job ran once, from its saved state.
    expect(stack.log.steps(parked)).toEqual([2, 3, 4]);
    expect(stack.log.of('done', parked)).toHaveLength(1);
    expect(stack.log.of('start', queued)).toHaveLength(0);
    console.log(
      `stale claim: worker B ready ${readyIn} ms after the claim; took over ${takenAfter} ms after it (rule ${STALE_S} s)`,
    );
    await b.kill('SIGTERM');
  });

  it('by default a claim is stale after 30 seconds: a 31-second-old claim of a dead worker is taken over at once, a 27-second-old one only when it turns 30', async () => {
    const q = uniqueQueue('stale30');
    const queue = stack.queue(q);
    const old = await queue.add('steps', { steps: 1, stepMs: 1 }, { delay: 3_600_000 });
    const young = await queue.add('steps', { steps: 1, stepMs: 1 }, { delay: 3_600_000 });
    const w = stack.log.spawn(q, stack.workerEnv({ SIGNAL_POLL_MS: '200' }));
    await waitFor(() => stack.log.of('ready').some((e) => e.pid === w.pid), 'worker ready', 30_000);
    // The dead claimer is simulated by SQL: a worker id whose process no longer exists.
    const dead = 'gone-host:999999:dead00';
    await stack.handle.db.execute(sql`
      insert into job_signals (queue, job_id, job_name, signal, requested_by, status, worker_id, delivered_at)
      values (${q}, ${old.id!}, 'steps', 'cancel', 'ops', 'delivered', ${dead}, now() - interval '31 seconds'),
             (${q}, ${young.id!}, 'steps', 'cancel', 'ops', 'delivered', ${dead}, now() - interval '27 seconds')`);
    const insertedAt = Date.now();
    await waitFor(
      async () => (await only(q, old.id!)).status === 'completed',
      'old claim taken over',
      3000,
    );
    const oldTakenIn = Date.now() - insertedAt;
    await sleep(insertedAt + 2000 - Date.now());
    expect((await only(q, young.id!)).status).toBe('delivered');
    expect(await queue.getJobState(young.id!)).toBe('delayed');
    await waitFor(
      async () => (await only(q, young.id!)).status === 'completed',
      'young claim taken over once 30 s old',
      5000,
    );
    const youngTakenIn = Date.now() - insertedAt;
    expect(youngTakenIn).toBeGreaterThanOrEqual(3000 - 250);
    for (const id of [old.id!, young.id!]) {
      const s = await only(q, id);
      expect(s.workerId).toContain(`:${w.pid}:`);
      expect(s.outcome).toMatchObject({ action: 'removed' });
      expect(await queue.getJob(id)).toBeUndefined();
    }
    console.log(
      `30 s rule: a 31 s old claim taken over in ${oldTakenIn} ms; a 27 s old one in ${youngTakenIn} ms`,
    );
    await w.kill('SIGTERM');
  });

  it('a worker acting on a stale view of the open signals never finishes one that another worker claimed meanwhile', async () => {
    // As after a Redis outage: worker B read the open signals, then waited on Redis while
    // worker A claimed the cancel and removed the job. B's view says "pending, job gone".
    const q = uniqueQueue('stale-view');
    const queue = stack.queue(q);
    const job = await queue.add('steps', { steps: 1, stepMs: 1 }, { delay: 3_600_000 });
    await insertSignals(stack.handle.db, [
      { queue: q, jobId: job.id!, jobName: 'steps', signal: 'cancel', requestedBy: 'ops' },
    ]);
    const seenByB = await openSignals(stack.handle.db, [q]);
    expect(seenByB.map((s) => s.status)).toEqual(['pending']);
    const [claim] = await claimSignals(stack.handle.db, [seenByB[0]!.id], 'worker-a', {
      holder: false,
    });
    expect(claim?.workerId).toBe('worker-a');
    await job.remove();

    const logged: string[] = [];
    const b = {
      db: stack.handle.db,
      workerId: 'worker-b',
      retries: new RetryBook(),
      log: (m: string) => void logged.push(m),
    };
    await actOnQueuedJobs(b, queue, seenByB, seenByB);
    // Still A's: A records what it did.
    const [after] = await jobHistory(stack.handle.db, q, job.id!);
    expect(after).toMatchObject({ status: 'delivered', workerId: 'worker-a' });
    expect(logged).toEqual([]);
  });
});
