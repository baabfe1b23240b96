import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** A connection to one Redis (plain or through Sentinel) or to a Redis Cluster. */
export type RedisClient = Redis | Cluster;

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export function redisUrl(): string {
  return process.env.REDIS_URL || DEFAULT_REDIS_URL;
}

export function bullPrefix(): string {
  return process.env.BULLMQ_PREFIX || 'bull';
}

/** How often each worker process polls for signals that came without a notification. */
export function pollIntervalMs(): number {
  const n = Number(process.env.SIGNAL_POLL_MS);
  return Number.isFinite(n) && n >= 50 ? n : 2000;
}

/**
 * Opens a Redis connection from a URL: `redis://` and `rediss://` as ioredis
 * reads them, or Sentinel as
 * `redis-sentinel://[:password@]host1:26379,host2:26379/<master name>[?db=N]`
 * (the password, if any, is the master's; ioredis follows failovers), or a Redis
 * Cluster as `redis-cluster://[:password@]host1:6379,host2:6379` (BullMQ then needs
 * a hash-tagged prefix: BULLMQ_PREFIX={bull}).
 */
export function connectRedis(url: string, options: RedisOptions = {}): RedisClient {
  if (url.startsWith('redis-cluster://')) {
    const { nodes, password } = parseClusterUrl(url);
    const { maxRetriesPerRequest, enableOfflineQueue, ...rest } = options;
    return new Cluster(nodes, {
      redisOptions: { ...rest, password, maxRetriesPerRequest },
      enableOfflineQueue: enableOfflineQueue ?? true,
      enableReadyCheck: true,
    });
  }
  return new Redis({ ...parseRedisUrl(url), ...options });
}

/** Nodes and password of a redis-cluster:// URL. Exported for tests. */
export function parseClusterUrl(url: string): {
  nodes: { host: string; port: number }[];
  password?: string;
} {
  const rest = url.slice('redis-cluster://'.length).replace(/\/.*$/, '');
  const at = rest.lastIndexOf('@');
  const auth = at >= 0 ? rest.slice(0, at) : '';
  const nodes = (at >= 0 ? rest.slice(at + 1) : rest)
    .split(',')
    .filter(Boolean)
    .map((h) => {
      const [host = '127.0.0.1', port = '6379'] = h.split(':');
      return { host, port: Number(port) };
    });
  if (nodes.length === 0) throw new Error('a redis-cluster:// URL needs at least one host:port');
  const password = auth.includes(':')
    ? decodeURIComponent(auth.slice(auth.indexOf(':') + 1))
    : undefined;
  return { nodes, password };
}

/** ioredis options for a Redis URL (see connectRedis). Exported for tests. */
export function parseRedisUrl(url: string): RedisOptions {
  if (!url.startsWith('redis-sentinel://')) {
    const u = new URL(url);
    if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
      throw new Error(
        `REDIS_URL must start with redis://, rediss:// or redis-sentinel://, not ${u.protocol}//`,
      );
    }
    return {
      host: u.hostname || '127.0.0.1',
      port: Number(u.port) || 6379,
      username: u.username ? decodeURIComponent(u.username) : undefined,
      password: u.password ? decodeURIComponent(u.password) : undefined,
      db: Number(u.pathname.slice(1)) || 0,
      tls: u.protocol === 'rediss:' ? {} : undefined,
    };
  }
  const rest = url.slice('redis-sentinel://'.length);
  const at = rest.lastIndexOf('@');
  const auth = at >= 0 ? rest.slice(0, at) : '';
  const [hostsPart = '', pathPart = ''] = (at >= 0 ? rest.slice(at + 1) : rest).split('/');
  const [name, query = ''] = pathPart.split('?');
  if (!name) throw new Error('a redis-sentinel:// URL must end with /<master name>');
  const sentinels = hostsPart.split(',').map((h) => {
    const [host = '127.0.0.1', port = '26379'] = h.split(':');
    return { host, port: Number(port) };
  });
  const password = auth.includes(':')
    ? decodeURIComponent(auth.slice(auth.indexOf(':') + 1))
    : undefined;
  const db = Number(new URLSearchParams(query).get('db')) || 0;
  return { sentinels, name, password, db };
}

/**
 * A connection for workers (blocking commands): BullMQ requires
 * `maxRetriesPerRequest: null` so a Redis blip never fails a command for good.
 */
export function workerConnection(url = redisUrl(), extra: RedisOptions = {}): RedisClient {
  return connectRedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra });
}

/**
 * A connection for producers and readers (dashboard, API): fail fast, so a request
 * during a Redis outage gets an error instead of hanging.
 */
export function producerConnection(url = redisUrl(), extra: RedisOptions = {}): RedisClient {
  return connectRedis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 3000,
    lazyConnect: false,
    ...extra,
  });
}

/** Jobs read from Redis per pipelined round trip (name scans, state reads). */
export const REDIS_BATCH = 1000;
