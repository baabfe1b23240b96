/**
 * The dashboard during an outage of its backing services: a production build
 * pointed at a throwaway Redis and a throwaway PostgreSQL (spare ports, own
 * folders; the machine's shared servers are never touched). Each is stopped while
 * the dashboard runs, then started again on the same port: /jobs must name the
 * service that is down (never an empty table), /api/jobs must answer 503 naming
 * it, and both must recover by themselves, without restarting the dashboard.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../db/migrate';
import { ensureBuild } from '../e2e/build';
import { type Running, startServer } from '../e2e/processes';
import {
  startPostgres,
  startRedis,
  type ThrowawayPostgres,
  type ThrowawayRedis,
} from '../faults/services';
import { alive, recordResult, sleep } from './support';

const USER_HEADER = 'x-outage-user';
const QUEUE = 'outage-reports';
const PREFIX = 'outage';
/** How long the dashboard may take to notice a service is back. */
const RECOVERY_MS = 5000;

let redis: ThrowawayRedis | undefined;
let pg: ThrowawayPostgres | undefined;
let dashboard: (Running & { url: string }) | undefined;
let producer: Redis | undefined;
let jobId = '';
const figures: Record<string, number> = {};

beforeAll(async () => {
  await Promise.all([
    ensureBuild(),
    // Durable, so the job added below is still there after the restart.
    startRedis({ durable: true }).then((r) => {
      redis = r;
    }),
    startPostgres().then((p) => {
      pg = p;
    }),
  ]);
  if (!redis || !pg) throw new Error('throwaway services did not start');
  await migrateDatabase(pg.url());
  producer = new Redis(redis.url, { maxRetriesPerRequest: null });
  producer.on('error', () => {});
  const queue = new Queue(QUEUE, { connection: producer, prefix: PREFIX });
  // Delayed for an hour and no worker: it stays listed for the whole file.
  jobId = String((await queue.add('monthly-report', { month: 3 }, { delay: 3_600_000 })).id);
  await queue.close();
  dashboard = await startServer('outage-dashboard', {
    DATABASE_URL: pg.url(),
    REDIS_URL: redis.url,
    BULLMQ_PREFIX: PREFIX,
    BETTER_AUTH_SECRET: randomBytes(24).toString('hex'),
    // Signed in as an SSO proxy would say: the email in a header, the role by default.
    SIGNAL_DESK_PROXY_HEADER: USER_HEADER,
    SIGNAL_DESK_PROXY_DEFAULT_ROLE: 'support',
  });
}, 300_000);

afterAll(async () => {
  await dashboard?.stop();
  producer?.disconnect();
  await Promise.allSettled([redis?.stop(), pg?.stop()]);
  recordResult('outage', figures);
});

const headers = { [USER_HEADER]: 'ops@example.com' };

interface Page {
  status: number;
  body: string;
  ms: number;
}

async function get(path: string): Promise<Page> {
  const t = performance.now();
  const res = await fetch(`${dashboard?.url}${path}`, { headers, redirect: 'manual' });
  const body = await res.text();
  return { status: res.status, body, ms: Math.round(performance.now() - t) };
}

/** /jobs as it renders normally: the job's row, and no outage alert. */
const showsJob = (p: Page) =>
  p.status === 200 &&
  p.body.includes(`data-job="${QUEUE}:${jobId}"`) &&
  !p.body.includes('data-testid="service-down"');

/** /jobs saying `service` is down: the alert, its message (not where it runs), and no table rows. */
function expectDown(p: Page, service: 'Redis' | 'PostgreSQL', url: string) {
  expect(p.status).toBe(200);
  expect(p.body).toContain('data-testid="service-down"');
  expect(p.body).toContain(`${service} is down`);
  expect(p.body).toContain(`${service} is unreachable.`);
  expect(p.body).not.toContain(url);
  expect(p.body).not.toContain('data-job=');
}

/** Loads /jobs until it shows the job again; returns how long that took. */
async function recovery(since: number): Promise<number> {
  const until = since + RECOVERY_MS * 3;
  for (;;) {
    const p = await get('/jobs');
    if (showsJob(p)) return Date.now() - since;
    if (Date.now() > until)
      throw new Error(`/jobs did not recover: ${p.status} ${p.body.slice(0, 300)}`);
    await sleep(100);
  }
}

describe('the dashboard while a backing service is down', () => {
  it('Redis stops: /jobs says Redis is unreachable (not an empty table), /api/jobs answers 503 naming Redis; Redis starts again: /jobs recovers without a dashboard restart', async () => {
    const r = redis as ThrowawayRedis;
    const pid = dashboard?.pid as number;
    expect(showsJob(await get('/jobs'))).toBe(true);

    await r.crash();
    const down = await get('/jobs');
    expectDown(down, 'Redis', `redis://127.0.0.1:${r.port}`);
    figures.redisDownPageMs = down.ms;
    const api = await get('/api/jobs');
    expect(api.status).toBe(503);
    expect(JSON.parse(api.body).error).toBe('Redis is unreachable. Try again when it is back.');
    // Still down on a second look, with no request hanging on the dead connection.
    const again = await get('/jobs');
    expectDown(again, 'Redis', `redis://127.0.0.1:${r.port}`);
    expect(again.ms).toBeLessThan(5000);

    const restartedAt = Date.now();
    await r.start();
    figures.redisRecoveryMs = await recovery(restartedAt);
    expect(figures.redisRecoveryMs).toBeLessThan(RECOVERY_MS);
    expect((await get('/api/jobs')).status).toBe(200);
    expect(alive(pid)).toBe(true);
    expect(dashboard?.pid).toBe(pid);
    console.log(
      `[load] Redis outage: /jobs said so in ${figures.redisDownPageMs} ms; recovered ${figures.redisRecoveryMs} ms after Redis was back`,
    );
  });

  it('PostgreSQL stops: /jobs says PostgreSQL is unreachable, /api/jobs answers 503 naming PostgreSQL; PostgreSQL starts again: /jobs recovers without a dashboard restart', async () => {
    const p = pg as ThrowawayPostgres;
    const pid = dashboard?.pid as number;
    expect(showsJob(await get('/jobs'))).toBe(true);

    await p.halt('fast');
    const down = await get('/jobs');
    expectDown(down, 'PostgreSQL', p.url());
    figures.postgresDownPageMs = down.ms;
    const api = await get('/api/jobs');
    expect(api.status).toBe(503);
    expect(JSON.parse(api.body).error).toBe(
      'PostgreSQL is unreachable. Try again when it is back.',
    );

    const restartedAt = Date.now();
    await p.start();
    figures.postgresRecoveryMs = await recovery(restartedAt);
    expect(figures.postgresRecoveryMs).toBeLessThan(RECOVERY_MS);
    expect((await get('/api/jobs')).status).toBe(200);
    expect(alive(pid)).toBe(true);
    console.log(
      `[load] PostgreSQL outage: /jobs said so in ${figures.postgresDownPageMs} ms; recovered ${figures.postgresRecoveryMs} ms after PostgreSQL was back`,
    );
  });
});
