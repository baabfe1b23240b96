import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getBulk, POST as postBulk } from '../../app/api/signals/bulk/route';
import { fixtures, uniqueQueue } from '../helpers';
import { answer, apiRequest, closeServices, useApiToken } from './api-client';

let tokenName = '';
beforeAll(async () => {
  tokenName = `token:${await useApiToken('admin')}`;
});

const fx = fixtures();
afterAll(async () => {
  await fx.close();
  await closeServices();
});

const bulk = async (body: unknown) =>
  answer(await postBulk(apiRequest('POST', '/api/signals/bulk', body)));
const rowsOf = async (queue: string) =>
  (await fx.sql`select job_id, signal, requested_by from job_signals where queue = ${queue} order by job_id`) as unknown as {
    job_id: string;
    signal: string;
    requested_by: string;
  }[];

describe('POST /api/signals/bulk', () => {
  it('200: signals the listed jobs and says which were skipped and why', async () => {
    const q = uniqueQueue('bulk');
    const a = await fx.add(q, 'export', {});
    const b = await fx.add(q, 'export', {});
    const r = await bulk({
      queue: q,
      signal: 'cancel',
      reason: 'wrong data',
      jobIds: [a.id, b.id, 'gone'],
    });
    expect(r).toEqual({
      status: 200,
      body: {
        requested: 2,
        skipped: [{ jobId: 'gone', reason: `Job gone does not exist in queue ${q}.` }],
        operationId: expect.any(Number),
      },
    });
    expect(await rowsOf(q)).toEqual([
      { job_id: a.id, signal: 'cancel', requested_by: tokenName },
      { job_id: b.id, signal: 'cancel', requested_by: tokenName },
    ]);
    // Asking again meets the open signals: still 200, no new rows.
    expect((await bulk({ queue: q, signal: 'cancel', jobIds: [a.id, b.id] })).body).toEqual({
      requested: 2,
      skipped: [],
      operationId: expect.any(Number),
    });
    expect(await rowsOf(q)).toHaveLength(2);
  });

  it('200: by name, every queued job of that name; a state that does not allow it is skipped', async () => {
    const q = uniqueQueue('bulk');
    await fx.add(q, 'send-invoice', { n: 1 });
    await fx.add(q, 'send-invoice', { n: 2 });
    const other = await fx.add(q, 'report', {});
    expect(await bulk({ queue: q, signal: 'pause', name: 'send-invoice' })).toEqual({
      status: 200,
      body: { requested: 2, skipped: [], operationId: expect.any(Number) },
    });
    const resumed = await bulk({ queue: q, signal: 'resume', jobIds: [other.id] });
    expect(resumed.body).toEqual({
      operationId: expect.any(Number),
      requested: 0,
      skipped: [
        {
          jobId: other.id,
          reason: `Job ${other.id} is not paused (it is waiting); only a paused job can be resumed.`,
        },
      ],
    });
  });

  it('400 for malformed requests, 404 for an unknown queue, 405 for GET; nothing written', async () => {
    const q = uniqueQueue('bulk');
    const job = await fx.add(q, 'x', {});
    const cases: [unknown, number, string][] = [
      [
        { queue: q, signal: 'cancel', jobIds: [job.id], name: 'x' },
        400,
        'give exactly one of jobIds or name.',
      ],
      [{ queue: q, signal: 'cancel' }, 400, 'give exactly one of jobIds or name.'],
      [{ queue: q, signal: 'cancel', jobIds: [] }, 400, 'jobIds: jobIds is empty.'],
      [{ queue: q, signal: 'cancel', jobIds: [job.id], all: true }, 400, 'Unknown field: all.'],
      [
        { queue: q, signal: 'cancel', jobIds: [job.id], reason: 'r'.repeat(501) },
        400,
        'reason: reason is longer than 500 characters.',
      ],
      [
        { queue: `${q}-nope`, signal: 'cancel', jobIds: ['1'] },
        404,
        `Queue ${q}-nope does not exist.`,
      ],
    ];
    for (const [body, status, error] of cases) {
      expect(await bulk(body), JSON.stringify(body)).toEqual({ status, body: { error } });
    }
    expect(await rowsOf(q)).toEqual([]);
    const res = getBulk(apiRequest('GET', '/api/signals/bulk'));
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({ error: 'GET is not supported here; use POST.' });
  });
});
