import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as listSignalsRoute } from '../../app/api/signals/route';
import { loadSignalFacets, loadSignalsChart, loadSignalsTable } from '../../app/signals/load';
import { parseSignalsPage } from '../../app/signals/page-params';
import { signalFacets } from '../../db/audit-list/facets';
import { COUNT_CAP, listSignals } from '../../db/audit-list/list';
import { type DbHandle, openDb } from '../../db/client';
import { ownDatabase, resetServices } from '../helpers';
import { answer, apiRequest, closeServices, useApiToken } from './api-client';

// A database of its own: the statement counts and the planner's statistics are this file's alone.
const own = ownDatabase('audit_scale');
const ROWS = 60_000;
let handle: DbHandle;
let statements = 0;

beforeAll(async () => {
  await own.create();
  handle = openDb(own.url, { max: 4 });
  // 60,000 signals over 60 days, 20 queues, 200 requesters; ids grow with time.
  await handle.sql`
    insert into job_signals (queue, job_id, job_name, signal, status, requested_by, reason, created_at)
    select 'q' || (g % 20), g::text, 'job-' || (g % 7),
           (array['cancel','pause','resume'])[1 + g % 3]::signal_kind,
           (case when g % 50 = 0 then 'pending' when g % 9 = 0 then 'superseded' else 'completed' end)::signal_status,
           'user' || (g % 200) || '@example.com',
           case when g % 10 = 0 then 'needle ' || g else 'hay' end,
           '2025-01-01T00:00:00Z'::timestamptz + (g * 86.4) * interval '1 second'
    from generate_series(1, ${ROWS}) g`;
  await handle.sql`analyze job_signals`;
  await useApiToken('viewer');
}, 120_000);

afterAll(async () => {
  await closeServices();
  await handle?.sql.end({ timeout: 2 });
  await own.drop();
});

const get = async (qs: string) =>
  answer(await listSignalsRoute(apiRequest('GET', `/api/signals?${qs}`)));
const ids = (body: { signals: { id: number }[] }) => body.signals.map((s) => s.id);

