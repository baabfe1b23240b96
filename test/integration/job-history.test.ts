import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GET as getJob } from '../../app/api/jobs/[queue]/[id]/route';
import { GET as getValue } from '../../app/api/jobs/[queue]/[id]/values/[field]/route';
import { workerConnection } from '../../worker/config';
import { MARKER_KEY } from '../../worker/marker';
import { createSignalWorker } from '../../worker/toolkit';
import { fixtures, sleep, uniqueQueue, waitFor } from '../helpers';
import { answer, apiRequest, closeServices, routeParams, useApiToken } from './api-client';

beforeAll(async () => {
  await useApiToken('viewer');
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

const base = (queue: string, id: string) =>
  `/api/jobs/${encodeURIComponent(queue)}/${encodeURIComponent(id)}`;
const detail = async (queue: string, id: string, qs = '') =>
  answer(await getJob(apiRequest('GET', `${base(queue, id)}${qs}`), routeParams({ queue, id })));
const value = (
  queue: string,
  id: string,
  field: string,
  qs = '',
  headers?: Record<string, string>,
) =>
  getValue(
    apiRequest('GET', `${base(queue, id)}/values/${field}${qs}`, undefined, headers),
    routeParams({ queue, id, field }),
  );

/** Writes `n` finished signals for a job, one a second, the newest a second ago. */
async function manySignals(queue: string, jobId: string, n: number) {
  await fx.sql`
    insert into job_signals (queue, job_id, job_name, signal, status, requested_by, outcome, created_at, completed_at)
    select ${queue}, ${jobId}, 'chatty', (array['pause', 'resume'])[1 + i % 2]::signal_kind, 'superseded',
      'load@example.com', jsonb_build_object('reason', 'test'),
      now() - (${n} + 1 - i) * interval '1 second', now()
    from generate_series(1, ${n}) i`;
}

describe("GET /api/jobs/:queue/:id pages a job's signals", () => {
  it('5,000 signals: the newest 100 oldest first, with a cursor that walks back through all of them once', async () => {
    const q = uniqueQueue('hist');
    const job = await fx.add(
      q,
      'chatty',
      {},
      { delay: 60_000, timestamp: Date.now() - 86_400_000 },
    );
    const id = String(job.id);
    await manySignals(q, id, 5000);
    const first = await detail(q, id);
    expect(first.status).toBe(200);
    expect(Object.keys(first.body)).toEqual(['job', 'signals', 'signalsTotal', 'signalsNext']);
    expect(first.body.signals).toHaveLength(100);
    expect(first.body.signalsTotal).toBe(5000);
    expect(first.body.signalsNext).toBe(first.body.signals[0].id);
    const seen: number[] = first.body.signals.map((s: { id: number }) => s.id);
    let next = first.body.signalsNext;
    while (next !== null) {
      const page = await detail(q, id, `?signalsBefore=${next}&signalsLimit=500`);
      expect(page.status).toBe(200);
      seen.unshift(...page.body.signals.map((s: { id: number }) => s.id));
      next = page.body.signalsNext;
    }
    expect(seen).toHaveLength(5000);
    expect(new Set(seen).size).toBe(5000);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('an ordinary job answers { job, signals } as it always did', async () => {
    const q = uniqueQueue('hist');
    const job = await fx.add(q, 'quiet', {}, { delay: 60_000 });
    await manySignals(q, String(job.id), 0);
    const r = await detail(q, String(job.id));
    expect(Object.keys(r.body)).toEqual(['job', 'signals']);
  });

  it('400 for a bad limit, a foreign or bad cursor, an unknown parameter', async () => {
    const q = uniqueQueue('hist');
    const job = await fx.add(q, 'chatty', {}, { delay: 60_000, timestamp: Date.now() - 60_000 });
    const other = await fx.add(q, 'other', {}, { delay: 60_000, timestamp: Date.now() - 60_000 });
    await manySignals(q, String(job.id), 3);
    await manySignals(q, String(other.id), 1);
    const foreign = (await detail(q, String(other.id))).body.signals[0].id;
    const cases: [string, string][] = [
      ['?signalsLimit=0', 'signalsLimit must be a whole number from 1 to 500; got "0".'],
      ['?signalsLimit=501', 'signalsLimit must be a whole number from 1 to 500; got "501".'],
      [
        '?signalsBefore=x',
        'signalsBefore must be a signal id (a whole number, the signalsNext of an earlier answer); got "x".',
      ],
      [
        `?signalsBefore=${foreign}`,
        `signalsBefore must name a signal of job ${job.id} in ${q} (the signalsNext of an earlier answer); ${foreign} does not.`,
      ],
      ['?page=2', 'Unknown query parameter: page. Known: signalsLimit, signalsBefore.'],
    ];
    for (const [qs, error] of cases)
      expect(await detail(q, String(job.id), qs), qs).toEqual({ status: 400, body: { error } });
  });
});

describe('GET /api/jobs/:queue/:id/values/:field serves each value whole', () => {
  it('5 MB of data, exactly as stored, streamed; ?download=1 saves it', async () => {
    const q = uniqueQueue('values');
    const data = { rows: Array.from({ length: 50_000 }, (_, i) => ({ i, text: 'd'.repeat(90) })) };
    const job = await fx.add(q, 'import', data, { delay: 60_000 });
    const res = await value(q, String(job.id), 'data');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const text = await res.text();
    expect(text.length).toBeGreaterThan(5_000_000);
    expect(JSON.parse(text)).toEqual(data);
    const saved = await value(q, String(job.id), 'data', '?download=1');
    expect(saved.headers.get('content-disposition')).toBe(
      `attachment; filename="${q}-${job.id}-data.json"`,
    );
    await saved.body?.cancel();
  });

  it("a paused job's data without the park marker; return value, stack trace, failure reason and logs", async () => {
    const q = uniqueQueue('values');
    const parked = await fx.add(q, 'render', { pages: 3 }, { delay: 60_000 });
    workers.push(createSignalWorker(q, async () => ({ blob: 'r'.repeat(2 * 1024 * 1024) })));
    // The park marker, as the toolkit writes it when it parks a job.
    await parked.updateData({
      pages: 3,
      [MARKER_KEY]: { paused: { at: Date.now(), signalId: 1 } },
    });
    const data = await value(q, String(parked.id), 'data');
    expect(await data.json()).toEqual({ pages: 3 });

    const done = await fx.add(q, 'big-result', {});
    await waitFor(async () => (await done.getState()) === 'completed', 'job completed');
    const rv = await value(q, String(done.id), 'returnvalue');
    expect((await rv.json()).blob).toHaveLength(2 * 1024 * 1024);
    await Promise.all(workers.splice(0).map((w) => w.close()));

    const fq = uniqueQueue('values');
    const failing = await fx.add(fq, 'boom', {});
    await failing.log('first line');
    await failing.log('second line');
    const w = new Worker(
      fq,
      async (): Promise<unknown> => {
        const err = new UnrecoverableError('boom: the export failed');
        err.stack = `UnrecoverableError: boom\n${'    at frame (file.js:1:1)\n'.repeat(19_000)}`;
        throw err;
      },
      { connection: workerConnection() },
    );
    workers.push(w as Worker);
    await waitFor(async () => (await failing.getState()) === 'failed', 'job failed');
    const trace = await value(fq, String(failing.id), 'stacktrace');
    expect(trace.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await trace.text()).length).toBeGreaterThan(500_000);
    expect(await (await value(fq, String(failing.id), 'failedReason')).text()).toBe(
      'boom: the export failed',
    );
    expect(await (await value(fq, String(failing.id), 'logs')).text()).toBe(
      'first line\nsecond line\n',
    );
  });

  it('404 for what a job does not have, 400 for bad parameters, 401 without a token', async () => {
    const q = uniqueQueue('values');
    const job = await fx.add(q, 'x', {}, { delay: 60_000 });
    const id = String(job.id);
    const error = async (res: Response) => [res.status, (await res.json()).error];
    expect(await error(await value(q, id, 'returnvalue'))).toEqual([
      404,
      `Job ${id} in ${q} has no return value (it has not completed).`,
    ]);
    expect(await error(await value(q, id, 'secrets'))).toEqual([
      404,
      'A job has no value named secrets; ask for one of data, returnvalue, stacktrace, failedReason, logs, opts, progress, outcome.',
    ]);
    expect(await error(await value(q, 'nope', 'data'))).toEqual([
      404,
      `Job nope does not exist in queue ${q}.`,
    ]);
    expect(await error(await value(q, id, 'outcome'))).toEqual([
      400,
      'outcome needs signal=<id>, the signal whose outcome to read.',
    ]);
    expect(await error(await value(q, id, 'data', '?signal=1'))).toEqual([
      400,
      'Only the outcome takes a signal parameter.',
    ]);
    expect((await value(q, id, 'data', '', { authorization: '' })).status).toBe(401);
  });

  it("a job a cancel removed: its data from the cancel's outcome; the outcome itself", async () => {
    const q = uniqueQueue('values');
    const job = await fx.add(q, 'send', { invoice: 9 });
    workers.push(createSignalWorker(q, async () => 'never', { autorun: false }));
    await fx.sql`
      insert into job_signals (queue, job_id, job_name, signal, requested_by)
      values (${q}, ${String(job.id)}, 'send', 'cancel', 'tester')`;
    await fx.sql`select pg_notify('job_signals', '{}')`;
    await waitFor(async () => !(await fx.queue(q).getJob(String(job.id))), 'job removed');
    await sleep(50);
    const [row] = await fx.sql`select id from job_signals where queue = ${q}`;
    const data = await value(q, String(job.id), 'data');
    expect(await data.json()).toEqual({ invoice: 9 });
    const outcome = await value(q, String(job.id), 'outcome', `?signal=${row?.id}`);
    expect(await outcome.json()).toMatchObject({ action: 'removed', data: { invoice: 9 } });
  });
});
