import { afterAll, describe, expect, it } from 'vitest';
import { countRemovedJobs, removedJobCounts, removedJobs } from '../../db/removed-jobs';
import { fixtures, uniqueQueue } from '../helpers';

const fx = fixtures();
afterAll(() => fx.close());

const REMOVED = { action: 'removed', from: 'waiting' };

/** Inserts cancel signals of one queue: ids given, all completed with a `removed` outcome. */
async function removed(queue: string, ids: string[], name = 'export') {
  for (const [i, id] of ids.entries()) {
    await fx.sql`
      insert into job_signals (queue, job_id, job_name, signal, status, requested_by, outcome, completed_at)
      values (${queue}, ${id}, ${name}, 'cancel', 'completed', 't', ${JSON.stringify(REMOVED)}::jsonb,
              ${new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString()}::timestamptz)`;
  }
}
const counted = async (queue: string) => (await removedJobCounts(fx.db, [queue])).get(queue) ?? 0;

describe('jobs removed by a cancel (job_removed_counts and the removed-jobs index)', () => {
  it('counts follow inserts, status changes, edits of the outcome and queue, and deletes', async () => {
    const q = uniqueQueue('removed');
    const other = uniqueQueue('removed');
    await removed(q, ['1', '2', '3']);
    // Not removals: a pending cancel, a cancel that failed its job, a completed pause.
    await fx.sql`
      insert into job_signals (queue, job_id, job_name, signal, status, requested_by, outcome)
      values (${q}, '4', 'export', 'cancel', 'pending', 't', null),
             (${q}, '5', 'export', 'cancel', 'completed', 't', ${JSON.stringify({ action: 'failed' })}::jsonb),
             (${q}, '6', 'export', 'pause', 'completed', 't', ${JSON.stringify(REMOVED)}::jsonb)`;
    expect(await counted(q)).toBe(3);

    // A pending cancel completes by removing its job, as a worker records it.
    await fx.sql`update job_signals set status = 'completed', outcome = ${JSON.stringify(REMOVED)}::jsonb
                 where queue = ${q} and job_id = '4'`;
    expect(await counted(q)).toBe(4);
    // Status-only updates of other rows change nothing.
    await fx.sql`update job_signals set worker_id = 'w' where queue = ${q}`;
    expect(await counted(q)).toBe(4);
    await fx.sql`update job_signals set outcome = ${JSON.stringify({ action: 'failed' })}::jsonb where queue = ${q} and job_id = '1'`;
    await fx.sql`update job_signals set queue = ${other} where queue = ${q} and job_id = '2'`;
    expect(await counted(q)).toBe(2);
    expect(await counted(other)).toBe(1);
    await fx.sql`delete from job_signals where queue = ${q} and job_id = '3'`;
    expect(await counted(q)).toBe(1);
    // The rollup always equals a count of the rows themselves.
    const [actual] = await fx.sql`
      select count(*)::int as n from job_signals where queue = ${q} and signal = 'cancel'
        and status = 'completed' and outcome ->> 'action' = 'removed'`;
    expect(actual?.n).toBe(1);
  });

  it('pages newest removal first (or oldest), filters by name and search, across queues', async () => {
    const a = uniqueQueue('removed');
    const b = uniqueQueue('removed');
    await removed(a, ['a1', 'a2', 'a3'], 'export');
    await removed(b, ['b1', 'Report-7'], 'report');
    const page = (f: Partial<Parameters<typeof removedJobs>[1]>) =>
      removedJobs(fx.db, { queues: [a, b], order: 'desc', offset: 0, limit: 50, ...f }).then((r) =>
        r.map((s) => s.jobId),
      );
    // Completed at 00:00, 00:01, 00:02 (a) and 00:00, 00:01 (b); ties broken by id.
    expect(await page({})).toEqual(['a3', 'Report-7', 'a2', 'b1', 'a1']);
    expect(await page({ order: 'asc', offset: 1, limit: 2 })).toEqual(['b1', 'a2']);
    expect(await page({ queues: [b] })).toEqual(['Report-7', 'b1']);
    expect(await page({ name: 'export', limit: 2 })).toEqual(['a3', 'a2']);
    expect(await page({ search: 'report-' })).toEqual(['Report-7']);
    expect(await page({ search: '%' })).toEqual([]);
    expect(await countRemovedJobs(fx.db, { queues: [a, b] })).toBe(5);
    expect(await countRemovedJobs(fx.db, { queues: [a, b], name: 'report' })).toBe(2);
    expect(await countRemovedJobs(fx.db, { queues: [a, b], search: 'A' })).toBe(3);
    expect(await countRemovedJobs(fx.db, { queues: [a], search: 'x\u0000' })).toBe(0);
    expect(await countRemovedJobs(fx.db, { queues: [] })).toBe(0);
  });
});
