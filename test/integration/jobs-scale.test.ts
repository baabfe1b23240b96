import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as listJobsRoute } from '../../app/api/jobs/route';
import { listJobs, queueCounts } from '../../app/bullmq/job-list';
import { SCAN_LIMIT } from '../../app/bullmq/job-scan';
import { QueueRegistry } from '../../app/bullmq/queue-registry';
import { getScanGate, PER_CALLER, WAITING } from '../../app/bullmq/scan-gate';
import { workerConnection } from '../../worker/config';
import { ACTIONABLE_STATES } from '../../worker/job-state';
import { MARKER_KEY, PARK_DELAY_MS } from '../../worker/marker';
import { fixtures, uniqueQueue, waitFor } from '../helpers';
import { answer, apiRequest, closeServices, useApiToken } from './api-client';

let tokenName = '';
beforeAll(async () => {
  tokenName = `token:${await useApiToken('viewer')}`;
});

const fx = fixtures();
afterAll(async () => {
  await fx.close();
  await closeServices();
});

const list = async (qs: string) =>
  answer(await listJobsRoute(apiRequest('GET', `/api/jobs?${qs}`)));
const ids = (body: { jobs: { id: string }[] }) => body.jobs.map((j) => j.id);

/** A parked job as the toolkit leaves it: delayed five years, marked paused in its data. */
async function parked(queue: string, name: string) {
  return fx.add(
    queue,
    name,
    { n: 1, [MARKER_KEY]: { paused: { at: Date.now(), signalId: 1 } } },
    { delay: PARK_DELAY_MS },
  );
}

describe('jobs pages at any depth', () => {
  it('a deep page holds what BullMQ holds at those ranks, named from its list', async () => {
    const q = uniqueQueue('deep');
    await fx
      .queue(q)
      .addBulk(Array.from({ length: 300 }, (_, i) => ({ name: 'render', data: { i } })));
    for (const order of ['desc', 'asc'] as const) {
      const page = await listJobs(fx.queues, {
        queue: q,
        states: ['waiting'],
        order,
        page: 5,
        pageSize: 50,
      });
      const expected = await fx.queue(q).getRanges(['waiting'], 200, 249, order === 'asc');
      expect(page.jobs.map((j) => j.id)).toEqual(expected);
      expect(page.jobs.every((j) => j.state === 'waiting')).toBe(true);
      expect(page).toMatchObject({ total: 300, scan: null });
    }
  });

  it('paused and delayed split at the park horizon; rows and counts agree', async () => {
    const q = uniqueQueue('split');
    const later = await fx.add(q, 'later', {}, { delay: 60_000 });
    const p1 = await parked(q, 'parked');
    const p2 = await parked(q, 'parked');
    const waiting = await fx.add(q, 'now', {});
    const delayed = await list(`queue=${q}&state=delayed`);
    expect(delayed.body).toMatchObject({ total: 1 });
    expect(delayed.body.jobs.map((j: { id: string; state: string }) => [j.id, j.state])).toEqual([
      [later.id, 'delayed'],
    ]);
    const paused = await list(`queue=${q}&state=paused`);
    expect(paused.body.total).toBe(2);
    expect(new Set(ids(paused.body))).toEqual(new Set([p1.id, p2.id]));
    expect(paused.body.jobs.every((j: { state: string }) => j.state === 'paused')).toBe(true);
    // Second page of the paused region: one job, past the first.
    const second = await list(`queue=${q}&state=paused&page=2&pageSize=1`);
    expect(second.body.jobs).toHaveLength(1);
    expect(ids(second.body)[0]).not.toBe(ids(paused.body)[0]);
    const all = await list(`queue=${q}`);
    expect(all.body.total).toBe(4);
    expect(new Set(ids(all.body))).toEqual(new Set([later.id, p1.id, p2.id, waiting.id]));
    const [counts] = await queueCounts(fx.queues, [q]);
    expect(counts?.counts).toMatchObject({ delayed: 1, paused: 2, waiting: 1 });
    expect(counts?.approximate).toEqual([]);
  });

  it('lists carry no data, return value or stack trace unless asked (include=…)', async () => {
    const q = uniqueQueue('lean');
    const job = await fx.add(q, 'big', { blob: 'x'.repeat(100_000) });
    const lean = await list(`queue=${q}`);
    expect(lean.status).toBe(200);
    const [row] = lean.body.jobs;
    expect(row).toMatchObject({ id: job.id, name: 'big', state: 'waiting', latestSignal: null });
    expect(row).not.toHaveProperty('data');
    expect(row).not.toHaveProperty('returnvalue');
    expect(row).not.toHaveProperty('stacktrace');
    expect(JSON.stringify(lean.body).length).toBeLessThan(5_000);
    const full = await list(`queue=${q}&include=data,stacktrace`);
    expect(full.body.jobs[0].data).toEqual({ blob: 'x'.repeat(100_000) });
    expect(full.body.jobs[0].stacktrace).toEqual([]);
    expect(full.body.jobs[0]).not.toHaveProperty('returnvalue');
    expect(await list(`queue=${q}&include=opts`)).toEqual({
      status: 400,
      body: {
        error:
          'include must be a comma-separated list of data, returnvalue, stacktrace; got "opts".',
      },
    });
  });
});

