/**
 * Load: 200 concurrent `POST /api/signals` (half of them duplicates) against 100
 * running jobs, through the production build, while 20 signed-in clients keep
 * loading /jobs. Figures go to the console and to test-results/load.json.
 */
import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../db/accounts';
import { getAuth } from '../../db/auth';
import { getDb } from '../../db/client';
import { createApiToken } from '../../db/tokens';
import { CANCELLED_PREFIX } from '../../worker/job-state';
import { ensureBuild } from '../e2e/build';
import { type Running, startServer, startWorker } from '../e2e/processes';
import { ownPrefix, recordResult, signIn, sleep, summarize } from './support';

const JOBS = 100;
const WORKERS = 2; // processes, each running JOBS / WORKERS jobs at once
const POLLERS = 20;
/** Pollers keep going at least this long, so their figures have a sample even if every job stops at once. */
const MIN_POLL_MS = 3000;
const STEP_MS = 25; // each job checkpoints every 25 ms
const PASSWORD = 'load-password-123';

const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const queueName = `load-${randomBytes(3).toString('hex')}`;
const own = ownPrefix('load', redisUrl);
const running: Running[] = [];
let url = '';
let bearer = '';
let tokenName = '';
let cookie = '';

beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: run through vitest');
  await ensureBuild();
  const shared = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, BULLMQ_PREFIX: own.prefix };
  const db = getDb().db;
  tokenName = `load-${randomBytes(3).toString('hex')}`;
  bearer = (await createApiToken(db, { name: tokenName, role: 'support', createdBy: 'load-test' }))
    .token;
  const email = `load-${randomBytes(3).toString('hex')}@example.com`;
  await createAccount(getAuth(), db, { email, role: 'support', password: PASSWORD });

  const started = await Promise.allSettled([
    // Real sessions only: the trusted-proxy header is off.
    startServer('load-dashboard', {
      ...shared,
      BETTER_AUTH_SECRET: randomBytes(24).toString('hex'),
      SIGNAL_DESK_PROXY_HEADER: '',
    }),
    ...Array.from({ length: WORKERS }, (_, i) =>
      startWorker(`load-worker-${i + 1}`, [queueName], {
        ...shared,
        E2E_CONCURRENCY: String(JOBS / WORKERS),
      }),
    ),
  ]);
  for (const s of started) if (s.status === 'fulfilled') running.push(s.value);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  url = (started[0] as PromiseFulfilledResult<Running & { url: string }>).value.url;
  cookie = await signIn(url, email, PASSWORD);
}, 300_000);

afterAll(async () => {
  await Promise.allSettled(running.reverse().map((r) => r.stop()));
  await own.drop();
  await getDb().sql.end({ timeout: 2 });
});

interface PollStats {
  latencies: number[];
  statuses: Map<number, number>;
  /** Answers that were 200 but did not show the jobs (an outage message, an error page). */
  bad: string[];
}

/** One client loading /jobs again and again until `done()`; the session cookie of a real sign-in. */
async function poll(done: () => boolean, stats: PollStats): Promise<void> {
  while (!done()) {
    const t = performance.now();
    try {
      const res = await fetch(`${url}/jobs`, { headers: { cookie }, redirect: 'manual' });
      const body = await res.text(); // the whole streamed page, not only its head
      stats.latencies.push(performance.now() - t);
      stats.statuses.set(res.status, (stats.statuses.get(res.status) ?? 0) + 1);
      // The queue's sidebar entry shows the page rendered its data (the jobs leave the
      // default view once cancelled); an outage would show the service-down alert instead.
      if (
        res.status === 200 &&
        (body.includes('data-testid="service-down"') ||
          body.includes('This page could not be shown') ||
          !body.includes(queueName))
      )
        stats.bad.push(body.slice(0, 200));
    } catch (err) {
      stats.statuses.set(0, (stats.statuses.get(0) ?? 0) + 1);
      stats.bad.push(String(err));
    }
  }
}

