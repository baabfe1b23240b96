import 'server-only';
import { getQueues } from '@/app/bullmq/queue-registry';
import { getDb, isConnectionError } from '@/db/client';
import { databaseUrl, redactUrl } from '@/db/config';
import { redisUrl } from '@/worker/config';

export type ServiceName = 'PostgreSQL' | 'Redis';

/**
 * An outage of one backing service. The message, which callers see, names the
 * service and nothing about where it runs: sessions live in PostgreSQL, so while
 * it is down nobody can be told apart from a stranger. `detail` adds the address
 * (password hidden), for the server log.
 */
export class ServiceDownError extends Error {
  constructor(
    readonly service: ServiceName,
    readonly url: string,
    cause?: unknown,
  ) {
    super(`${service} is unreachable.`, { cause });
    this.name = 'ServiceDownError';
  }

  get detail(): string {
    return `${this.service} is unreachable at ${redactUrl(this.url)}.`;
  }
}

function isRedisDown(err: unknown): boolean {
  const e = err as { message?: string; code?: string; name?: string } | undefined;
  const m = e?.message ?? '';
  return (
    e?.name === 'MaxRetriesPerRequestError' ||
    /Stream isn't writeable|enableOfflineQueue|Connection is closed|ECONNREFUSED.*6379|Reached the max retries/i.test(
      m,
    ) ||
    (e?.code === 'ECONNREFUSED' && m.includes(new URL(redisUrl()).port || '6379'))
  );
}

/** Maps a driver error to the service that is down, or returns it unchanged. */
export function classifyServiceError(err: unknown): unknown {
  if (err instanceof ServiceDownError) return err;
  if (isRedisDown(err)) return new ServiceDownError('Redis', redisUrl(), err);
  if (isConnectionError(err)) return new ServiceDownError('PostgreSQL', databaseUrl(), err);
  return err;
}

/** Runs `fn`, turning connection failures into a ServiceDownError naming the service. */
export async function withServices<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw classifyServiceError(err);
  }
}

/** The process-wide dependencies of the domain functions. */
export function deps() {
  return { db: getDb().db, queues: getQueues() };
}
