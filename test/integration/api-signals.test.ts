import type { Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  GET as listSignals,
  POST as postSignal,
  PUT as putSignals,
} from '../../app/api/signals/route';
import { jobHistory } from '../../db/job-signals';
import { createSignalWorker } from '../../worker/toolkit';
import { fixtures, sleep, uniqueQueue, waitFor } from '../helpers';
import { answer, apiRequest, closeServices, useApiToken } from './api-client';

let tokenName = '';
beforeAll(async () => {
  tokenName = `token:${await useApiToken('admin')}`;
});

const fx = fixtures();
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
});
afterAll(async () => {
  await fx.close();
  await closeServices();
});

const post = async (body: unknown, headers?: Record<string, string>) =>
  answer(await postSignal(apiRequest('POST', '/api/signals', body, headers)));
const rowsOf = async (queue: string) =>
  (await fx.sql`select count(*)::int as n from job_signals where queue = ${queue}`)[0]?.n;

describe('POST /api/signals', () => {
  it('201 with the new signal, then 200 with the same open signal', async () => {
    const q = uniqueQueue('api');
    const job = await fx.add(q, 'send-invoice', { invoice: 1 });
    const first = await post({ queue: q, jobId: job.id, signal: 'cancel', reason: 'duplicate' });
    expect(first.status).toBe(201);
    expect(first.body.signal).toMatchObject({
      queue: q,
      jobId: job.id,
      jobName: 'send-invoice',
      signal: 'cancel',
      status: 'pending',
      reason: 'duplicate',
      requestedBy: tokenName,
      workerId: null,
      outcome: null,
      deliveredAt: null,
      completedAt: null,
    });
    expect(Object.keys(first.body.signal).sort()).toEqual(
      [
        'id',
        'queue',
        'jobId',
        'jobName',
        'signal',
        'status',
        'reason',
        'requestedBy',
        'workerId',
        'outcome',
        'createdAt',
        'updatedAt',
        'deliveredAt',
        'completedAt',
        'operationId',
      ].sort(),
    );
    expect(new Date(first.body.signal.createdAt).toISOString()).toBe(first.body.signal.createdAt);
    const again = await post({ queue: q, jobId: job.id, signal: 'cancel' });
    expect(again.status).toBe(200);
    expect(again.body.signal.id).toBe(first.body.signal.id);
    expect(await rowsOf(q)).toBe(1);
  });

  it('a cancel through the API is acted on by a real worker', async () => {
    const q = uniqueQueue('api');
    const job = await fx.add(q, 'endless', {});
    const w = createSignalWorker(q, async (_job, ctx) => {
      for (;;) {
        await ctx.checkpoint();
        await sleep(5);
      }
    });
    workers.push(w);
    await waitFor(async () => (await job.getState()) === 'active', 'job active');
    const r = await post({ queue: q, jobId: job.id, signal: 'cancel', reason: 'stop it' });
    expect(r.status).toBe(201);
    await waitFor(
      async () => (await jobHistory(fx.db, q, job.id!))[0]?.status === 'completed',
      'signal completed',
    );
    // Now the job is finished: anything more is a conflict.
    const late = await post({ queue: q, jobId: job.id, signal: 'pause' });
    expect(late).toEqual({
      status: 409,
      body: { error: `Job ${job.id} has already been cancelled; there is nothing to pause.` },
    });
  });

  it('409 when the job state does not allow it, and nothing is written', async () => {
    const q = uniqueQueue('api');
    const job = await fx.add(q, 'report', {});
    const r = await post({ queue: q, jobId: job.id, signal: 'resume' });
    expect(r).toEqual({
      status: 409,
      body: {
        error: `Job ${job.id} is not paused (it is waiting); only a paused job can be resumed.`,
      },
    });
    expect(await rowsOf(q)).toBe(0);
  });

  it('409 for a job that already completed', async () => {
    const q = uniqueQueue('api');
    workers.push(createSignalWorker(q, async () => 'done'));
    const job = await fx.add(q, 'quick', {});
    await waitFor(async () => (await job.getState()) === 'completed', 'job completed');
    const r = await post({ queue: q, jobId: job.id, signal: 'cancel' });
    expect(r).toEqual({
      status: 409,
      body: { error: `Job ${job.id} has already completed; there is nothing to cancel.` },
    });
    expect(await rowsOf(q)).toBe(0);
  });

  it('404 for an unknown queue or job', async () => {
    const q = uniqueQueue('api');
    expect(await post({ queue: q, jobId: '1', signal: 'cancel' })).toEqual({
      status: 404,
      body: { error: `Queue ${q} does not exist.` },
    });
    await fx.add(q, 'x', {});
    expect(await post({ queue: q, jobId: 'nope', signal: 'cancel' })).toEqual({
      status: 404,
      body: { error: `Job nope does not exist in queue ${q}.` },
    });
    expect(await rowsOf(q)).toBe(0);
  });

  it('400 for malformed bodies, each with a sentence, writing nothing', async () => {
    const q = uniqueQueue('api');
    const job = await fx.add(q, 'x', {});
    const ok = { queue: q, jobId: job.id, signal: 'cancel' };
    const cases: [unknown, string, Record<string, string>?][] = [
      [{ ...ok, force: true }, 'Unknown field: force.'],
      [{ ...ok, jobId: 42 }, 'jobId: expected string, received number.'],
      [{ ...ok, signal: 'kill' }, 'signal: signal must be one of cancel, pause, resume.'],
      [{ ...ok, reason: 'x'.repeat(501) }, 'reason: reason is longer than 500 characters.'],
      [{ queue: q, signal: 'cancel' }, 'jobId: expected string, received undefined.'],
      [[ok], 'expected object, received array.'],
      ['{"queue": ', 'The body is not valid JSON.'],
      [
        { ...ok, reason: 'y'.repeat(70 * 1024) },
        'The body is larger than 64 KB; send less per request.',
      ],
      [
        ok,
        'The body must be JSON: send Content-Type: application/json.',
        { 'content-type': 'text/plain' },
      ],
    ];
    for (const [body, error, headers] of cases) {
      expect(await post(body, headers), JSON.stringify(body).slice(0, 60)).toEqual({
        status: 400,
        body: { error },
      });
    }
    expect(await rowsOf(q)).toBe(0);
  });

  it('405 for a method the route does not take', async () => {
    const res = putSignals(apiRequest('PUT', '/api/signals', {}));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
    expect(await res.json()).toEqual({ error: 'PUT is not supported here; use GET or POST.' });
  });
});

