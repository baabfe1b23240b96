import 'server-only';
import { discoveryIntervalMs, getQueues } from '@/app/bullmq/queue-registry';
import type { LiveChange } from '@/app/contracts';
import { databaseListenUrl } from '@/db/config';
import { ListenConnection } from '@/db/listen';
import { jobKey, SIGNAL_CHANNEL, SIGNAL_EVENTS_CHANNEL } from '@/db/vocabulary';
import { connectRedis, type RedisClient, redisUrl } from '@/worker/config';

type Listener = (change: LiveChange) => void;

const FLUSH_MS = 150;
const MAX_JOBS = 200;
const BLOCK_MS = 2000;
const RETRY_MS = 1000;
const IDLE_STOP_MS = 30_000;
// BullMQ's own bookkeeping events say nothing a page shows.
const IGNORED = new Set(['drained', 'stalled-check', 'retries-exhausted']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One per server process, shared by every open /api/events stream: a dedicated
 * PostgreSQL connection LISTENing on both signal channels, and one Redis
 * connection reading the event streams of every discovered queue (the registry's
 * cached discovery, never a keyspace scan of its own) with a single
 * blocking XREAD (what BullMQ's QueueEvents does per queue, without a connection
 * per queue). Events are merged for FLUSH_MS and fanned out as one small change.
 * It starts with the first subscriber and stops 30 s after the last one leaves.
 */
export class LiveHub {
  private readonly listeners = new Set<Listener>();
  private generation = 0;
  private running = false;
  private stopTimer: ReturnType<typeof setTimeout> | undefined;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private listener: ListenConnection | undefined;
  private redis: RedisClient | undefined;
  private batch = LiveHub.emptyBatch();

  private static emptyBatch() {
    return {
      all: false,
      queues: new Set<string>(),
      jobs: new Map<string, [string, string]>(),
      moreJobs: false,
      signalQueues: new Set<string>(),
    };
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    clearTimeout(this.stopTimer);
    if (!this.running) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        clearTimeout(this.stopTimer);
        this.stopTimer = setTimeout(() => this.stop(), IDLE_STOP_MS);
      }
    };
  }

  private add(part: { all?: boolean; queue?: string; jobId?: string; signalQueues?: string[] }) {
    const b = this.batch;
    if (part.all) b.all = true;
    if (part.queue) b.queues.add(part.queue);
    if (part.queue && part.jobId) {
      const key = jobKey(part.queue, part.jobId);
      if (b.jobs.size < MAX_JOBS) b.jobs.set(key, [part.queue, part.jobId]);
      else if (!b.jobs.has(key)) b.moreJobs = true;
    }
    for (const q of part.signalQueues ?? []) b.signalQueues.add(q);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush() {
    this.flushTimer = undefined;
    const b = this.batch;
    this.batch = LiveHub.emptyBatch();
    const change: LiveChange = {
      all: b.all,
      queues: [...b.queues],
      jobs: [...b.jobs.values()],
      moreJobs: b.moreJobs,
      signalQueues: [...b.signalQueues],
    };
    for (const l of this.listeners) {
      try {
        l(change);
      } catch {
        // A closed stream's listener; its own cleanup removes it.
      }
    }
  }

  private start() {
    this.running = true;
    const gen = ++this.generation;
    this.listenPostgres(gen);
    void this.readRedis(gen);
  }

  private stop() {
    if (this.listeners.size > 0) return;
    this.running = false;
    this.generation++;
    void this.listener?.close();
    this.listener = undefined;
    this.redis?.disconnect();
    this.redis = undefined;
  }

  private alive(gen: number) {
    return this.running && gen === this.generation;
  }

  private listenPostgres(gen: number) {
    const conn = new ListenConnection({
      url: databaseListenUrl(),
      channels: [SIGNAL_CHANNEL, SIGNAL_EVENTS_CHANNEL],
      applicationName: 'signal-desk-live',
      onNotify: (_channel, payload) => {
        try {
          const queues = (JSON.parse(payload) as { queues?: unknown }).queues;
          if (Array.isArray(queues)) this.add({ signalQueues: queues.map(String) });
          else this.add({ all: true });
        } catch {
          this.add({ all: true }); // only a hint: any notification means "look again"
        }
      },
      // After a reconnect, what changed meanwhile is unknown: pages re-read.
      onListen: (again) => {
        if (again) this.add({ all: true });
      },
      // Pages re-read and say that PostgreSQL is down.
      onError: () => this.add({ all: true }),
    });
    if (!this.alive(gen)) return;
    this.listener = conn;
    conn.start();
  }

  private async readRedis(gen: number) {
    const registry = getQueues();
    const conn = connectRedis(redisUrl(), { maxRetriesPerRequest: null, connectTimeout: 3000 });
    conn.on('error', () => {});
    this.redis = conn;
    const lastIds = new Map<string, string>();
    const queueOf = new Map<string, string>();
    let discoveredAt = 0;
    let down = false;
    while (this.alive(gen)) {
      try {
        // The server's one cached discovery (shared with pages and the API): no scan of its own.
        if (Date.now() - discoveredAt > discoveryIntervalMs()) {
          const names = await registry.discover();
          const keys = new Map(names.map((n) => [`${registry.prefix}:${n}:events`, n]));
          for (const key of [...lastIds.keys()]) if (!keys.has(key)) lastIds.delete(key);
          for (const [key, name] of keys) {
            queueOf.set(key, name);
            if (!lastIds.has(key)) {
              // Start after the newest entry: history is not news.
              const [last] = await conn.xrevrange(key, '+', '-', 'COUNT', 1);
              lastIds.set(key, last?.[0] ?? '0-0');
            }
          }
          discoveredAt = Date.now();
        }
        if (lastIds.size === 0) {
          await sleep(RETRY_MS);
          continue;
        }
        const keys = [...lastIds.keys()];
        const res = await conn.xread(
          'COUNT',
          1000,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...keys,
          ...keys.map((k) => lastIds.get(k) as string),
        );
        if (down) {
          down = false;
          this.add({ all: true });
        }
        for (const [key, entries] of res ?? []) {
          const queue = queueOf.get(key);
          for (const [id, fields] of entries) {
            lastIds.set(key, id);
            const event = field(fields, 'event');
            if (!queue || (event && IGNORED.has(event))) continue;
            this.add({ queue, jobId: field(fields, 'jobId') });
          }
        }
      } catch {
        if (!this.alive(gen)) break;
        if (!down) {
          down = true;
          this.add({ all: true }); // pages re-read and say that Redis is down
        }
        await sleep(RETRY_MS);
      }
    }
    conn.disconnect();
  }
}

function field(fields: string[], name: string): string | undefined {
  for (let i = 0; i < fields.length - 1; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

const globalForHub = globalThis as unknown as { signalDeskLiveHub?: LiveHub };

export function getLiveHub(): LiveHub {
  globalForHub.signalDeskLiveHub ??= new LiveHub();
  return globalForHub.signalDeskLiveHub;
}