describe('bounded scans', () => {
  it(`a name filter looks at ${SCAN_LIMIT.toLocaleString('en')} jobs at most and says so; narrowing finds the rest`, async () => {
    const q = uniqueQueue('scan');
    const n = SCAN_LIMIT + 500;
    for (let i = 0; i < n; i += 1000) {
      await fx.queue(q).addBulk(
        Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({
          name: (i + j) % 10 === 0 ? 'send-invoice' : 'render',
          data: {},
        })),
      );
    }
    const delayed = await fx.add(q, 'send-invoice', {}, { delay: 60_000 });
    const named = await list(`queue=${q}&name=send-invoice`);
    expect(named.status).toBe(200);
    expect(named.body.scan).toEqual({ looked: SCAN_LIMIT, limit: SCAN_LIMIT, complete: false });
    // Only the jobs looked at are counted: the newest 5,000 waiting ones hold 500 of that name.
    expect(named.body.total).toBe(SCAN_LIMIT / 10);
    expect(named.body.jobs.every((j: { name: string }) => j.name === 'send-invoice')).toBe(true);
    expect(ids(named.body)).not.toContain(delayed.id);
    // Narrowed to the delayed state, the scan is complete and finds the delayed one.
    const narrowed = await list(`queue=${q}&name=send-invoice&state=delayed`);
    expect(narrowed.body).toMatchObject({
      total: 1,
      scan: { looked: 1, limit: SCAN_LIMIT, complete: true },
    });
    expect(ids(narrowed.body)).toEqual([delayed.id]);
    // A search of ids and names is bounded the same way.
    const search = await listJobs(fx.queues, {
      queue: q,
      states: ACTIONABLE_STATES,
      search: 'INVOICE',
      page: 1,
      pageSize: 10,
    });
    expect(search.scan).toEqual({ looked: SCAN_LIMIT, limit: SCAN_LIMIT, complete: false });
    expect(search.total).toBe(SCAN_LIMIT / 10);
  });

  it('one caller runs one scan at a time with two waiting; a fourth is refused (429), others go on', async () => {
    const q = uniqueQueue('gate');
    await fx.add(q, 'send-invoice', {});
    const gate = getScanGate();
    let release = () => {};
    const blocked = new Promise<void>((r) => {
      release = r;
    });
    // This token's caller fills its running slot and its waiting places.
    const held = Array.from({ length: PER_CALLER + WAITING }, () =>
      gate.run(tokenName, () => blocked),
    );
    await waitFor(() => gate.runningFor(tokenName) === PER_CALLER, 'scans of the token running');
    const refused = await list(`queue=${q}&name=send-invoice`);
    expect(refused).toEqual({
      status: 429,
      body: {
        error:
          'You already have 3 searches of jobs running or waiting; wait for them to finish, or narrow this one to a queue and a state.',
      },
    });
    // A list that needs no scan is not gated.
    expect((await list(`queue=${q}`)).status).toBe(200);
    // Another caller is not held up by this one.
    const other = await listJobs(fx.queues, {
      queue: q,
      states: ACTIONABLE_STATES,
      name: 'send-invoice',
      page: 1,
      pageSize: 10,
      caller: 'someone-else@example.com',
    });
    expect(other.total).toBe(1);
    release();
    await Promise.all(held);
    expect((await list(`queue=${q}&name=send-invoice`)).status).toBe(200);
  });
});

describe('queue discovery', () => {
  it('one scan serves every caller for the interval; a new queue appears after it', async () => {
    const prefix = `disc-${Date.now()}`;
    const slow = new QueueRegistry(workerConnection(), prefix, true, 60_000);
    const fast = new QueueRegistry(workerConnection(), prefix, true, 200);
    try {
      await slow.get('first').add('x', {});
      expect(await Promise.all([slow.discover(), slow.discover(), slow.discover()])).toEqual([
        ['first'],
        ['first'],
        ['first'],
      ]);
      expect(slow.scans).toBe(1);
      await slow.get('second').add('x', {});
      // Within the interval: the cached answer, no second scan.
      expect(await slow.discover()).toEqual(['first']);
      expect(slow.scans).toBe(1);
      // With a short interval the new queue shows up once it has passed.
      await waitFor(
        async () => (await fast.discover()).includes('second'),
        'second queue discovered',
      );
      expect(fast.scans).toBeGreaterThanOrEqual(1);
    } finally {
      await slow.get('first').obliterate({ force: true });
      await slow.get('second').obliterate({ force: true });
      await slow.close();
      await fast.close();
    }
  });

  it('queues sort naturally: q2 before q10', async () => {
    const prefix = `nat-${Date.now()}`;
    const reg = new QueueRegistry(workerConnection(), prefix, true, 0);
    try {
      for (const n of ['q10', 'q2', 'q1', 'Q3']) await reg.get(n).add('x', {});
      expect(await reg.discover()).toEqual(['q1', 'q2', 'Q3', 'q10']);
    } finally {
      for (const n of ['q10', 'q2', 'q1', 'Q3']) await reg.get(n).obliterate({ force: true });
      await reg.close();
    }
  });
});
