import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobState } from '../../app/bullmq/job-view';
import { type DbHandle, openDb } from '../../db/client';
import { jobHistory } from '../../db/job-signals';
import { insertSignals } from '../../db/signal-requests';
import { uniqueQueue, waitFor } from '../helpers';
import type { StepJobData } from './fault-log';
import { pgbouncerPath, startPgbouncer, type ThrowawayPgbouncer } from './services';
import { type Stack, startStack } from './stack';

const installed = Boolean(pgbouncerPath());
if (!installed) {
  console.warn(
    'pgbouncer is not installed: the DATABASE_LISTEN_URL test is skipped (apt-get install -y pgbouncer)',
  );
}

let stack: Stack;
let bouncer: ThrowawayPgbouncer;
/** The test's client through pgbouncer, as a dashboard behind it would write signals. */
let pooled: DbHandle;
beforeAll(async () => {
  if (!installed) return;
  stack = await startStack();
  bouncer = await startPgbouncer(stack.pg, { poolSize: 2 });
  pooled = openDb(bouncer.url(), { max: 2, prepare: false });
});
afterAll(async () => {
  await pooled?.sql.end({ timeout: 1 }).catch(() => {});
  await bouncer?.stop();
  await stack?.close();
});

describe('DATABASE_LISTEN_URL beside pgbouncer in transaction pooling mode', () => {
  it.skipIf(!installed)(
    'signal writes through pgbouncer are never lost, while other clients share its server connections',
    async () => {
      // Two clients, two server connections: each transaction of the writer lands on
      // whichever server connection the readers just left.
      const readers = openDb(bouncer.url(), { max: 4, prepare: false });
      const direct = stack.handle.db;
      const q = uniqueQueue('pgbouncer-writes');
      const reported: number[] = [];
      try {
        for (let i = 0; i < 200; i++) {
          const reads = Promise.all([
            readers.db.execute(sql`select count(*) from job_signals where queue = ${q}`),
            readers.db.execute(sql`select id from job_signals where queue = ${q} limit 1`),
          ]);
          const [row] = await insertSignals(pooled.db, [
            { queue: q, jobId: String(i), jobName: 'steps', signal: 'cancel', requestedBy: 'ops' },
          ]);
          if (row?.created) reported.push(row.signal.id);
          await reads;
        }
      } finally {
        await readers.sql.end({ timeout: 1 });
      }
      expect(reported).toHaveLength(200);
      const stored = await direct.execute<{ id: number }>(
        sql`select id from job_signals where queue = ${q}`,
      );
      expect(stored.length).toBe(200);
    },
  );

  it.skipIf(!installed)(
    'workers with DATABASE_URL through pgbouncer and DATABASE_LISTEN_URL direct get notified signals with polling off',
    async () => {
      const q = uniqueQueue('pgbouncer');
      const queue = stack.queue(q);
      const w = stack.log.spawn(
        q,
        stack.workerEnv({
          DATABASE_URL: bouncer.url(),
          DATABASE_LISTEN_URL: stack.pg.url(),
          SIGNAL_POLL_MS: '600000',
          FAULT_CONCURRENCY: '2',
        }),
      );
      const long = { steps: 3000, stepMs: 10 } satisfies StepJobData;
      const toCancel = await queue.add('steps', long);
      const toPause = await queue.add('steps', long);
      const queued = await queue.add('steps', long, { delay: 3_600_000 });
      for (const job of [toCancel, toPause])
        await waitFor(() => stack.log.steps(job).length >= 3, `job ${job.id} running`, 30_000);

      // The LISTEN connection goes straight to PostgreSQL, not through one of pgbouncer's.
      const listener = await waitFor(
        async () =>
          (
            await stack.handle.db.execute<{ port: number }>(sql`
              select client_port as port from pg_stat_activity
              where application_name = 'signal-desk-listen' and query ilike 'listen%'`)
          )[0],
        'LISTEN up on PostgreSQL itself',
      );
      const servers = await bouncer.admin('SHOW SERVERS');
      expect(servers.map((s) => Number(s.local_port))).not.toContain(listener.port);
      // Everything else goes through pgbouncer.
      const clients = (await bouncer.admin('SHOW CLIENTS')).filter(
        (c) => c.database === 'signal_desk',
      );
      expect(clients.length).toBeGreaterThan(1);

      const ask = async (jobId: string, signal: 'cancel' | 'pause' | 'resume') => {
        const at = Date.now();
        await insertSignals(pooled.db, [
          { queue: q, jobId, jobName: 'steps', signal, requestedBy: 'ops' },
        ]);
        return at;
      };
      const timing: Record<string, number> = {};
      let at = await ask(toCancel.id!, 'cancel');
      await waitFor(
        async () => (await jobState((await queue.getJob(toCancel.id!))!)) === 'cancelled',
        'running job cancelled',
        3000,
      );
      timing.cancelRunning = Date.now() - at;
      at = await ask(toPause.id!, 'pause');
      await waitFor(
        async () => (await jobState((await queue.getJob(toPause.id!))!)) === 'paused',
        'running job parked',
        3000,
      );
      timing.pauseRunning = Date.now() - at;
      at = await ask(toPause.id!, 'resume');
      await waitFor(() => stack.log.of('start', toPause).length === 2, 'parked job resumed', 3000);
      timing.resumePaused = Date.now() - at;
      at = await ask(queued.id!, 'cancel');
      await waitFor(async () => !(await queue.getJob(queued.id!)), 'queued job removed', 3000);
      timing.cancelQueued = Date.now() - at;

      const history = async () =>
        (
          await Promise.all(
            [toCancel, toPause, queued].map((job) => jobHistory(stack.handle.db, q, job.id!)),
          )
        ).flat();
      await waitFor(
        async () => (await history()).every((s) => s.status === 'completed'),
        'every signal completed',
      );
      const rows = await history();
      expect(rows.map((r) => r.signal)).toEqual(['cancel', 'pause', 'resume', 'cancel']);
      for (const ms of Object.values(timing)) expect(ms).toBeLessThan(1500);
      // Nothing went wrong on the way: no failed LISTEN, no failed query through pgbouncer.
      expect(w.stderr).toBe('');
      console.log(`through pgbouncer, notified signal to effect (ms): ${JSON.stringify(timing)}`);
      await queue.remove(toPause.id!).catch(() => {});
      await w.kill('SIGTERM');
    },
  );
});
