import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Queue } from 'bullmq';
import { type DbHandle, openDb } from '../../db/client';
import { databaseIsPooled, databaseListenUrl, databaseUrl } from '../../db/config';
import { ListenConnection } from '../../db/listen';
import type { JobSignal } from '../../db/schema';
import { SIGNAL_CHANNEL } from '../../db/vocabulary';
import { claimSignals, openSignals, supersedeSignals } from '../../db/worker-signals';
import { pollIntervalMs } from '../config';
import { Heartbeats } from './heartbeats';
import { HeldJobs } from './held-jobs';
import type { JobRun } from './job-run';
import { actOnQueuedJobs } from './queued-jobs';
import { StartReads } from './start-reads';

const OPEN_BATCH = 1000;

export interface QueueBinding {
  queue: string;
  /** Producer-side handle used to remove, park and promote jobs no worker holds. */
  actions: Queue;
}

export interface WatcherOptions {
  databaseUrl?: string;
  listenUrl?: string;
  pollMs?: number;
}

/**
 * One per process, shared by every `createSignalWorker`. It reads the open
 * signals of the queues the process serves (on every notification, and by a poll
 * that heals what a notification missed) and routes each: to the running job that
 * holds it (HeldJobs), or, for a job nobody holds, to actOnQueuedJobs.
 */
export class SignalWatcher {
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly handle: DbHandle;
  readonly held = new HeldJobs();
  readonly startReads: StartReads;
  private readonly listen: ListenConnection;
  private readonly heartbeats: Heartbeats;
  private readonly bindings = new Map<string, Set<QueueBinding>>();
  private readonly pollMs: number;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private refreshing: Promise<void> | undefined;
  private again = false;
  /** Acting on jobs nobody holds, per queue: at most one run each, beside the refresh. */
  private readonly queuedRuns = new Map<string, Promise<void>>();
  private readAfterQueuedRuns = false;
  private closed = false;
  /** Counters a benchmark or an operator can read. */
  readonly stats = { notifications: 0, refreshes: 0, listenConnects: 0 };

  constructor(opts: WatcherOptions = {}) {
    this.pollMs = opts.pollMs ?? pollIntervalMs();
    // Worker-side writes (delivered, completed, superseded) commit without waiting for
    // the WAL flush: a PostgreSQL crash may forget the last few, and the poll then finds
    // those signals open again and records them from the job's state (cancelled,
    // parked, gone). Requests themselves are written by the caller's own connection.
    const url = opts.databaseUrl ?? databaseUrl();
    // A DATABASE_LISTEN_URL of its own means DATABASE_URL goes through pgbouncer, which
    // refuses a synchronous_commit startup parameter: there the writes stay synchronous.
    const pooled = databaseIsPooled() || (opts.listenUrl !== undefined && opts.listenUrl !== url);
    this.handle = openDb(url, {
      max: 4,
      connection: {
        ...(pooled ? {} : { synchronous_commit: 'off' }),
        application_name: 'signal-desk-worker',
      },
    });
    this.startReads = new StartReads(this.handle.db);
    this.heartbeats = new Heartbeats(this.db, this.workerId, () => this.queues, this.log);
    this.listen = new ListenConnection({
      url: opts.listenUrl ?? opts.databaseUrl ?? databaseListenUrl(),
      channels: [SIGNAL_CHANNEL],
      applicationName: 'signal-desk-listen',
      onNotify: () => {
        this.stats.notifications++;
        this.refresh();
      },
      // Whatever came while we were not listening is read now.
      onListen: () => {
        this.stats.listenConnects++;
        this.refresh();
      },
      onError: (err) => this.log('LISTEN failed; retrying', err),
    });
  }

  get db() {
    return this.handle.db;
  }

  get queues(): string[] {
    return [...this.bindings.keys()];
  }

  get isListening(): boolean {
    return this.listen.listening;
  }

  register(binding: QueueBinding): void {
    const set = this.bindings.get(binding.queue) ?? new Set<QueueBinding>();
    set.add(binding);
    this.bindings.set(binding.queue, set);
    if (!this.pollTimer) this.start();
    else {
      this.heartbeats.beat();
      this.refresh();
    }
  }

