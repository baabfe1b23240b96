import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET as getJob } from '../../app/api/jobs/[queue]/[id]/route';
import { GET as listJobsRoute } from '../../app/api/jobs/route';
import { POST as postBulk } from '../../app/api/signals/bulk/route';
import { POST as postSignal } from '../../app/api/signals/route';
import { loadQueuesPage } from '../../app/queues/load';
import { deleteKeys, fixtures, uniqueQueue } from '../helpers';
import { answer, apiRequest, closeServices, routeParams, useApiToken } from './api-client';

// The route handlers' registry discovers afresh on every call here (no cached answer from before the queues exist).
vi.stubEnv('SIGNAL_DESK_DISCOVERY_MS', '0');

beforeAll(async () => {
  await useApiToken('admin');
});

const fx = fixtures();
afterAll(async () => {
  await fx.close();
  await closeServices();
  vi.unstubAllEnvs();
});

const list = async (qs: string) =>
  answer(await listJobsRoute(apiRequest('GET', `/api/jobs?${qs}`)));
const detail = async (queue: string, id: string) =>
  answer(
    await getJob(
      apiRequest('GET', `/api/jobs/${encodeURIComponent(queue)}/${encodeURIComponent(id)}`),
      routeParams({ queue, id }),
    ),
  );

describe("job ids that are BullMQ's own key names", () => {
  // `wait`, `meta`, `events`, `id` and `marker` exist once a job is added; `<id>:logs` once it logs.
  const reserved = ['events', 'meta', 'id', 'wait', 'marker', 'stalled-check', 'repeat:nightly'];

  it('are unknown jobs: 404 on the job API and for a signal; a bulk request skips them with a reason', async () => {
    const q = uniqueQueue('keys');
    const job = await fx.add(q, 'report', {});
    await job.log('first line');
    const names = [...reserved, `${job.id}:logs`];
    for (const id of names) {
      expect(await detail(q, id), id).toEqual({
        status: 404,
        body: { error: `Job ${id} does not exist in queue ${q}.` },
      });
      const r = await answer(
        await postSignal(
          apiRequest('POST', '/api/signals', { queue: q, jobId: id, signal: 'cancel' }),
        ),
      );
      expect(r, id).toEqual({
        status: 404,
        body: { error: `Job ${id} does not exist in queue ${q}.` },
      });
    }
    const bulk = await answer(
      await postBulk(
        apiRequest('POST', '/api/signals/bulk', {
          queue: q,
          signal: 'cancel',
          jobIds: [job.id, 'events', 'meta', `${job.id}:logs`],
        }),
      ),
    );
    expect(bulk).toEqual({
      status: 200,
      body: {
        requested: 1,
        operationId: expect.any(Number),
        skipped: ['events', 'meta', `${job.id}:logs`].map((id) => ({
          jobId: id,
          reason: `Job ${id} does not exist in queue ${q}.`,
        })),
      },
    });
    // The real job is still found as a job.
    expect((await detail(q, job.id as string)).status).toBe(200);
  });
});

describe('queue and job names a producer made odd', () => {
  const tag = `odd${randomUUID().slice(0, 8)}`;
  const nul = `${tag}-nul\u0000`;
  const control = `${tag}-bell\u0007\n\u202e`;
  const lone = `${tag}-lone\ud800`;
  const long = `${tag}-${'x'.repeat(10_000)}`;

  beforeAll(async () => {
    for (const name of [nul, control, lone, long]) {
      await fx.add(name, `job\u0000${'n'.repeat(2_000)}\u0007`, { ok: true });
    }
    // A key that looks like a queue's meta but is no BullMQ queue (BullMQ refuses ':' in names).
    await fx.queues.connection.hset(`bull:${tag}:colon:meta`, 'version', 'x');
  });
  afterAll(async () => {
    // Every key of these queues, the lone surrogate's too (its bytes are not UTF-8).
    await deleteKeys(fx.queues.connection, `bull:${tag}*`);
  });

  it('/queues lists them escaped-ready, skips what cannot be addressed, and says so', async () => {
    const page = await loadQueuesPage({ search: tag, page: 1 });
    expect(page.ok).toBe(true);
    if (!page.ok) return;
    // A lone surrogate reaches Redis as U+FFFD: the queue is listed under that name.
    expect(page.data.queues.map((q) => q.name).sort()).toEqual(
      [nul, control, `${tag}-lone\ufffd`].sort(),
    );
    expect(page.data.total).toBe(3);
    const reasons = page.data.skipped.map((s) => s.reason);
    expect(reasons).toContain('a name longer than 200 characters');
    expect(reasons).toContain("a name with ':' (not a BullMQ queue)");
    for (const q of page.data.queues) expect(q.counts.waiting).toBe(1);
  });

  it('GET /api/jobs answers for every queue and for each odd one', async () => {
    const all = await list('state=all&pageSize=500');
    expect(all.status).toBe(200);
    // BullMQ packs a lone surrogate into its job keys as bytes that are not UTF-8 (WTF-8),
    // so no string names them: that queue answers with its count and no rows it cannot read.
    const lonely = await list(`queue=${encodeURIComponent(`${tag}-lone\ufffd`)}`);
    expect(lonely).toMatchObject({ status: 200, body: { total: 1 } });
    for (const name of [nul, control]) {
      const one = await list(`queue=${encodeURIComponent(name)}`);
      expect(one.status, JSON.stringify(name)).toBe(200);
      expect(one.body.jobs, JSON.stringify([name, one.body])).toHaveLength(1);
      expect(one.body.jobs[0]).toMatchObject({
        queue: name,
        name: `job\u0000${'n'.repeat(2_000)}\u0007`,
        latestSignal: null,
      });
    }
    const named = await list(
      `queue=${encodeURIComponent(nul)}&name=${encodeURIComponent('job\u0000')}`,
    );
    expect(named).toMatchObject({ status: 200, body: { total: 0 } });
  });
});
