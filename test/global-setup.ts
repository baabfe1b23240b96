import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { migrateDatabase } from '../db/migrate';

/**
 * Each run gets its own database, created and migrated here and dropped after.
 * The base URL comes from TEST_DATABASE_URL (default: the local server).
 */
export default async function setup() {
  const base = new URL(
    process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  );
  const name = `signal_desk_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const url = new URL(base);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.SIGNAL_DESK_TEST_DB = name;
  process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString('base64url');
  await migrateDatabase(url.toString());
  return async () => {
    const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
    try {
      await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
      await admin.unsafe(`drop database if exists "${name}"`);
    } finally {
      await admin.end({ timeout: 5 });
    }
  };
}
