import { Job, Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import { bullPrefix, producerConnection, REDIS_BATCH, type RedisClient } from '@/worker/config';

/**
 * Producer-side access to BullMQ queues of any application: one shared Redis
 * connection, one `Queue` object per name, created on first use.
 */
export class QueueRegistry {
  private readonly queues = new Map<string, Queue>();
  private ownsConnection: boolean;

  constructor(
    readonly connection: RedisClient = producerConnection(),
    readonly prefix: string = bullPrefix(),
    ownsConnection = true,
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
    return Job.fromId(this.get(queue), id);
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

  /** Every queue of this prefix, found from its `<prefix>:<name>:meta` key. */
  async discover(): Promise<string[]> {
    await this.ready();
    const names = new Set<string>();
    const match = `${this.prefix}:*:meta`;
    // SCAN walks one server: a cluster is scanned master by master.
    const nodes =
      this.connection instanceof Cluster ? this.connection.nodes('master') : [this.connection];
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', REDIS_BATCH);
        cursor = next;
        for (const k of keys) names.add(k.slice(this.prefix.length + 1, -':meta'.length));
      } while (cursor !== '0');
    }
    return [...names].sort();
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
