import { randomUUID } from 'node:crypto';
import type { JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { vi } from 'vitest';
import { QueueRegistry } from '../app/bullmq/queue-registry';
import { type DbHandle, openDb } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { type RedisClient, workerConnection } from '../worker/config';

/** A queue name no other test (or run) uses. */
export const uniqueQueue = (label = 'test') => `${label}-${randomUUID()}`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  fn: () => Promise<T> | T,
  what: string,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

/** The process-wide clients (db/client's getDb, worker/queues' getQueues), cached on globalThis. */
const services = globalThis as unknown as {
  signalDeskDb?: DbHandle;
  signalDeskQueues?: QueueRegistry;
};

/**
 * Closes and forgets the process-wide clients that route handlers and actions
 * opened, so the next use opens new ones (from the environment as it is then).
 */
export async function resetServices(timeoutSeconds = 2): Promise<void> {
  const { signalDeskDb: db, signalDeskQueues: queues } = services;
  services.signalDeskDb = undefined;
  services.signalDeskQueues = undefined;
  await queues?.close();
  await db?.sql.end({ timeout: timeoutSeconds });
}

/** Test fixtures: a database handle, a queue registry, and queues removed after the test. */
export function fixtures() {
  const handle: DbHandle = openDb(process.env.DATABASE_URL, { max: 4 });
  const queues = new QueueRegistry(workerConnection(), 'bull', true);
  const made: Queue[] = [];
  return {
    db: handle.db,
    sql: handle.sql,
    queues,
    deps: { db: handle.db, queues },
    queue(name: string): Queue {
      const q = queues.get(name);
      made.push(q);
      return q;
    },
    async add(queueName: string, name: string, data: unknown, opts: JobsOptions = {}) {
      return this.queue(queueName).add(name, data, opts);
    },
    async close() {
      await Promise.allSettled(made.map((q) => q.obliterate({ force: true })));
      // What obliterate leaves (a flow parent waiting for children of another queue):
      // the machine's Redis is shared with every later run, so nothing stays.
      for (const q of made) await deleteKeys(queues.connection, `bull:${globEscape(q.name)}:*`);
      await queues.close();
      await handle.sql.end({ timeout: 2 });
    },
  };
}

/**
 * Gives the calling test file a database of its own (the run's database name plus
 * `suffix`), for files that must neither see nor disturb the files running beside them
 * (LISTEN on the shared channel, closing the database to connections). Call it at the top
 * of the file, before `fixtures()`: DATABASE_URL points at it until `drop()` (afterAll).
 */
export function ownDatabase(suffix: string) {
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = `${url.pathname}_${suffix}`;
  const name = url.pathname.slice(1);
  vi.stubEnv('DATABASE_URL', url.toString());
  const admin = () => {
    const a = new URL(url);
    a.pathname = '/postgres';
    return postgres(a.toString(), { max: 1, onnotice: () => {} });
  };
  return {
    url: url.toString(),
    name,
    /** A connection to the maintenance database, to change this database's settings. */
    admin,
    /** Creates and migrates it (beforeAll). */
    create: () => migrateDatabase(url.toString()),
    /** Drops it and restores DATABASE_URL (afterAll, after every client of it closed). */
    async drop() {
      const adm = admin();
      try {
        await adm`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name}`;
        await adm.unsafe(`drop database if exists "${name}"`);
      } finally {
        await adm.end();
        vi.unstubAllEnvs();
      }
    },
  };
}

/** A glob pattern matching `text` literally (Redis SCAN MATCH). */
export function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** Deletes every key matching a SCAN pattern, as raw bytes (names that are not UTF-8 too). */
export async function deleteKeys(redis: RedisClient, pattern: string): Promise<void> {
  if (!(redis instanceof Redis)) return; // a Cluster: the tests' fixtures never use one
  let cursor = '0';
  do {
    const [next, keys] = await redis.scanBuffer(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = String(next);
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