describe('load: many signals at once', () => {
  it('200 concurrent POST /api/signals (half duplicates) on 100 running jobs: no error answers, one row per job, every job cancelled; /jobs keeps answering 200 for 20 signed-in clients', async () => {
    const queue = own.registry.get(queueName);
    const jobs: Job[] = await queue.addBulk(
      Array.from({ length: JOBS }, (_, i) => ({
        name: 'load-step',
        data: { steps: 1_000_000, stepMs: STEP_MS, n: i },
      })),
    );
    const ids = jobs.map((j) => String(j.id));
    const until = Date.now() + 60_000;
    while ((await queue.getActiveCount()) < JOBS) {
      if (Date.now() > until)
        throw new Error(`not all jobs active: ${JSON.stringify(await queue.getJobCounts())}`);
      await sleep(50);
    }
    // The page is warm (compiled routes, pools open) before the clock starts.
    const warm = await fetch(`${url}/jobs`, { headers: { cookie }, redirect: 'manual' });
    expect(warm.status).toBe(200);
    await warm.text();

    const stats: PollStats = { latencies: [], statuses: new Map(), bad: [] };
    let allStopped = false;
    const t0 = Date.now();
    const pollersDone = () => allStopped && Date.now() - t0 >= MIN_POLL_MS;
    const pollers = Array.from({ length: POLLERS }, () => poll(pollersDone, stats));

    // Each job twice, the duplicate right after the original: 200 requests in flight at once.
    const answers = await Promise.all(
      ids.flatMap((jobId) =>
        [0, 1].map(async () => {
          const res = await fetch(`${url}/api/signals`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
            body: JSON.stringify({
              queue: queueName,
              jobId,
              signal: 'cancel',
              reason: 'load test',
            }),
          });
          return { jobId, status: res.status, body: await res.json().catch(() => null) };
        }),
      ),
    );
    const answeredMs = Date.now() - t0;

    const stopUntil = Date.now() + 60_000;
    while ((await queue.getFailedCount()) < JOBS && Date.now() < stopUntil) await sleep(25);
    allStopped = true;
    await Promise.all(pollers);
    const pollMs = Date.now() - t0;

    const finished = await Promise.all(ids.map((id) => queue.getJob(id)));
    const failed = finished.filter((j) => j?.finishedOn && j.failedReason);
    const lastStoppedMs = Math.max(...failed.map((j) => (j?.finishedOn ?? 0) - t0));
    const { sql } = getDb();
    const rows = await sql<{ job_id: string; n: number; statuses: string[]; created_ms: string }[]>`
      select job_id, count(*)::int as n, array_agg(status::text) as statuses,
             (extract(epoch from min(created_at)) * 1000)::text as created_ms
      from job_signals where queue = ${queueName} group by job_id`;
    const rowCount = rows.reduce((s, r) => s + r.n, 0);
    // Per job: from its signal's row being written to the job having stopped.
    const finishedOf = new Map(failed.map((j) => [String(j?.id), j?.finishedOn ?? 0]));
    const stop = summarize(
      rows.map((r) => (finishedOf.get(r.job_id) ?? Number.NaN) - Number(r.created_ms)),
    );

    const errors = answers.filter((a) => a.status !== 201 && a.status !== 200);
    const latency = summarize(stats.latencies);
    const pollErrors = stats.latencies.length - (stats.statuses.get(200) ?? 0) + stats.bad.length;
    const line =
      `[load] ${answers.length} POSTs over ${JOBS} jobs: ${errors.length} errors, ${rowCount} rows, ` +
      `all answered after ${answeredMs} ms, last stopped after ${lastStoppedMs} ms ` +
      `(row written to job stopped: p50 ${stop.p50} ms, max ${stop.max} ms); ` +
      `/jobs x${POLLERS} clients: p50 ${latency.p50} ms, p95 ${latency.p95} ms, max ${latency.max} ms ` +
      `(n=${latency.n}, ${pollErrors} not 200 with jobs, over ${pollMs} ms)`;
    console.log(line);
    recordResult('signals', {
      summary: line,
      posts: answers.length,
      jobs: JOBS,
      workerProcesses: WORKERS,
      stepMs: STEP_MS,
      statuses: Object.fromEntries(
        [...new Set(answers.map((a) => a.status))].map((s) => [
          s,
          answers.filter((a) => a.status === s).length,
        ]),
      ),
      errors: errors.slice(0, 5),
      rows: rowCount,
      jobsWithOneRow: rows.filter((r) => r.n === 1).length,
      stopped: failed.length,
      allAnsweredMs: answeredMs,
      lastStoppedMs,
      signalToStopMs: stop,
      jobsPage: {
        clients: POLLERS,
        ...latency,
        statuses: Object.fromEntries(stats.statuses),
        bad: stats.bad.length,
        durationMs: pollMs,
      },
    });

    expect(errors, 'every POST answered 201 or 200').toEqual([]);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(JOBS);
    for (const a of answers) {
      expect(a.body?.signal?.jobId).toBe(a.jobId);
      expect(a.body?.signal?.requestedBy).toBe(`token:${tokenName}`);
    }
    expect(
      rows.filter((r) => r.n !== 1),
      'exactly one job_signals row per job',
    ).toEqual([]);
    expect(rows).toHaveLength(JOBS);
    for (const r of rows) expect(r.statuses).toEqual(['completed']);
    expect(failed).toHaveLength(JOBS);
    for (const j of failed) expect(j?.failedReason.startsWith(CANCELLED_PREFIX)).toBe(true);
    expect(stats.bad, '/jobs showed the jobs on every load').toEqual([]);
    expect([...stats.statuses.keys()]).toEqual([200]);
    expect(latency.n).toBeGreaterThanOrEqual(POLLERS);
  });
});
