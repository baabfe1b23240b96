import { afterAll, describe, expect, it } from 'vitest';
import { requestBulkSignals } from '../../app/requests/request-bulk';
import { requestSignal, type SignalRequest } from '../../app/requests/request-signal';
import { fixtures, uniqueQueue, waitFor } from '../helpers';

const fx = fixtures();
afterAll(() => fx.close());

const rowCount = async (queue: string) =>
  Number((await fx.sql`select count(*)::int as n from job_signals where queue = ${queue}`)[0]?.n);

const req = (
  queue: string,
  jobId: string,
  signal: SignalRequest['signal'],
  extra: Partial<SignalRequest> = {},
) => requestSignal(fx.deps, { queue, jobId, signal, requestedBy: 'tester', ...extra });

describe('requesting signals', () => {
  it('a second identical request returns the open signal and makes no second row, even under a race', async () => {
    const q = uniqueQueue();
    const job = await fx.add(q, 'send', { a: 1 });
    const results = await Promise.all(Array.from({ length: 12 }, () => req(q, job.id!, 'cancel')));
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = new Set(results.map((r) => (r.ok ? r.signal.id : 0)));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.ok && r.created)).toHaveLength(1);
    expect(await rowCount(q)).toBe(1);
    const again = await req(q, job.id!, 'cancel');
    expect(again).toMatchObject({ ok: true, created: false });
  });

  it('refuses each request that makes no sense, with a clear reason, and writes nothing', async () => {
    const q = uniqueQueue();
    const waiting = await fx.add(q, 'send', {});

    const cases: [Promise<unknown>, unknown][] = [
      [
        req(`no-such-queue-${q}`, '1', 'cancel'),
        { ok: false, code: 'not_found', error: `Queue no-such-queue-${q} does not exist.` },
      ],
      [
        req(q, 'missing', 'cancel'),
        { ok: false, code: 'not_found', error: `Job missing does not exist in queue ${q}.` },
      ],
      [
        req(q, waiting.id!, 'resume'),
        {
          ok: false,
          code: 'conflict',
          error: `Job ${waiting.id} is not paused (it is waiting); only a paused job can be resumed.`,
        },
      ],
      [
        req(q, waiting.id!, 'cancel', { reason: 'x'.repeat(501) }),
        {
          ok: false,
          code: 'invalid',
          error: 'The reason is 501 characters long; at most 500 are allowed.',
        },
      ],
    ];
    for (const [p, expected] of cases) expect(await p).toEqual(expected);
    expect(await rowCount(q)).toBe(0);

    // A pause while a cancel is open is refused.
    await req(q, waiting.id!, 'cancel');
    expect(await req(q, waiting.id!, 'pause')).toEqual({
      ok: false,
      code: 'conflict',
      error: `Job ${waiting.id} is being cancelled.`,
    });
    expect(await rowCount(q)).toBe(1);
  });

  it('refuses signals for a job that already finished', async () => {
    const q = uniqueQueue();
    const { createSignalWorker } = await import('../../worker/toolkit');
    const w = createSignalWorker(q, async () => 'ok');
    try {
      const job = await fx.add(q, 'quick', {});
      await waitFor(async () => (await job.getState()) === 'completed', 'completed');
      expect(await req(q, job.id!, 'cancel')).toEqual({
        ok: false,
        code: 'conflict',
        error: `Job ${job.id} has already completed; there is nothing to cancel.`,
      });
      expect(await rowCount(q)).toBe(0);
    } finally {
      await w.close(true);
    }
  });

  it('bulk by ids writes one row per acceptable job in one go and says why the others were skipped', async () => {
    const q = uniqueQueue();
    const a = await fx.add(q, 'send', {});
    const b = await fx.add(q, 'send', {});
    const r = await requestBulkSignals(fx.deps, {
      queue: q,
      signal: 'resume',
      requestedBy: 'tester',
      jobIds: [a.id!, 'ghost'],
    });
    expect(r).toMatchObject({
      ok: true,
      requested: 0,
      skipped: [
        {
          jobId: a.id,
          reason: `Job ${a.id} is not paused (it is waiting); only a paused job can be resumed.`,
        },
        { jobId: 'ghost', reason: `Job ghost does not exist in queue ${q}.` },
      ],
    });
    const c = await requestBulkSignals(fx.deps, {
      queue: q,
      signal: 'cancel',
      requestedBy: 't',
      jobIds: [a.id!, b.id!],
    });
    expect(c).toMatchObject({ ok: true, requested: 2, existing: 0, skipped: [] });
    expect(await rowCount(q)).toBe(2);
  });

  it('bulk by name cancels every queued job of that name and no other', async () => {
    const q = uniqueQueue();
    for (let i = 0; i < 5; i++) await fx.add(q, 'send-invoice', { i });
    for (let i = 0; i < 3; i++) await fx.add(q, 'other', { i });
    await fx.add(q, 'send-invoice', {}, { delay: 60_000 });
    const r = await requestBulkSignals(fx.deps, {
      queue: q,
      signal: 'cancel',
      requestedBy: 't',
      name: 'send-invoice',
    });
    expect(r).toMatchObject({ ok: true, requested: 6, skipped: [] });
    const names = await fx.sql`select distinct job_name from job_signals where queue = ${q}`;
    expect(names.map((n) => n.job_name)).toEqual(['send-invoice']);
    const both = await requestBulkSignals(fx.deps, {
      queue: q,
      signal: 'cancel',
      requestedBy: 't',
      name: 'x',
      jobIds: ['1'],
    });
    expect(both).toEqual({
      ok: false,
      code: 'invalid',
      error: 'Give either jobIds or name, not both and not neither.',
    });
  });
});
