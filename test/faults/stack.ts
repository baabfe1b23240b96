// One throwaway stack per test file: a migrated PostgreSQL, a Redis, the test's
// own clients to both, and the log of its worker processes. `close()` removes all.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { type DbHandle, openDb } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { FaultLog, type WorkerEnv } from './fault-log';
import { startPostgres, startRedis, type ThrowawayPostgres, type ThrowawayRedis } from './services';

export interface Stack {
  pg: ThrowawayPostgres;
  redis: ThrowawayRedis;
  /** The test's own client of the throwaway PostgreSQL. */
  handle: DbHandle;
  /** The test's own client of the throwaway Redis (waits out an outage, never fails a command). */
  connection: Redis;
  log: FaultLog;
  queue(name: string): Queue;
  /** Environment of a worker process of this stack. */
  workerEnv(extra?: Partial<WorkerEnv>): WorkerEnv;
  close(): Promise<void>;
}

export async function startStack(opts: { durableRedis?: boolean } = {}): Promise<Stack> {
  const [pg, redis] = await Promise.all([
    startPostgres(),
    startRedis({ durable: opts.durableRedis }),
  ]);
  await migrateDatabase(pg.url());
  const handle = openDb(pg.url(), { max: 4 });
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  connection.on('error', () => {});
  const queues = new Map<string, Queue>();
  const log = new FaultLog();
  return {
    pg,
    redis,
    handle,
    connection,
    log,
    queue(name) {
      let q = queues.get(name);
      if (!q) {
        q = new Queue(name, { connection });
        q.on('error', () => {});
        queues.set(name, q);
      }
      return q;
    },
    workerEnv: (extra = {}) => ({
      DATABASE_URL: pg.url(),
      REDIS_URL: redis.url,
      SIGNAL_POLL_MS: '2000',
      ...extra,
    }),
    async close() {
      await log.close();
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
      connection.disconnect();
      await handle.sql.end({ timeout: 1 }).catch(() => {});
      await Promise.allSettled([pg.stop(), redis.stop()]);
    },
  };
}
