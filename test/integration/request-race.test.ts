/**
 * Duplicate requests that race a worker: the second of two clicks must never write a
 * second row nor fail, even when the worker acts on the first one between the
 * second one's checks and its insert (found by test/load/signals-load.test.ts:
 * under load that made 500s and a second cancel row for the same job).
 */
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { requestSignal } from '../../app/requests/request-signal';
import { jobSignals } from '../../db/schema';
import { insertSignalOnce, jobSignalsSeen, type SignalRequestRow } from '../../db/signal-requests';
import type { SignalKind } from '../../db/vocabulary';
import { fixtures, uniqueQueue } from '../helpers';

const fx = fixtures();
afterAll(() => fx.close());

const rowsOf = (queue: string) =>
  fx.sql<{ id: number; status: string }[]>`
    select id::int, status::text from job_signals where queue = ${queue} order by id`;

const complete = (id: number) =>
  fx.db
    .update(jobSignals)
    .set({ status: 'completed', completedAt: new Date() })
    .where(eq(jobSignals.id, id));

/** A queued job of a new queue, and the request row for one signal to it. */
async function queuedJob(signal: SignalKind) {
  const q = uniqueQueue('race');
  const job = await fx.add(q, 'send', {});
  const row: SignalRequestRow = {
    queue: q,
    jobId: String(job.id),
    jobName: 'send',
    signal,
    requestedBy: 'tester',
  };
  return { q, job, row };
}

describe('duplicate requests racing a worker', () => {
  it('a cancel already completed on this run of the job is returned (created: false), not written again', async () => {
    const { q, job, row } = await queuedJob('cancel');
    const first = await insertSignalOnce(fx.db, row, job.timestamp);
    expect(first.created).toBe(true);
    // The worker acts on it before the duplicate's insert.
    await complete(first.signal.id);
    const second = await insertSignalOnce(fx.db, row, job.timestamp);
    expect(second).toMatchObject({ created: false, signal: { id: first.signal.id } });
    expect(await rowsOf(q)).toEqual([{ id: first.signal.id, status: 'completed' }]);
  });

  it('a cancel completed on an earlier run of a reused job id does not count: a new row is written', async () => {
    const { job, row } = await queuedJob('cancel');
    const old = await insertSignalOnce(fx.db, row, job.timestamp);
    await complete(old.signal.id);
    const fresh = await insertSignalOnce(fx.db, row, Date.now() + 1000);
    expect(fresh.created).toBe(true);
    expect(fresh.signal.id).not.toBe(old.signal.id);
  });

  it('a pause after a completed pause is still written (pause, resume, pause again)', async () => {
    const { q, job, row } = await queuedJob('pause');
    const first = await insertSignalOnce(fx.db, row, job.timestamp);
    await complete(first.signal.id);
    // This request looked after the first pause was written and done.
    const seen = await jobSignalsSeen(fx.db, q, String(job.id));
    expect(seen).toEqual({ open: [], lastId: first.signal.id });
    const again = await insertSignalOnce(fx.db, row, job.timestamp, seen.lastId);
    expect(again.created).toBe(true);
  });

  it('a pause or resume written and completed after this request looked is returned (created: false), not written again', async () => {
    for (const signal of ['pause', 'resume'] as const) {
      const { q, job, row } = await queuedJob(signal);
      // The duplicate click reads the job's signals (none yet)...
      const seen = await jobSignalsSeen(fx.db, q, String(job.id));
      expect(seen).toEqual({ open: [], lastId: 0 });
      // ...then the first click's signal is written and a worker completes it...
      const first = await insertSignalOnce(fx.db, row, job.timestamp, seen.lastId);
      await complete(first.signal.id);
      // ...and the duplicate's insert finds it instead of writing a second row.
      const second = await insertSignalOnce(fx.db, row, job.timestamp, seen.lastId);
      expect(second, signal).toMatchObject({ created: false, signal: { id: first.signal.id } });
      expect(await rowsOf(q)).toEqual([{ id: first.signal.id, status: 'completed' }]);
    }
  });

  it('jobSignalsSeen: the open signals oldest first and the newest id of any status', async () => {
    const q = uniqueQueue('race');
    const base = { queue: q, jobId: '7', jobName: 'send', requestedBy: 'tester' };
    const pause = await insertSignalOnce(fx.db, { ...base, signal: 'pause' }, 0);
    const cancel = await insertSignalOnce(fx.db, { ...base, signal: 'cancel' }, 0);
    const resume = await insertSignalOnce(fx.db, { ...base, signal: 'resume' }, 0);
    await complete(resume.signal.id);
    const seen = await jobSignalsSeen(fx.db, q, '7');
    expect(seen.open.map((s) => s.id)).toEqual([pause.signal.id, cancel.signal.id]);
    expect(seen.lastId).toBe(resume.signal.id);
    expect(await jobSignalsSeen(fx.db, q, 'x\u0000')).toEqual({ open: [], lastId: 0 });
  });

  it('many identical cancels while a "worker" completes whatever is open: every answer ok, one row', async () => {
    const q = uniqueQueue('race');
    const job = await fx.add(q, 'send', {});
    let acting = true;
    const worker = (async () => {
      while (acting) {
        await fx.sql`update job_signals set status = 'completed', completed_at = now()
          where queue = ${q} and status in ('pending', 'delivered')`;
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        requestSignal(fx.deps, {
          queue: q,
          jobId: String(job.id),
          signal: 'cancel',
          requestedBy: 'tester',
        }),
      ),
    );
    acting = false;
    await worker;
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.filter((r) => r.ok && r.created)).toHaveLength(1);
    expect(await rowsOf(q)).toHaveLength(1);
  });
});
