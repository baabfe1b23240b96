/**
 * Times the audit list's queries on a large job_signals table and checks with
 * EXPLAIN that no page of rows is read by a sequential scan.
 *
 *   npx tsx test/bench/signal-list-bench.ts            # makes, fills (1M rows) and drops a scratch db
 *   BENCH_ROWS=200000 npx tsx test/bench/signal-list-bench.ts
 *   BENCH_KEEP=1 npx tsx test/bench/signal-list-bench.ts   # …and keeps it for EXPLAIN
 *   BENCH_DATABASE_URL=postgres://…/already_filled npx tsx test/bench/signal-list-bench.ts
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type SQL, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { signalFacets } from '../../db/audit-list/facets';
import {
  type SignalFilter,
  type SignalSort,
  signalOrder,
  signalWhere,
} from '../../db/audit-list/filter';
import { countSignals, listSignals, streamSignals } from '../../db/audit-list/list';
import { signalTimeline, signalTimeSpan } from '../../db/audit-list/timeline';
import { type Database, openDb } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { queueSignalStats } from '../../db/queue-signal-stats';
import { jobSignals } from '../../db/schema';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = 5;

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm the cache and the plan
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)] as number;
}

async function planOf(db: Database, query: SQL): Promise<string> {
  const rows = (await db.execute(sql`explain ${query}`)) as unknown as Record<string, string>[];
  return rows.map((r) => Object.values(r)[0]).join('\n');
}

function pageQuery(filter: SignalFilter, sort: SignalSort, offset = 0): SQL {
  const where = signalWhere(filter);
  return sql`select * from ${jobSignals} ${where ? sql`where ${where}` : sql``} order by ${sql.join(signalOrder(sort), sql`, `)} limit 50 offset ${offset}`;
}

async function fill(url: string): Promise<void> {
  await migrateDatabase(url);
  const client = postgres(url, { max: 1, onnotice: () => {} });
  const text = readFileSync(fileURLToPath(new URL('./signal-fill.sql', import.meta.url)), 'utf8')
    .replace(/^--.*$/gm, '')
    .replaceAll(':rows', String(ROWS));
  const t = performance.now();
  await client.unsafe(text);
  await client.unsafe('vacuum analyze job_signals');
  console.log(`filled ${ROWS} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await client.end();
}

async function main() {
  let url = process.env.BENCH_DATABASE_URL;
  const scratch = url ? null : `signal_desk_bench_${Date.now()}`;
  const admin = postgres(
    process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    {
      max: 1,
      onnotice: () => {},
    },
  );
  if (scratch) {
    const u = new URL(
      process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    );
    u.pathname = `/${scratch}`;
    url = u.toString();
    await fill(url);
  }
  const { db, sql: client } = openDb(url, { max: 10 });
  try {
    const now = new Date();
    const y = now.getUTCFullYear();
    const m = now.getUTCMonth();
    const day = (d: number) => new Date(Date.UTC(y, m, d));
    // The page's default chart range: the last 30 whole UTC days, today included.
    const last30 = { from: day(now.getUTCDate() - 29), until: day(now.getUTCDate() + 1) };
    const newest: SignalSort = { key: 'createdAt', dir: 'desc' };
    const cases: { name: string; filter: SignalFilter; sort?: SignalSort; offset?: number }[] = [
      { name: 'default view (no filter)', filter: {} },
      { name: 'status = pending', filter: { status: ['pending'] } },
      { name: 'status = completed', filter: { status: ['completed'] } },
      { name: 'signal = resume', filter: { signal: ['resume'] } },
      { name: 'queue = emails', filter: { queue: ['emails'] } },
      { name: 'requestedBy = api', filter: { requestedBy: ['api'] } },
      { name: 'requestedBy = user7', filter: { requestedBy: ['user7@example.com'] } },
      { name: 'jobId = 777777', filter: { jobId: '777777' } },
      { name: 'search "12345" (rare)', filter: { search: '12345' } },
      { name: 'search "customer" (common)', filter: { search: 'customer' } },
      {
        name: 'year drill-down',
        filter: { from: new Date(Date.UTC(y, 0, 1)), until: new Date(Date.UTC(y + 1, 0, 1)) },
      },
      {
        name: 'month drill-down',
        filter: { from: day(1), until: new Date(Date.UTC(y, m + 1, 1)) },
      },
      {
        name: 'day drill-down',
        filter: { from: day(now.getUTCDate()), until: day(now.getUTCDate() + 1) },
      },
      {
        name: 'status + queue + requester',
        filter: { status: ['completed'], queue: ['emails'], requestedBy: ['api'] },
      },
      { name: 'sort requested asc', filter: {}, sort: { key: 'createdAt', dir: 'asc' } },
      { name: 'sort id desc', filter: {}, sort: { key: 'id', dir: 'desc' } },
      { name: 'sort queue asc', filter: {}, sort: { key: 'queue', dir: 'asc' } },
      { name: 'sort status desc', filter: {}, sort: { key: 'status', dir: 'desc' } },
      { name: 'sort requester asc', filter: {}, sort: { key: 'requestedBy', dir: 'asc' } },
      {
        name: 'status = superseded, sort queue',
        filter: { status: ['superseded'] },
        sort: { key: 'queue', dir: 'asc' },
      },
      { name: 'page 2,001 (offset 100,000)', filter: {}, offset: 100_000 },
      { name: 'page 10,001 (offset 500,000)', filter: {}, offset: 500_000 },
      { name: 'page 19,001 (offset 900,000)', filter: {}, offset: 900_000 },
      { name: 'status = completed, page 1,001', filter: { status: ['completed'] }, offset: 50_000 },
    ];
    console.log(
      `\n| case | page rows | bounded count | exact count | facets | chart | page plan |`,
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const c of cases) {
      const sort = c.sort ?? newest;
      const page = c.offset ? c.offset / 50 + 1 : 1;
      const rowsMs = await median(() =>
        listSignals(db, { filter: c.filter, sort, page, pageSize: 50, count: 'bounded' }).then(
          () => 0,
        ),
      );
      const pageOnly = await median(() => db.execute(pageQuery(c.filter, sort, c.offset ?? 0)));
      const bounded = await median(() => countSignals(db, c.filter, 'bounded'));
      const exact = await median(() => countSignals(db, c.filter, 'exact'));
      const facets = await median(() => signalFacets(db, c.filter));
      const range =
        c.filter.from && c.filter.until ? { from: c.filter.from, until: c.filter.until } : last30;
      const chart = await median(() => signalTimeline(db, c.filter, range, 'day'));
      const plan = await planOf(db, pageQuery(c.filter, sort, c.offset ?? 0));
      const scan = /Seq Scan/.test(plan)
        ? 'SEQ SCAN'
        : (plan.match(
            /(Index Only Scan|Index Scan|Bitmap Index Scan)( Backward)? (using|on) \w+/,
          )?.[0] ?? plan.split('\n')[0]);
      const count = await countSignals(db, c.filter, 'bounded');
      console.log(
        `| ${c.name} (${count.exact ? '' : '≈'}${count.total.toLocaleString('en')}) | ${pageOnly.toFixed(1)} (${rowsMs.toFixed(1)} with count) | ${bounded.toFixed(1)} | ${exact.toFixed(1)} | ${facets.toFixed(1)} | ${chart.toFixed(1)} | ${scan} |`,
      );
    }
    const span = await median(() => signalTimeSpan(db, {}));
    const spanPending = await median(() => signalTimeSpan(db, { status: ['pending'] }));
    const stats = await median(() => queueSignalStats(db));
    console.log(
      `\ndrill-down years (min/max created_at): ${span.toFixed(1)} ms; with status=pending: ${spanPending.toFixed(1)} ms`,
    );
    console.log(`queue stats (open + 24 h timings): ${stats.toFixed(1)} ms`);
    let exported = 0;
    const t = performance.now();
    for await (const batch of streamSignals(db, client, { queue: ['emails'] }))
      exported += batch.length;
    console.log(
      `export stream of queue=emails: ${exported} rows in ${(performance.now() - t).toFixed(0)} ms`,
    );
  } finally {
    await client.end({ timeout: 5 });
    if (scratch && process.env.BENCH_KEEP) console.log(`kept ${url}`);
    else if (scratch) {
      await admin.unsafe(`drop database if exists "${scratch}" with (force)`);
      console.log(`dropped ${scratch}`);
    }
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
