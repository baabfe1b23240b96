import { randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { QueueRegistry } from '../../app/bullmq/queue-registry';
import type { SignalDeps } from '../../app/requests/request-signal';
import { type DbHandle, openDb } from '../../db/client';
import { databaseUrl } from '../../db/config';
import { migrateDatabase } from '../../db/migrate';
import { bullPrefix, workerConnection } from '../../worker/config';
import { killChildren } from './children';

/** What every benchmark gets: its own database, the queues, and cleanup. */
export interface BenchEnv {
  /** The run's own database, migrated. */
  databaseUrl: string;
  handle: DbHandle;
  queues: QueueRegistry;
  deps: SignalDeps;
  /** A queue name no one else uses; obliterated by `dropQueue` or at the end. */
  newQueue(label: string): string;
  dropQueue(name: string): Promise<void>;
  /** Another database of this run (created, migrated, dropped at the end). */
  extraDatabase(suffix: string): Promise<DbHandle>;
}

/** The server of DATABASE_URL (or the project's default), read before the run points DATABASE_URL at its own database. */
const SERVER = databaseUrl();

const withDatabase = (name: string): string => {
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
};

async function dropDatabase(name: string): Promise<void> {
  const admin = postgres(withDatabase('postgres'), { max: 1, onnotice: () => {} });
  try {
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
    await admin.unsafe(`drop database if exists "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/**
 * Creates the run's database (`signal_desk_bench_<random>`) and opens the
 * clients. `close` obliterates the run's queues, kills worker processes still
 * alive and drops the databases; it runs once, also on failure and Ctrl-C.
 */
export async function openBenchEnv(): Promise<{ env: BenchEnv; close(): Promise<void> }> {
  const base = `signal_desk_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const databases = [base];
  const made = new Set<string>();
  const handles: DbHandle[] = [];
  let closing: Promise<void> | undefined;
  let queues: QueueRegistry | undefined;

  const close = () => {
    closing ??= (async () => {
      killChildren();
      if (queues) {
        const q = queues;
        await Promise.allSettled([...made].map((name) => q.get(name).obliterate({ force: true })));
        await q.close();
      }
      await Promise.allSettled(handles.map((h) => h.sql.end({ timeout: 2 })));
      for (const name of databases) await dropDatabase(name).catch(() => {});
    })();
    return closing;
  };

  try {
    const databaseUrl = withDatabase(base);
    await migrateDatabase(databaseUrl);
    // Whatever reads DATABASE_URL (the toolkit's watcher) uses the run's database.
    process.env.DATABASE_URL = databaseUrl;
    const handle = openDb(databaseUrl, { max: 10 });
    handles.push(handle);
    queues = new QueueRegistry(workerConnection(), bullPrefix(), true);
    const registry = queues;
    const env: BenchEnv = {
      databaseUrl,
      handle,
      queues: registry,
      deps: { db: handle.db, queues: registry },
      newQueue(label) {
        const name = `bench-${label}-${randomUUID()}`;
        made.add(name);
        return name;
      },
      async dropQueue(name) {
        await registry.get(name).obliterate({ force: true });
        made.delete(name);
      },
      async extraDatabase(suffix) {
        const name = `${base}_${suffix}`;
        databases.push(name);
        const url = withDatabase(name);
        await migrateDatabase(url);
        const extra = openDb(url, { max: 10 });
        handles.push(extra);
        return extra;
      },
    };
    return { env, close };
  } catch (err) {
    await close();
    throw err;
  }
}
