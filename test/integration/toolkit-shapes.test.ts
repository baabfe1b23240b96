import { FlowProducer, type Worker } from 'bullmq';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { jobHistory } from '../../db/job-signals';
import { insertSignals } from '../../db/signal-requests';
import { workerConnection } from '../../worker/config';
import { nameState } from '../../worker/job-state';
import { readMarker } from '../../worker/marker';
import { createSignalWorker } from '../../worker/toolkit';
import { fixtures, sleep, uniqueQueue, waitFor } from '../helpers';

const fx = fixtures();
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close(true)));
  vi.restoreAllMocks();
});
afterAll(() => fx.close());

const request = (queue: string, jobId: string, signal: 'cancel' | 'pause') =>
  insertSignals(fx.db, [{ queue, jobId, jobName: 'x', signal, requestedBy: 'ops' }]);

describe('jobs of every shape BullMQ makes', () => {
  it("cancel of a job scheduler's next run: no retry loop; the run is cancelled when it starts, before its processor; the schedule goes on", async () => {
    const q = uniqueQueue('sched');
    const queue = fx.queue(q);
    const errors = vi.spyOn(console, 'error');
    const ran: string[] = [];
    const cleaned: string[] = [];
    const w = createSignalWorker(
      q,
      async (job) => {
        ran.push(String(job.id));
      },
      { onCancel: (job, info) => void cleaned.push(`${job.id}:${info.during}`) },
    );
    workers.push(w);
    await queue.upsertJobScheduler('nightly-sync', { pattern: '0 3 * * *' }, { name: 'sync' });
    const [next] = await queue.getDelayed();
    expect(next?.id).toMatch(/^repeat:nightly-sync:/);
    const id = String(next?.id);
    await request(q, id, 'cancel');

    // The claimer marks the run; the signal waits, delivered, for the run's start.
    await waitFor(
      async () => readMarker((await queue.getJob(id))?.data)?.cancelAtStart,
      'the run marked',
    );
    await sleep(1500); // several polls: a loop would show here
    const [signal] = await jobHistory(fx.db, q, id);
    expect(signal?.status).toBe('delivered');
    expect(errors.mock.calls.filter((c) => String(c[0]).includes('could not act'))).toEqual([]);
    expect(await queue.getJobState(id)).toBe('delayed');

    // The run comes due (promoted here rather than waiting for 3 am).
    await (await queue.getJob(id))?.promote();
    await waitFor(async () => (await queue.getJobState(id)) === 'failed', 'the run cancelled');
    expect(ran).toEqual([]);
    expect(cleaned).toEqual([`${id}:start`]);
    const job = await queue.getJob(id);
    expect(nameState('failed', { data: job?.data })).toBe('cancelled');
    expect((await jobHistory(fx.db, q, id))[0]).toMatchObject({
      status: 'completed',
      outcome: { action: 'cancelled', during: 'start' },
    });
    // The schedule goes on.
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual(['nightly-sync']);
    expect(schedulers[0]?.next).toBeGreaterThan(Date.now());
    await queue.removeJobScheduler('nightly-sync');
  });

  it("a pause of a scheduler's run is superseded with why (it would hold the run for years)", async () => {
    const q = uniqueQueue('sched-pause');
    const queue = fx.queue(q);
    workers.push(createSignalWorker(q, async () => {}));
    await queue.upsertJobScheduler('hourly', { pattern: '0 * * * *' }, { name: 'tick' });
    const [next] = await queue.getDelayed();
    const id = String(next?.id);
    await request(q, id, 'pause');
    await waitFor(
      async () => (await jobHistory(fx.db, q, id))[0]?.status === 'superseded',
      'superseded',
    );
    const [signal] = await jobHistory(fx.db, q, id);
    expect(String(signal?.outcome?.reason)).toContain('run of job scheduler');
    expect(await queue.getJobState(id)).toBe('delayed');
    expect(readMarker((await queue.getJob(id))?.data)?.paused).toBeUndefined();
    await queue.removeJobScheduler('hourly');
  });

  it("cancel of a flow's parent removes it and its children, names them, and ends the children's open signals", async () => {
    const parentQueue = uniqueQueue('flow-parent');
    const childQueue = uniqueQueue('flow-child');
    fx.queue(parentQueue);
    fx.queue(childQueue);
    const flows = new FlowProducer({ connection: workerConnection() });
    try {
      const tree = await flows.add({
        name: 'report',
        queueName: parentQueue,
        data: {},
        children: [
          { name: 'part-a', queueName: childQueue, data: {} },
          { name: 'part-b', queueName: childQueue, data: {} },
        ],
      });
      const parentId = String(tree.job.id);
      const childIds = (tree.children ?? []).map((c) => String(c.job.id));
      // Only the parent's queue is served: the children stay queued.
      workers.push(createSignalWorker(parentQueue, async () => {}));
      await request(childQueue, childIds[0] as string, 'pause');
      await request(parentQueue, parentId, 'cancel');
      await waitFor(
        async () => (await jobHistory(fx.db, parentQueue, parentId))[0]?.status === 'completed',
        'the parent cancelled',
      );
      const [cancel] = await jobHistory(fx.db, parentQueue, parentId);
      expect(cancel?.outcome).toMatchObject({
        action: 'removed',
        from: 'waiting-children',
        children: { count: 2 },
      });
      const children = cancel?.outcome?.children as { jobs: { queue: string; id: string }[] };
      const listed = children.jobs;
      expect(listed.map((c) => `${c.queue}/${c.id}`).sort()).toEqual(
        childIds.map((id) => `${childQueue}/${id}`).sort(),
      );
      for (const id of childIds) expect(await fx.queue(childQueue).getJob(id)).toBeUndefined();
      const [pause] = await jobHistory(fx.db, childQueue, childIds[0] as string);
      expect(pause).toMatchObject({
        status: 'superseded',
        outcome: { reason: `removed with its parent ${parentQueue}/${parentId}` },
      });
    } finally {
      await flows.close();
    }
  });
});
