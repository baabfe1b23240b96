import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Queue } from 'bullmq';
import postgres from 'postgres';
import { type DbHandle, openDb } from '../../db/client';
import { databaseIsPooled, databaseListenUrl, databaseUrl } from '../../db/config';
import type { JobSignal } from '../../db/schema';
import {
  heartbeat,
  openSignals,
  openSignalsForJobKeys,
  SIGNAL_CHANNEL,
  supersedeSignals,
  takeOver,
} from '../../db/signals';
import { pollIntervalMs } from '../config';
import { type JobRun, jobKey } from './job-run';
import { actOnUnheld } from './unheld';

const OPEN_BATCH = 1000;
const HEARTBEAT_MS = 10_000;

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
 * One per process, shared by every `createSignalWorker`: one LISTEN connection
 * that reconnects by itself, one poll for the signals that came without a
 * notification, and the map of jobs this process holds.
 */
export class SignalWatcher {
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly handle: DbHandle;
  private readonly listenSql: postgres.Sql;
  private readonly bindings = new Map<string, Set<QueueBinding>>();
  private readonly held = new Map<string, JobRun>();
  private readonly pollMs: number;
  private pollTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private listening = false;
  private listenRetry: NodeJS.Timeout | undefined;
  private listenBackoff = 250;
  private refreshing: Promise<void> | undefined;
  private again = false;
  /** Acting on jobs nobody holds, per queue: at most one run each, beside the refresh. */
  private readonly unheldRuns = new Map<string, Promise<void>>();
  private readAfterUnheld = false;
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
    this.listenSql = postgres(opts.listenUrl ?? opts.databaseUrl ?? databaseListenUrl(), {
      max: 1,
      idle_timeout: 0,
      max_lifetime: null,
      connect_timeout: 5,
      connection: { application_name: 'signal-desk-listen' },
      onnotice: () => {},
      // postgres.js passes these through to the connection; they are not in its public types.
      ...({
        onnotify: () => {
          this.stats.notifications++;
          this.refresh();
        },
        onclose: () => {
          this.listening = false;
          this.scheduleListen();
        },
      } as object),
    });
  }

  get db() {
    return this.handle.db;
  }

  get queues(): string[] {
    return [...this.bindings.keys()];
  }

  get isListening(): boolean {
    return this.listening;
  }

  register(binding: QueueBinding): void {
    const set = this.bindings.get(binding.queue) ?? new Set<QueueBinding>();
    set.add(binding);
    this.bindings.set(binding.queue, set);
    if (!this.pollTimer) this.start();
    else {
      this.beat();
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
    if (this.draining) run.drain();
    this.held.set(run.key, run);
  }

  private draining = false;
  private startReads: {
    queue: string;
    jobId: string;
    resolve: (rows: JobSignal[]) => void;
    reject: (err: unknown) => void;
  }[] = [];
  private startReading = false;

  /**
   * The open signals of a job about to start. Jobs that start together (a worker
   * with concurrency 16 refilling its slots) share one query: while one read is in
   * flight the next starts queue up, and go together when it returns.
   */
  readOpenAtStart(queue: string, jobId: string): Promise<JobSignal[]> {
    return new Promise((resolve, reject) => {
      this.startReads.push({ queue, jobId, resolve, reject });
      if (!this.startReading) setImmediate(() => this.flushStartReads());
      this.startReading = true;
    });
  }

  private async flushStartReads(): Promise<void> {
    const batch = this.startReads.splice(0, 500);
    if (batch.length === 0) {
      this.startReading = false;
      return;
    }
    try {
      const rows = await openSignalsForJobKeys(this.db, batch);
      for (const b of batch)
        b.resolve(rows.filter((r) => r.queue === b.queue && r.jobId === b.jobId));
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
    this.flushStartReads();
  }

  /** Shutdown: every running job hands itself back to its queue at its next checkpoint. */
  drain(): void {
    this.draining = true;
    for (const run of this.held.values()) run.drain();
  }

  release(run: JobRun): void {
    if (this.held.get(run.key) === run) this.held.delete(run.key);
  }

  private start(): void {
    this.ensureListening();
    this.pollTimer = setInterval(() => this.refresh(), this.pollMs);
    this.pollTimer.unref();
    this.heartbeatTimer = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeatTimer.unref();
    this.beat();
    this.refresh();
  }

  private beat(): void {
    heartbeat(
      this.db,
      { workerId: this.workerId, hostname: hostname(), pid: process.pid },
      this.queues,
    ).catch((err) => this.log('heartbeat failed', err));
  }

  private scheduleListen(): void {
    if (this.closed || this.listenRetry) return;
    this.listenRetry = setTimeout(() => {
      this.listenRetry = undefined;
      this.ensureListening();
    }, this.listenBackoff);
    this.listenRetry.unref();
    this.listenBackoff = Math.min(this.listenBackoff * 2, 5000);
  }

  private ensureListening(): void {
    if (this.closed || this.listening) return;
    this.listenSql`listen ${this.listenSql(SIGNAL_CHANNEL)}`.then(
      () => {
        this.listening = true;
        this.listenBackoff = 250;
        this.stats.listenConnects++;
        // Whatever came while we were not listening is read now.
        this.refresh();
      },
      (err) => {
        this.log('LISTEN failed; retrying', err);
        this.scheduleListen();
      },
    );
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
            if (this.unheldRuns.size === 0) this.again = true;
            else this.readAfterUnheld = true;
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
    const unheld = new Map<string, JobSignal[]>();
    for (const s of rows) {
      const run = this.held.get(jobKey(s.queue, s.jobId));
      if (run) {
        const got = run.receive(s);
        if (got === 'stale') stale.push(s.id);
        else if (got !== 'ignored' && (s.status === 'pending' || s.workerId !== this.workerId))
          take.push(s.id);
        continue;
      }
      const list = unheld.get(s.queue) ?? [];
      list.push(s);
      unheld.set(s.queue, list);
    }
    await Promise.all([
      takeOver(this.db, take, this.workerId),
      supersedeSignals(this.db, stale, this.workerId, {
        reason: 'signal is older than the job (job id reused)',
      }),
    ]);
    for (const [queue, list] of unheld) this.startUnheld(queue, list, rows);
    return rows.length === OPEN_BATCH;
  }

  /**
   * Acting on queued and paused jobs needs Redis, so it runs beside the refresh (one run
   * per queue at a time): a Redis outage never holds up the signals of running jobs,
   * which need only PostgreSQL. Signals read while a run is in flight are read again
   * when it ends.
   */
  private startUnheld(queue: string, list: JobSignal[], all: JobSignal[]): void {
    if (this.unheldRuns.has(queue)) {
      this.readAfterUnheld = true;
      return;
    }
    const binding = this.bindings.get(queue)?.values().next().value;
    if (!binding) return;
    const run = actOnUnheld(this, binding.actions, list, all)
      .catch((err) => this.log(`acting on signals of queue ${queue} failed`, err))
      .finally(() => {
        this.unheldRuns.delete(queue);
        if (this.readAfterUnheld) {
          this.readAfterUnheld = false;
          this.refresh();
        }
      });
    this.unheldRuns.set(queue, run);
  }

  log(message: string, err?: unknown): void {
    if (this.closed) return;
    console.error(
      `[signal-desk ${this.workerId}] ${message}${err ? `: ${err instanceof Error ? err.message : String(err)}` : ''}`,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.listenRetry);
    await this.refreshing?.catch(() => {});
    await Promise.allSettled(this.unheldRuns.values());
    await Promise.allSettled([
      this.listenSql.end({ timeout: 2 }),
      this.handle.sql.end({ timeout: 2 }),
    ]);
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
