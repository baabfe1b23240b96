/**
 * An operation's progress stays cheap however big it is: one grouped count over its
 * own rows, read through `job_signals_operation`, never a scan of the signals table.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client';
import { operationsWithCounts, recordOperation } from '../../db/operations';
import type { SignalRequestRow } from '../../db/signal-requests';
import { ownDatabase } from '../helpers';

// 100,000 signals of other requests beside the operation's: a database of its own, so
// the files running beside this one never see them.
const own = ownDatabase('operation_counts');
let handle: ReturnType<typeof openDb>;
beforeAll(async () => {
  await own.create();
  handle = openDb(own.url, { max: 2 });
});
afterAll(async () => {
  await handle?.sql.end({ timeout: 2 });
  await own.drop();
});

describe('operation progress', () => {
  it('a 10,000-job operation is counted by one grouped query on its index', async () => {
    const { db, sql: client } = handle;
    await client`insert into job_signals (queue, job_id, job_name, signal, requested_by, status)
      select 'others', g::text, 'x', 'cancel', 'someone', 'completed'
      from generate_series(1, 100000) g`;
    const rows: SignalRequestRow[] = Array.from({ length: 10_000 }, (_, i) => ({
      queue: 'big',
      jobId: String(i),
      jobName: 'big',
      signal: 'cancel',
      requestedBy: 'tester',
    }));
    const { operation: op, inserted } = await recordOperation(
      db,
      { signal: 'cancel', queue: 'big', requestedBy: 'tester', jobCount: 10_000, skipped: [] },
      rows,
    );
    expect(inserted).toHaveLength(10_000);
    await client`update job_signals set status = 'completed', completed_at = now()
      where operation_id = ${op.id} and job_id::int % 4 = 0`;
    await client`update job_signals set status = 'superseded', completed_at = now(),
      outcome = '{"reason": "job completed first"}' where operation_id = ${op.id} and job_id::int % 4 = 1`;
    await client`analyze job_signals`;

    // While it runs, a toast's read: the counts alone.
    const running = (await operationsWithCounts(db, [op.id])).get(op.id)?.counts;
    expect(running?.byStatus).toEqual({
      pending: 5000,
      delivered: 0,
      completed: 2500,
      superseded: 2500,
    });
    expect(running?.supersededWhy.size).toBe(0);
    // Its page: why some were superseded, and when the last one finished.
    const detail = (await operationsWithCounts(db, [op.id], { detail: true })).get(op.id)?.counts;
    expect([...(detail?.supersededWhy ?? [])]).toEqual([['job completed first', 2500]]);
    expect(detail?.lastFinishedAt).toBeInstanceOf(Date);
    // The counts' statement: the operation's rows through its index, no scan of the table.
    const plan = (await db.execute(
      sql`explain select operation_id, status, count(*) from job_signals
        where operation_id in (${op.id}) group by operation_id, status`,
    )) as unknown as { 'QUERY PLAN': string }[];
    const text = plan.map((l) => l['QUERY PLAN']).join('\n');
    expect(text).toContain('job_signals_operation');
    expect(text).not.toMatch(/Seq Scan on job_signals/);
  });
});
