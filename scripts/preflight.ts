import { DatabaseUnavailableError } from '../db/client';
import { databaseUrl, redactUrl } from '../db/config';
import { migrateDatabase } from '../db/migrate';
import { connectRedis, redisUrl } from '../worker/config';

/** A service that is not there, said with what to do about it. */
export class PreflightError extends Error {}

const HOW_TO_START = {
  PostgreSQL:
    '  docker compose up -d postgres\n  or: sudo apt-get install postgresql && sudo service postgresql start\n  or set DATABASE_URL to a server you have.',
  Redis:
    '  docker compose up -d redis\n  or: sudo apt-get install redis-server && sudo service redis-server start\n  or set REDIS_URL to a server you have.',
};

/** Migrates PostgreSQL (creating the database if needed) and pings Redis; explains any failure. */
export async function preflight(): Promise<void> {
  try {
    await migrateDatabase();
  } catch (err) {
    if (err instanceof DatabaseUnavailableError) {
      throw new PreflightError(
        `PostgreSQL is not reachable at ${redactUrl(databaseUrl())} (DATABASE_URL).\nStart one:\n${HOW_TO_START.PostgreSQL}`,
      );
    }
    throw err;
  }
  const redis = connectRedis(redisUrl(), {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new PreflightError(
      `Redis is not reachable at ${redactUrl(redisUrl())} (REDIS_URL): ${(err as Error).message}.\nStart one:\n${HOW_TO_START.Redis}`,
    );
  } finally {
    redis.disconnect();
  }
}
