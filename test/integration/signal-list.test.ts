import { afterAll, describe, expect, it } from 'vitest';
import { daysCount } from '../../db/audit-list/days';
import { signalFacets } from '../../db/audit-list/facets';
import { listSignals } from '../../db/audit-list/list';
import { signalTimeline, signalTimeSpan } from '../../db/audit-list/timeline';
import { queueSignalStats } from '../../db/queue-signal-stats';
import { fixtures, uniqueQueue } from '../helpers';

const fx = fixtures();
afterAll(() => fx.close());

const days = async (queue: string) =>
  (await fx.sql`select day::text, signal::text, n from job_signal_days where queue = ${queue} and n <> 0 order by 1, 2`) as unknown as {
    day: string;
    signal: string;
    n: number;
  }[];

describe('per-day counts (job_signal_days)', () => {
  it('follow inserts, SQL deletes and edits of the counted columns, not status changes', async () => {
    const q = uniqueQueue('days');
    await fx.sql`
      insert into job_signals (queue, job_id, job_name, signal, requested_by, created_at)
      values (${q}, '1', 'a', 'cancel', 't', '2025-03-01T23:59:59Z'), (${q}, '2', 'a', 'cancel', 't', '2025-03-02T00:00:00Z'),
             (${q}, '3', 'a', 'pause', 't', '2025-03-02T08:00:00Z')`;
    expect(await days(q)).toEqual([
      { day: '2025-03-01', signal: 'cancel', n: 1 },
      { day: '2025-03-02', signal: 'cancel', n: 1 },
      { day: '2025-03-02', signal: 'pause', n: 1 },
    ]);
    await fx.sql`update job_signals set status = 'completed' where queue = ${q}`;
    await fx.sql`update job_signals set signal = 'resume' where queue = ${q} and job_id = '3'`;
    await fx.sql`delete from job_signals where queue = ${q} and job_id = '1'`;
    expect(await days(q)).toEqual([
      { day: '2025-03-02', signal: 'cancel', n: 1 },
      { day: '2025-03-02', signal: 'resume', n: 1 },
    ]);
    expect(await daysCount(fx.db, { queue: [q] })).toBe(2);
  });
});

describe('audit list queries', () => {
  async function seed(queue: string, n: number) {
    await fx.sql`
      insert into job_signals (queue, job_id, job_name, signal, status, requested_by, created_at)
      select ${queue}, g::text, 'job-' || (g % 3), (array['cancel','pause','resume'])[1 + g % 3]::signal_kind,
             (case when g % 10 = 0 then 'pending' else 'completed' end)::signal_status,
             'user' || (g % 4), '2025-03-01T00:00:00Z'::timestamptz + g * interval '1 minute'
      from generate_series(1, ${n}) g`;
  }

  it('a deep page read backwards from the end equals the same page read forwards', async () => {
    const q = uniqueQueue('deep');
    await seed(q, 25_000);
    const filter = { queue: [q] };
    const deep = await listSignals(fx.db, { filter, page: 450, pageSize: 50 });
    expect(deep).toMatchObject({ total: 25_000, exact: true });
    const forward = await fx.sql`
      select id from job_signals where queue = ${q} order by created_at desc, id desc limit 50 offset ${449 * 50}`;
    expect(deep.signals.map((s) => s.id)).toEqual(forward.map((r) => Number(r.id)));
    const last = await listSignals(fx.db, { filter, page: 500, pageSize: 50 });
    expect(last.signals.at(-1)?.jobId).toBe('1');
    expect((await listSignals(fx.db, { filter, page: 501, pageSize: 50 })).signals).toEqual([]);
  });

  it('counts facets exactly for a small set, each without its own filter', async () => {
    const q = uniqueQueue('facets');
    await seed(q, 40);
    const f = await signalFacets(fx.db, { queue: [q], status: ['pending'] });
    expect(f.status).toEqual([
      { value: 'pending', count: 4, exact: true },
      { value: 'delivered', count: 0, exact: true },
      { value: 'completed', count: 36, exact: true },
      { value: 'superseded', count: 0, exact: true },
    ]);
    // Only the pending ones (ids 10, 20, 30, 40): kinds 20 → resume... by g % 3.
    expect(f.signal.map((v) => [v.value, v.count])).toEqual([
      ['cancel', 1],
      ['pause', 2],
      ['resume', 1],
    ]);
    expect(f.requestedBy).toEqual([
      { value: 'user0', count: 2, exact: true },
      { value: 'user2', count: 2, exact: true },
    ]);
    expect(f.queue.find((v) => v.value === q)).toEqual({ value: q, count: 4, exact: true });
  });

  it('charts a range per day and kind with every day present, and spans the requests', async () => {
    const q = uniqueQueue('chart');
    await seed(q, 3000); // one a minute from 2025-03-01 00:01: two days and a bit
    const range = {
      from: new Date('2025-02-28T00:00:00Z'),
      until: new Date('2025-03-04T00:00:00Z'),
    };
    const points = await signalTimeline(fx.db, { queue: [q] }, range, 'day');
    expect(points.map((p) => [p.at.toISOString().slice(0, 10), p.total])).toEqual([
      ['2025-02-28', 0],
      ['2025-03-01', 1439],
      ['2025-03-02', 1440],
      ['2025-03-03', 121],
    ]);
    expect(points[1]?.counts).toEqual({ cancel: 479, pause: 480, resume: 480 });
    // The same from the rows themselves (a filter the per-day counts cannot answer).
    const raw = await signalTimeline(fx.db, { queue: [q], status: ['completed'] }, range, 'day');
    expect(raw.map((p) => p.total)).toEqual([0, 1296, 1296, 108]);
    const hours = await signalTimeline(
      fx.db,
      { queue: [q] },
      { from: new Date('2025-03-03T00:00:00Z'), until: new Date('2025-03-03T03:00:00Z') },
      'hour',
    );
    expect(hours.map((p) => p.total)).toEqual([60, 60, 1]);
    expect(await signalTimeSpan(fx.db, { queue: [q] })).toEqual({
      first: new Date('2025-03-01T00:01:00Z'),
      last: new Date('2025-03-03T02:00:00Z'),
    });
  });

  it('reports open signals and request-to-completion times per queue', async () => {
    const q = uniqueQueue('stats');
    await fx.sql`
      insert into job_signals (queue, job_id, job_name, signal, status, requested_by, created_at, completed_at)
      values (${q}, '1', 'a', 'cancel', 'completed', 't', now() - interval '10 seconds', now() - interval '8 seconds'),
             (${q}, '2', 'a', 'cancel', 'completed', 't', now() - interval '10 seconds', now() - interval '4 seconds'),
             (${q}, '3', 'a', 'cancel', 'completed', 't', now() - interval '10 seconds', now()),
             (${q}, '4', 'a', 'pause', 'pending', 't', now() - interval '1 minute', null)`;
    const stats = (await queueSignalStats(fx.db)).get(q);
    expect(stats).toMatchObject({ open: 1, completed: 3, medianSeconds: 6 });
    expect(stats?.slowestSeconds).toBeCloseTo(10, 0);
    expect(stats?.oldestOpenAt).toBeInstanceOf(Date);
  });
});