describe('keyset paging (cursor)', () => {
  it('continues after the last row seen, whatever was inserted between the requests', async () => {
    const first = await get('queue=q3&pageSize=50');
    expect(first.status).toBe(200);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const boundary = first.body.signals.at(-1);
    // Newer rows arrive, and one with the boundary row's very time (ties are broken by id).
    await handle.sql`
      insert into job_signals (queue, job_id, job_name, signal, requested_by, created_at)
      select 'q3', 'late-' || g, 'late', 'cancel', 'late@example.com', now() from generate_series(1, 10) g`;
    await handle.sql`
      insert into job_signals (queue, job_id, job_name, signal, requested_by, created_at)
      values ('q3', 'tie', 'late', 'cancel', 'late@example.com', ${boundary.createdAt}::timestamptz)`;
    const second = await get(`queue=q3&pageSize=50&cursor=${first.body.nextCursor}`);
    expect(second.status).toBe(200);
    const expected = await handle.sql`
      select id from job_signals where queue = 'q3' and job_name <> 'late'
      order by created_at desc, id desc offset 50 limit 50`;
    expect(ids(second.body)).toEqual(expected.map((r) => Number(r.id)));
    expect(ids(second.body).some((id) => ids(first.body).includes(id))).toBe(false);
    // Offset paging, in contrast, shifted by the new rows: its page 2 repeats ten rows of page 1.
    const shifted = await get('queue=q3&pageSize=50&page=2');
    expect(ids(shifted.body).filter((id) => ids(first.body).includes(id))).toHaveLength(10);
  });

  it('walks a whole list by cursor in a mixed-direction order (status, then newest first)', async () => {
    const seen: number[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null && pages < 100) {
      const r = await get(`queue=q7&sort=status&pageSize=200${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...ids(r.body));
      cursor = r.body.nextCursor;
      pages++;
    }
    const all = await handle.sql`
      select id from job_signals where queue = 'q7'
      order by status asc, created_at desc, id desc`;
    expect(seen).toEqual(all.map((r) => Number(r.id)));
  });

  it('400 for a cursor it did not give out, or sent with another sort', async () => {
    expect(await get('cursor=bm9wZQ')).toEqual({
      status: 400,
      body: { error: 'cursor is not one this API gave out; start again without it.' },
    });
    const { body } = await get('queue=q1&pageSize=5');
    expect(await get(`sort=id&cursor=${body.nextCursor}`)).toEqual({
      status: 400,
      body: { error: 'cursor belongs to sort=-createdAt; send that sort with it.' },
    });
  });
});

describe('totals and deep pages at scale', () => {
  it('totals are exact when cheap and marked as estimates when not', async () => {
    const exact = await get('queue=q1');
    expect(exact.body).toMatchObject({ total: 3_000, totalIsEstimate: false });
    const small = await get('search=needle 1234');
    expect(small.body).toMatchObject({ totalIsEstimate: false });
    expect(small.body.total).toBeGreaterThan(0);
    const big = await get('status=completed');
    expect(big.body.totalIsEstimate).toBe(true);
    expect(big.body.total).toBeGreaterThan(COUNT_CAP);
    const [row] =
      await handle.sql`select count(*)::int as n from job_signals where status = 'completed'`;
    const n = Number(row?.n);
    // The planner's estimate after ANALYZE: within 10 % of the real count here.
    expect(Math.abs(big.body.total - n) / n).toBeLessThan(0.1);
    const table = await loadSignalsTable(parseSignalsPageOk({ status: 'completed' }));
    expect(table.ok && table.data.exact).toBe(false);
  });

  it('a deep page equals the same page read by offset, by the per-day counts or ids first', async () => {
    const cases = [
      // Filters the per-day counts answer: the page's day is found from them.
      { filter: { queue: ['q2'] }, where: handle.sql`queue = 'q2'`, offset: 2_100 },
      { filter: {}, where: handle.sql`true`, offset: 40_000 },
      // Others: ids first, from the (status, created_at, id) index alone.
      {
        filter: { status: ['completed' as const] },
        where: handle.sql`status = 'completed'`,
        offset: 30_000,
      },
    ];
    for (const c of cases) {
      const expected = await handle.sql`
        select id from job_signals where ${c.where} order by created_at desc, id desc offset ${c.offset} limit 50`;
      const page = await listSignals(handle.db, {
        filter: c.filter,
        page: c.offset / 50 + 1,
        pageSize: 50,
      });
      expect(
        page.signals.map((s) => s.id),
        JSON.stringify(c.filter),
      ).toEqual(expected.map((r) => Number(r.id)));
    }
    const oldestFirst = await listSignals(handle.db, {
      filter: { queue: ['q5'] },
      sort: { key: 'createdAt', dir: 'asc' },
      page: 50,
      pageSize: 50,
    });
    const asc =
      await handle.sql`select id from job_signals where queue = 'q5' order by created_at, id offset 2450 limit 50`;
    expect(oldestFirst.signals.map((s) => s.id)).toEqual(asc.map((r) => Number(r.id)));
  });
});

describe('statements per /signals load', () => {
  it('facets of a large set take a handful of statements, not one per value', async () => {
    const counting = openDb(own.url, { max: 2, debug: () => void statements++ });
    try {
      statements = 0;
      const f = await signalFacets(counting.db, { search: 'hay' });
      expect(statements).toBeLessThanOrEqual(6);
      expect(f.requestedBy.length).toBe(200);
      // Estimates (≈), about the size of the set they split: 54,000 rows.
      expect(f.requestedBy.every((v) => !v.exact)).toBe(true);
      const sum = f.requestedBy.reduce((n, v) => n + v.count, 0);
      expect(Math.abs(sum - 54_000) / 54_000).toBeLessThan(0.2);
      expect(f.status.find((v) => v.value === 'completed')?.exact).toBe(false);
    } finally {
      await counting.sql.end({ timeout: 2 });
    }
  });

  it('the default page (rows, total, facets, chart) sends at most 9 statements, the session one more', async () => {
    await resetServices();
    const g = globalThis as unknown as { signalDeskDb?: DbHandle };
    const seen: string[] = [];
    g.signalDeskDb = openDb(own.url, {
      max: 4,
      debug: (_c, q) => {
        // postgres.js reads the array types once per new connection: setup, not the page's.
        if (q.includes('pg_catalog.pg_type')) return;
        statements++;
        seen.push(q.slice(0, 120));
      },
    });
    statements = 0;
    const p = parseSignalsPageOk({});
    const [table, facets, chart] = await Promise.all([
      loadSignalsTable(p),
      loadSignalFacets(p),
      loadSignalsChart(p),
    ]);
    expect([table.ok, facets.ok, chart.ok]).toEqual([true, true, true]);
    expect(statements, seen.join('\n')).toBeLessThanOrEqual(9);
    await resetServices();
  });
});

function parseSignalsPageOk(params: Record<string, string>) {
  const parsed = parseSignalsPage(params);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.params;
}
