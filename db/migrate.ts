import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { DatabaseUnavailableError, isConnectionError } from './client';
import { databaseUrl } from './config';

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Creates the database named in `url` when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error(`DATABASE_URL names no database: ${url}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) {
      try {
        await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`);
      } catch (err) {
        // Another migrator created it between our check and our create.
        if ((err as { code?: string }).code !== '42P04') throw err;
      }
    }
  } catch (err) {
    if (isConnectionError(err)) throw new DatabaseUnavailableError(url, err);
    throw err;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Creates the database if needed, then applies every committed migration (idempotent). */
export async function migrateDatabase(url = databaseUrl()): Promise<void> {
  await ensureDatabase(url);
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  migrateDatabase()
    .then(() => console.log('migrations applied'))
    .catch((err: unknown) => {
      console.error(err instanceof DatabaseUnavailableError ? err.message : err);
      process.exit(1);
    });
}