describe('GET /api/signals', () => {
  const get = async (qs: string) =>
    answer(await listSignals(apiRequest('GET', `/api/signals?${qs}`)));

  async function seed(queue: string) {
    // Three days of history, written as a SQL console would (with chosen times).
    await fx.sql`
      insert into job_signals (queue, job_id, job_name, signal, status, requested_by, created_at, reason)
      values
        (${queue}, '1', 'a', 'cancel', 'completed', 'ann', '2025-03-01T10:00:00Z', 'one'),
        (${queue}, '2', 'a', 'pause', 'superseded', 'bob', '2025-03-02T10:00:00Z', 'two'),
        (${queue}, '3', 'b', 'cancel', 'pending', 'ann', '2025-03-03T10:00:00Z', 'three'),
        (${queue}, '4', 'b', 'resume', 'completed', 'api', '2025-03-03T11:00:00Z', null)`;
  }

  it('lists newest first with the total, and pages', async () => {
    const q = uniqueQueue('api');
    await seed(q);
    const all = await get(`queue=${q}`);
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(4);
    expect(all.body.page).toBe(1);
    expect(all.body.pageSize).toBe(50);
    expect(all.body.signals.map((s: { jobId: string }) => s.jobId)).toEqual(['4', '3', '2', '1']);
    const p2 = await get(`queue=${q}&page=2&pageSize=3`);
    expect(p2.body).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(p2.body.signals.map((s: { jobId: string }) => s.jobId)).toEqual(['1']);
  });

  it('filters by status, signal, jobId, requestedBy and a from/to range', async () => {
    const q = uniqueQueue('api');
    await seed(q);
    const ids = async (qs: string) =>
      (await get(`queue=${q}&${qs}`)).body.signals.map((s: { jobId: string }) => s.jobId);
    expect(await ids('status=completed')).toEqual(['4', '1']);
    expect(await ids('status=pending,superseded')).toEqual(['3', '2']);
    expect(await ids('signal=cancel')).toEqual(['3', '1']);
    expect(await ids('jobId=2')).toEqual(['2']);
    expect(await ids('requestedBy=ann')).toEqual(['3', '1']);
    expect(await ids('from=2025-03-02&to=2025-03-02')).toEqual(['2']);
    expect(await ids('from=2025-03-03T10:30:00Z')).toEqual(['4']);
    expect(await ids('to=2025-03-03T10:00:00Z')).toEqual(['3', '2', '1']);
    expect((await get(`queue=${q}&search=THREE`)).body.total).toBe(1);
  });

  it('400 for bad query parameters, 405 for other methods', async () => {
    const bad: [string, string][] = [
      [
        'status=done',
        'status must be one of pending, delivered, completed, superseded; got "done".',
      ],
      ['signal=kill', 'signal must be one of cancel, pause, resume; got "kill".'],
      ['pageSize=0', 'pageSize must be a whole number from 1 to 500; got "0".'],
      ['pageSize=501', 'pageSize must be a whole number from 1 to 500; got "501".'],
      ['page=0', 'page must be a whole number from 1 to 1000000; got "0".'],
      [
        'from=yesterday',
        'from must be a date (2025-01-31) or an ISO timestamp (2025-01-31T09:30:00Z); got "yesterday".',
      ],
      [
        'to=2025-02-30',
        'to must be a date (2025-01-31) or an ISO timestamp (2025-01-31T09:30:00Z); got "2025-02-30".',
      ],
      ['from=2025-03-02&to=2025-03-01', 'to must not be before from.'],
      [
        'stauts=pending',
        'Unknown query parameter: stauts. Known: status, signal, queue, jobId, requestedBy, operation, from, to, search, sort, page, pageSize, cursor.',
      ],
    ];
    for (const [qs, error] of bad)
      expect(await get(qs), qs).toEqual({ status: 400, body: { error } });
  });
});
