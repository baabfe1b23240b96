import { FlowProducer } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getRelations } from '../../app/api/jobs/[queue]/[id]/relations/route';
import { GET as getJob } from '../../app/api/jobs/[queue]/[id]/route';
import { POST as postBulk } from '../../app/api/signals/bulk/route';
import { POST as postSignal } from '../../app/api/signals/route';
import { workerConnection } from '../../worker/config';
import { fixtures, uniqueQueue } from '../helpers';
import { answer, apiRequest, closeServices, routeParams, useApiToken } from './api-client';

beforeAll(async () => {
  await useApiToken('support');
});
const fx = fixtures();
afterAll(async () => {
  await fx.close();
  await closeServices();
});

const path = (queue: string, id: string) =>
  `/api/jobs/${encodeURIComponent(queue)}/${encodeURIComponent(id)}`;
const relations = async (queue: string, id: string) =>
  answer(
    await getRelations(
      apiRequest('GET', `${path(queue, id)}/relations`),
      routeParams({ queue, id }),
    ),
  );
const signal = async (queue: string, jobId: string, kind: string) =>
  answer(await postSignal(apiRequest('POST', '/api/signals', { queue, jobId, signal: kind })));
const rows = async (queue: string) =>
  (await fx.sql`select job_id, signal from job_signals where queue = ${queue}`) as unknown as {
    job_id: string;
    signal: string;
  }[];

describe("a job scheduler's run", () => {
  it('a pause is refused (409) with why and what to do instead; nothing is written', async () => {
    const q = uniqueQueue('sched');
    const run = await fx.queue(q).upsertJobScheduler('nightly-sync', { pattern: '0 3 * * *' });
    const id = String(run?.id);
    expect(await signal(q, id, 'pause')).toEqual({
      status: 409,
      body: {
        error: `Job ${id} is a run of job scheduler nightly-sync and cannot be paused: pausing one run would hold it for years while the scheduler reports it as its next run. Pause the queue (admins, on /queues) or remove the scheduler instead; to skip only this run, cancel it.`,
      },
    });
    const bulk = answer(
      await postBulk(
        apiRequest('POST', '/api/signals/bulk', { queue: q, signal: 'pause', jobIds: [id] }),
      ),
    );
    expect((await bulk).body).toMatchObject({
      requested: 0,
      skipped: [
        { jobId: id, reason: expect.stringContaining('cannot be paused: pausing one run') },
      ],
    });
    expect(await rows(q)).toEqual([]);
  });

  it('a cancel is written (it skips this run); the job and its relations name the scheduler and its next run', async () => {
    const q = uniqueQueue('sched');
    const run = await fx
      .queue(q)
      .upsertJobScheduler('every-5', { every: 300_000 }, { name: 'tick', data: { n: 1 } });
    const id = String(run?.id);
    expect((await signal(q, id, 'cancel')).status).toBe(201);
    expect(await rows(q)).toEqual([{ job_id: id, signal: 'cancel' }]);

    const detail = answer(
      await getJob(apiRequest('GET', path(q, id)), routeParams({ queue: q, id })),
    );
    expect((await detail).body.job).toMatchObject({ id, schedulerId: 'every-5', parent: null });
    const r = await relations(q, id);
    expect(r).toMatchObject({
      status: 200,
      body: {
        scheduler: {
          id: 'every-5',
          exists: true,
          name: 'tick',
          pattern: null,
          every: 300_000,
          next: expect.any(Number),
          iterations: 1,
        },
        parent: null,
        children: null,
      },
    });
    // Removed since: the run still names it, and says it is gone.
    await fx.queue(q).removeJobScheduler('every-5');
    expect((await relations(q, id)).body.scheduler).toMatchObject({ id: 'every-5', exists: false });
  });
});

describe('a flow across two queues', () => {
  it("the parent's relations count and list its children in the other queue; a child names its parent", async () => {
    const parents = uniqueQueue('parents');
    const children = uniqueQueue('children');
    fx.queue(parents);
    fx.queue(children);
    const flow = new FlowProducer({ connection: workerConnection(), prefix: 'bull' });
    const tree = await flow.add({
      name: 'assemble',
      queueName: parents,
      data: {},
      children: [
        { name: 'part', queueName: children, data: { n: 1 }, opts: { delay: 60_000 } },
        { name: 'part', queueName: children, data: { n: 2 }, opts: { delay: 60_000 } },
      ],
    });
    await flow.close();
    const parentId = String(tree.job.id);
    const childIds = (tree.children ?? []).map((c) => String(c.job.id)).sort();

    const p = await relations(parents, parentId);
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({
      scheduler: null,
      parent: null,
      children: { total: 2, pending: 2, processed: 0, failed: 0, ignored: 0 },
    });
    expect(
      p.body.children.shown.map((c: { queue: string; id: string }) => `${c.queue}/${c.id}`).sort(),
    ).toEqual(childIds.map((id) => `${children}/${id}`));

    const childId = childIds[0] as string;
    const c = await relations(children, childId);
    expect(c.body).toEqual({
      scheduler: null,
      parent: { queue: parents, id: parentId, key: `bull:${parents}:${parentId}` },
      children: null,
    });
    // The parent waits for its children: a pause is refused, a cancel is not.
    expect((await signal(parents, parentId, 'pause')).status).toBe(409);
    expect((await signal(children, childId, 'pause')).status).toBe(201);
    expect((await signal(parents, parentId, 'cancel')).status).toBe(201);
  });

  it('relations: 404 for an unknown queue or job, 400 for query parameters, 401 without a token', async () => {
    const q = uniqueQueue('rel');
    expect(await relations(q, '1')).toEqual({
      status: 404,
      body: { error: `Queue ${q} does not exist.` },
    });
    await fx.add(q, 'x', {});
    expect(await relations(q, '9')).toEqual({
      status: 404,
      body: { error: `Job 9 does not exist in queue ${q}.` },
    });
    const withQuery = await getRelations(
      apiRequest('GET', `${path(q, '1')}/relations?x=1`),
      routeParams({ queue: q, id: '1' }),
    );
    expect(withQuery.status).toBe(400);
    const anonymous = await getRelations(
      new Request(`http://localhost${path(q, '1')}/relations`),
      routeParams({ queue: q, id: '1' }),
    );
    expect(anonymous.status).toBe(401);
  });
});
