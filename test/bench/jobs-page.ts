/**
 * How /jobs copes with a big queue: fills a queue of its own prefix with 100,000
 * waiting jobs (JOBS_PAGE_BENCH_JOBS to change), then times the listing functions
 * in-process and, when DASHBOARD_URL is given (a `next start` with the same
 * BULLMQ_PREFIX, in trusted-proxy mode with SIGNAL_DESK_PROXY_HEADER=x-bench-user),
 * whole page renders over HTTP. Deletes its keys afterwards.
 *
 *   BULLMQ_PREFIX=bench-jobs node --import tsx test/bench/jobs-page.ts
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { listJobs, queueCounts } from '../../app/bullmq/job-list';
import { countJobsByName } from '../../app/bullmq/job-names';
import { QueueRegistry } from '../../app/bullmq/queue-registry';
import { openDb } from '../../db/client';
import { servedQueues } from '../../db/heartbeats';
import { latestSignals } from '../../db/job-signals';
import { producerConnection } from '../../worker/config';
import { ACTIONABLE_STATES } from '../../worker/job-state';

const N = Number(process.env.JOBS_PAGE_BENCH_JOBS) || 100_000;
const prefix = process.env.BULLMQ_PREFIX || `bench-jobs-${randomBytes(3).toString('hex')}`;
const queues = new QueueRegistry(producerConnection(), prefix, true);
const { db, sql } = openDb(process.env.DATABASE_URL, { max: 2 });

async function time(label: string, fn: () => Promise<unknown>, runs = 5) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(58)} median ${ms[Math.floor(runs / 2)]?.toFixed(0).padStart(6)} ms  (min ${ms[0]?.toFixed(0)}, max ${ms.at(-1)?.toFixed(0)})`,
  );
}

async function fill() {
  const big = queues.get('big');
  const t = performance.now();
  for (let i = 0; i < N; i += 1000) {
    await big.addBulk(
      Array.from({ length: Math.min(1000, N - i) }, (_, j) => ({
        name: (i + j) % 10 === 0 ? 'send-invoice' : 'render-report',
        data: { n: i + j, customer: `c-${(i + j) % 977}` },
      })),
    );
  }
  await queues.get('small').add('ping', {});
  console.log(
    `filled ${N} waiting jobs in ${((performance.now() - t) / 1000).toFixed(1)} s (prefix ${prefix})`,
  );
}

async function page(url: string) {
  const res = await fetch(url, { headers: { 'x-bench-user': 'bench@example.com' } });
  const body = await res.text(); // the whole streamed page, Suspense boundaries included
  if (!res.ok || !body.includes('data-job=')) throw new Error(`${url}: ${res.status}, no job rows`);
}

async function main() {
  await fill();
  const base = { states: ACTIONABLE_STATES, page: 1, pageSize: 50 } as const;
  await time('listJobs, all queues, page 1 of 50', () => listJobs(queues, base));
  await time('listJobs, queue big, page 1,000 (deep)', () =>
    listJobs(queues, { ...base, queue: 'big', page: 1000 }),
  );
  await time('listJobs, oldest first', () => listJobs(queues, { ...base, order: 'asc' }));
  await time('queueCounts (sidebar)', () => queueCounts(queues));
  await time('latestSignals + servedQueues for a page', async () => {
    const p = await listJobs(queues, base);
    await Promise.all([
      latestSignals(
        db,
        p.jobs.map((j) => ({ queue: j.queue, jobId: j.id })),
      ),
      servedQueues(db),
    ]);
  });
  await time(
    'listJobs, exact name filter (scans names)',
    () => listJobs(queues, { ...base, queue: 'big', name: 'send-invoice' }),
    3,
  );
  await time(
    'listJobs, search "4242" (scans ids and names)',
    () => listJobs(queues, { ...base, queue: 'big', search: '4242' }),
    3,
  );
  await time(
    'countJobsByName (cancel-by-name dialog)',
    () =>
      countJobsByName(queues.get('big'), queues.connection, 'send-invoice', [
        'waiting',
        'prioritized',
        'delayed',
        'active',
      ]),
    3,
  );
  const url = process.env.DASHBOARD_URL;
  if (url) {
    await page(`${url}/jobs`); // warm up
    await time('GET /jobs (whole page over HTTP)', () => page(`${url}/jobs`));
    await time('GET /jobs?queue=big&page=1000', () => page(`${url}/jobs?queue=big&page=1000`));
    await time('GET /jobs?queue=big&q=4242', () => page(`${url}/jobs?queue=big&q=4242`), 3);
  }
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    let cursor = '0';
    do {
      const [next, keys] = await queues.connection.scan(
        cursor,
        'MATCH',
        `${prefix}:*`,
        'COUNT',
        5000,
      );
      cursor = next;
      if (keys.length) await queues.connection.unlink(...keys);
    } while (cursor !== '0');
    await queues.close();
    await sql.end({ timeout: 2 });
  });