  /** Returns true when no binding is left (the watcher may be closed). */
  unregister(binding: QueueBinding): boolean {
    const set = this.bindings.get(binding.queue);
    set?.delete(binding);
    if (set && set.size === 0) this.bindings.delete(binding.queue);
    return this.bindings.size === 0;
  }

  hold(run: JobRun): void {
    this.held.hold(run);
  }

  release(run: JobRun): void {
    this.held.release(run);
  }

  /** Shutdown: every running job hands itself back to its queue at its next checkpoint. */
  drain(): void {
    this.held.drain();
  }

  private start(): void {
    this.listen.start();
    this.pollTimer = setInterval(() => this.refresh(), this.pollMs);
    this.pollTimer.unref();
    this.heartbeats.start();
    this.refresh();
  }

  /** Reads the open signals again (coalesced: at most one read in flight, one queued). */
  refresh(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.again = false;
          this.stats.refreshes++;
          const full = await this.refreshOnce();
          // The next page, once the rows of this one are acted on.
          if (full) {
            if (this.queuedRuns.size === 0) this.again = true;
            else this.readAfterQueuedRuns = true;
          }
        } while (this.again && !this.closed);
      } catch (err) {
        this.log('reading open signals failed; the next poll tries again', err);
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private async refreshOnce(): Promise<boolean> {
    const queues = this.queues;
    if (queues.length === 0) return false;
    const rows = await openSignals(this.db, queues, OPEN_BATCH);
    const take: number[] = [];
    const stale: number[] = [];
    const queued = new Map<string, JobSignal[]>();
    for (const s of rows) {
      const run = this.held.get(s.queue, s.jobId);
      if (run) {
        const got = run.receive(s);
        if (got === 'stale') stale.push(s.id);
        else if (got !== 'ignored' && (s.status === 'pending' || s.workerId !== this.workerId))
          take.push(s.id);
        continue;
      }
      const list = queued.get(s.queue) ?? [];
      list.push(s);
      queued.set(s.queue, list);
    }
    await Promise.all([
      claimSignals(this.db, take, this.workerId, { holder: true }),
      supersedeSignals(this.db, stale, this.workerId, {
        reason: 'signal is older than the job (job id reused)',
      }),
    ]);
    for (const [queue, list] of queued) this.actOnQueued(queue, list, rows);
    return rows.length === OPEN_BATCH;
  }

  /**
   * Acting on queued and paused jobs needs Redis, so it runs beside the refresh (one run
   * per queue at a time): a Redis outage never holds up the signals of running jobs,
   * which need only PostgreSQL. Signals read while a run is in flight are read again
   * when it ends.
   */
  private actOnQueued(queue: string, list: JobSignal[], all: JobSignal[]): void {
    if (this.queuedRuns.has(queue)) {
      this.readAfterQueuedRuns = true;
      return;
    }
    const binding = this.bindings.get(queue)?.values().next().value;
    if (!binding) return;
    const run = actOnQueuedJobs(this, binding.actions, list, all)
      .catch((err) => this.log(`acting on signals of queue ${queue} failed`, err))
      .finally(() => {
        this.queuedRuns.delete(queue);
        if (this.readAfterQueuedRuns) {
          this.readAfterQueuedRuns = false;
          this.refresh();
        }
      });
    this.queuedRuns.set(queue, run);
  }

  readonly log = (message: string, err?: unknown): void => {
    if (this.closed) return;
    console.error(
      `[signal-desk ${this.workerId}] ${message}${err ? `: ${err instanceof Error ? err.message : String(err)}` : ''}`,
    );
  };

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    this.heartbeats.stop();
    await this.refreshing?.catch(() => {});
    await Promise.allSettled(this.queuedRuns.values());
    await Promise.allSettled([this.listen.close(), this.handle.sql.end({ timeout: 2 })]);
  }
}

let shared: SignalWatcher | undefined;

/** The process's watcher; the first caller's options configure it. */
export function getSignalWatcher(opts: WatcherOptions = {}): SignalWatcher {
  shared ??= new SignalWatcher(opts);
  return shared;
}

/** Closes the shared watcher when its last worker unregisters. */
export async function releaseSignalWatcher(watcher: SignalWatcher): Promise<void> {
  if (shared === watcher && watcher.queues.length === 0) {
    shared = undefined;
    await watcher.close();
  }
}
