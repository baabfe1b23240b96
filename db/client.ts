import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as authSchema from './auth-schema';
import { databaseIsPooled, databaseUrl, redactUrl } from './config';
import * as signalSchema from './schema';

const schema = { ...signalSchema, ...authSchema };

export type Database = PostgresJsDatabase<typeof schema>;
export type Sql = postgres.Sql;

export interface DbHandle {
  db: Database;
  sql: Sql;
  url: string;
}

export class DatabaseUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(
      `PostgreSQL is unreachable at DATABASE_URL=${redactUrl(url)} (${why}). ` +
        'Start it (`docker compose up -d postgres`, or your system package) or set DATABASE_URL.',
      { cause },
    );
    this.name = 'DatabaseUnavailableError';
  }
}

/** Opens a client; callers that own it close it with `handle.sql.end()`. */
export function openDb(
  url = databaseUrl(),
  options: postgres.Options<Record<string, postgres.PostgresType>> = {},
): DbHandle {
  const sql = postgres(url, {
    max: 10,
    idle_timeout: 30,
    connect_timeout: 5,
    // Through pgbouncer in transaction mode a statement prepared on another server
    // connection fails inside a transaction, and postgres.js's retry of the COMMIT then
    // silently rolls it back: no named prepared statements there.
    prepare: !databaseIsPooled(),
    onnotice: () => {},
    ...options,
  });
  return { db: drizzle(sql, { schema }), sql, url };
}

const globalForDb = globalThis as unknown as { signalDeskDb?: DbHandle };

/**
 * The process-wide client, created on first use and cached on globalThis so that
 * Next.js hot reload does not open a new pool on every edit.
 */
export function getDb(): DbHandle {
  globalForDb.signalDeskDb ??= openDb();
  return globalForDb.signalDeskDb;
}

/** True when a driver error means the server could not be reached at all. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string }; errno?: string } | undefined;
  const code = e?.code ?? e?.cause?.code ?? e?.errno;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'ETIMEDOUT' ||
    code === 'ECONNRESET' ||
    code === 'CONNECT_TIMEOUT' ||
    code === 'CONNECTION_CLOSED' ||
    code === 'CONNECTION_ENDED' ||
    code === 'CONNECTION_DESTROYED' ||
    code === '57P01' || // admin_shutdown
    code === '57P03' // cannot_connect_now
  );
}

/** Checks the server answers; throws DatabaseUnavailableError naming DATABASE_URL if not. */
export async function assertDatabaseReachable(handle: DbHandle = getDb()): Promise<void> {
  try {
    await handle.sql`select 1`;
  } catch (err) {
    if (isConnectionError(err) || (err as { code?: string }).code === '3D000') {
      throw new DatabaseUnavailableError(handle.url, err);
    }
    throw err;
  }
}
