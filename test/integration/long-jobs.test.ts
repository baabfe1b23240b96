import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { countNamedJobsAction } from '../../app/actions/count-named-jobs';
import { requestBulkSignalsAction } from '../../app/actions/request-bulk-signals';
import { requestSignalAction } from '../../app/actions/request-signal';
import { GET as getJob } from '../../app/api/jobs/[queue]/[id]/route';
import { POST as postBulk } from '../../app/api/signals/bulk/route';
import { POST as postSignal } from '../../app/api/signals/route';
import { jobHistory } from '../../db/job-signals';
import { fixtures, resetServices, uniqueQueue } from '../helpers';
import { caller, signInAs } from './actions-helpers';
import { answer, apiRequest, routeParams, useApiToken } from './api-client';

vi.mock('next/headers', () => ({ headers: async () => caller.headers }));

beforeAll(async () => {
  await useApiToken('support');
});
const fx = fixtures();
afterAll(async () => {
  await resetServices();
  await fx.close();
});
beforeEach(() => signInAs('ann@example.com', 'support'));

const api = async (path: string, body: unknown) =>
  answer(await (path.endsWith('bulk') ? postBulk : postSignal)(apiRequest('POST', path, body)));

/** Random text PostgreSQL cannot compress: the worst case for the btree of job_signals. */
const incompressible = (bytes: number) => randomBytes(bytes).toString('base64url').slice(0, bytes);

describe('any id and name BullMQ accepts, up to one cap', () => {
  it('a 500-character id is signalled by the API and the buttons, and its job page answers', async () => {
    const q = uniqueQueue('long');
    const id = `tenant-42/report/${'x'.repeat(483)}`;
    await fx.add(q, 'report', {}, { jobId: id, delay: 60_000 });
    expect(await api('/api/signals', { queue: q, jobId: id, signal: 'pause' })).toMatchObject({
      status: 201,
      body: { signal: { jobId: id, signal: 'pause' } },
    });
    expect(await requestSignalAction({ queue: q, jobId: id, signal: 'cancel' })).toMatchObject({
      ok: true,
      data: { created: true, signal: { signal: 'cancel' } },
    });
    const detail = await answer(
      await getJob(
        apiRequest('GET', `/api/jobs/${q}/${encodeURIComponent(id)}`),
        routeParams({ queue: q, id }),
      ),
    );
    expect(detail.status).toBe(200);
    expect(detail.body.signals.map((s: { signal: string }) => s.signal)).toEqual([
      'pause',
      'cancel',
    ]);
  });

  it('a 2,000-character name: counted and cancelled by name through the API and the buttons', async () => {
    const q = uniqueQueue('long');
    const name = `export-${'n'.repeat(1993)}`;
    const a = await fx.add(q, name, {}, { delay: 60_000 });
    const b = await fx.add(q, name, {}, { delay: 60_000 });
    await fx.add(q, 'other', {}, { delay: 60_000 });
    expect(await countNamedJobsAction({ queue: q, name })).toEqual({
      ok: true,
      data: { count: 2, workers: 0 },
    });
    expect(await requestBulkSignalsAction({ queue: q, signal: 'pause', name })).toMatchObject({
      ok: true,
      data: { requested: 2, skipped: [] },
    });
    expect(await api('/api/signals/bulk', { queue: q, signal: 'cancel', name })).toEqual({
      status: 200,
      body: { requested: 2, skipped: [], operationId: expect.any(Number) },
    });
    const [signal] = await jobHistory(fx.db, q, String(a.id));
    expect(signal?.jobName).toBe(name);
    expect(await jobHistory(fx.db, q, String(b.id))).toHaveLength(2);
  });

  it('the longest id the cap allows fits the signals table, even incompressible under the longest queue name', async () => {
    const q = `${uniqueQueue('cap')}-${'q'.repeat(470)}`;
    const id = incompressible(2048);
    expect(Buffer.byteLength(q)).toBeLessThanOrEqual(512);
    await fx.add(q, 'x', {}, { jobId: id, delay: 60_000 });
    expect((await api('/api/signals', { queue: q, jobId: id, signal: 'cancel' })).status).toBe(201);
    expect(await jobHistory(fx.db, q, id)).toHaveLength(1);
  });

  it('one byte over the cap: refused in the same words by the API, the buttons and the count, nothing written', async () => {
    const q = uniqueQueue('long');
    // 683 euro signs: 683 characters, 2,049 bytes.
    const over = '€'.repeat(683);
    await fx.add(q, over, {}, { jobId: over, delay: 60_000 });
    const idError = 'jobId: jobId is longer than 2,048 bytes (UTF-8).';
    const nameError = 'name: name is longer than 2,048 bytes (UTF-8).';
    expect(await api('/api/signals', { queue: q, jobId: over, signal: 'cancel' })).toEqual({
      status: 400,
      body: { error: idError },
    });
    expect(await requestSignalAction({ queue: q, jobId: over, signal: 'cancel' })).toEqual({
      ok: false,
      error: idError,
    });
    expect(await api('/api/signals/bulk', { queue: q, signal: 'cancel', name: over })).toEqual({
      status: 400,
      body: { error: nameError },
    });
    expect(await requestBulkSignalsAction({ queue: q, signal: 'cancel', name: over })).toEqual({
      ok: false,
      error: nameError,
    });
    expect(await countNamedJobsAction({ queue: q, name: over })).toEqual({
      ok: false,
      error: nameError,
    });
    expect(await jobHistory(fx.db, q, over)).toEqual([]);
  });

  it('cancel by name skips a job whose id is over the cap, saying why, and signals the others', async () => {
    const q = uniqueQueue('long');
    const over = 'i'.repeat(2049);
    await fx.add(q, 'nightly', {}, { jobId: over, delay: 60_000 });
    const ok = await fx.add(q, 'nightly', {}, { delay: 60_000 });
    expect(await api('/api/signals/bulk', { queue: q, signal: 'cancel', name: 'nightly' })).toEqual(
      {
        status: 200,
        body: {
          requested: 1,
          operationId: expect.any(Number),
          skipped: [
            {
              jobId: over,
              reason:
                'jobId is longer than 2,048 bytes (UTF-8): the signals table cannot index it, so no signal can reach this job.',
            },
          ],
        },
      },
    );
    expect(await jobHistory(fx.db, q, String(ok.id))).toHaveLength(1);
  });
});
