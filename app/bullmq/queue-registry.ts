import { type Job, Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import { bullPrefix, producerConnection, REDIS_BATCH, type RedisClient } from '@/worker/config';
import { readJob } from './job-read';
import { compareQueueNames, type SkipReason, skipReason } from './queue-names';

/** What one discovery found: the queues listed, naturally sorted, and how many were skipped and why. */
export interface Discovery {
  names: string[];
  skipped: Partial<Record<SkipReason, number>>;
}

/**
 * How long one discovery serves every page, API call and live stream of this
 * server (SIGNAL_DESK_DISCOVERY_MS, default 3 s): a new queue appears within it.
 */
export function discoveryIntervalMs(): number {
  const n = Number(process.env.SIGNAL_DESK_DISCOVERY_MS);
  return Number.isFinite(n) && n >= 0 ? n : 3000;
}

/**
 * Producer-side access to BullMQ queues of any application: one shared Redis
 * connection, one `Queue` object per name, created on first use.
 */
export class QueueRegistry {
  private readonly queues = new Map<string, Queue>();
  private ownsConnection: boolean;
  private discovery: { at: number; value: Promise<Discovery> } | undefined;
  /** Keyspace scans made by `discovered()` (each a full SCAN of every node). */
  scans = 0;

  constructor(
    readonly connection: RedisClient = producerConnection(),
    readonly prefix: string = bullPrefix(),
    ownsConnection = true,
    readonly discoveryMs: number = discoveryIntervalMs(),
  ) {
    this.ownsConnection = ownsConnection;
    // A Redis outage is reported by the commands that fail; the listener keeps it from crashing the process.
    connection.on('error', () => {});
  }

  get(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.prefix });
      q.on('error', () => {});
      this.queues.set(name, q);
    }
    return q;
  }

  async job(queue: string, id: string): Promise<Job | undefined> {
    // A BullMQ Queue object writes its queue's meta key when created: looking up a job
    // of an unknown queue must not create that queue (it would be "discovered" forever).
    if (!(await this.exists(queue))) return undefined;
    return readJob(this.get(queue), this.connection, id);
  }

  /**
   * Waits (at most 3 s) while the shared connection is still connecting: producer
   * connections have no offline queue, so a command sent before `ready` fails at
   * once and the first request after a start would be answered "Redis is down".
   * BullMQ's own Queue calls wait by themselves; these direct commands did not.
   */
  private async ready(): Promise<void> {
    const c = this.connection;
    if (c.status !== 'connecting' && c.status !== 'connect' && c.status !== 'reconnecting') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        c.off('ready', done);
        c.off('error', done);
        resolve();
      };
      const timer = setTimeout(done, 3000);
      c.once('ready', done);
      c.once('error', done);
    });
  }

  /** True when Redis holds BullMQ's meta key of this queue. */
  async exists(name: string): Promise<boolean> {
    await this.ready();
    return (await this.connection.exists(`${this.prefix}:${name}:meta`)) === 1;
  }

  /** Every queue of this prefix (see `discovered`), in natural order. */
  async discover(): Promise<string[]> {
    return (await this.discovered()).names;
  }

  /**
   * Every queue of this prefix, found from its `<prefix>:<name>:meta` key. A scan
   * walks the whole keyspace (about 50 ms of Redis time with 100,000 jobs), so one
   * scan serves every caller of this registry for `discoveryMs`; callers that come
   * while it runs share it. A failed scan is not kept.
   */
  discovered(): Promise<Discovery> {
    const now = Date.now();
    const cached = this.discovery;
    if (cached && now - cached.at < this.discoveryMs) return cached.value;
    const value = this.scanKeyspace();
    this.discovery = { at: now, value };
    value.catch(() => {
      if (this.discovery?.value === value) this.discovery = undefined;
    });
    return value;
  }

  private async scanKeyspace(): Promise<Discovery> {
    await this.ready();
    this.scans++;
    const names = new Set<string>();
    const skipped: Discovery['skipped'] = {};
    const match = `${this.prefix}:*:meta`;
    const head = Buffer.byteLength(this.prefix) + 1;
    // SCAN walks one server: a cluster is scanned master by master.
    const nodes =
      this.connection instanceof Cluster ? this.connection.nodes('master') : [this.connection];
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scanBuffer(cursor, 'MATCH', match, 'COUNT', REDIS_BATCH);
        cursor = next.toString();
        for (const key of keys) {
          const raw = key.subarray(head, key.length - ':meta'.length);
          const why = skipReason(raw);
          if (why) skipped[why] = (skipped[why] ?? 0) + 1;
          else names.add(raw.toString('utf8'));
        }
      } while (cursor !== '0');
    }
    return { names: [...names].sort(compareQueueNames), skipped };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
    if (this.ownsConnection) this.connection.disconnect();
  }
}

const globalForQueues = globalThis as unknown as { signalDeskQueues?: QueueRegistry };

/** The process-wide registry (cached on globalThis for Next.js hot reload). */
export function getQueues(): QueueRegistry {
  globalForQueues.signalDeskQueues ??= new QueueRegistry();
  return globalForQueues.signalDeskQueues;
}
