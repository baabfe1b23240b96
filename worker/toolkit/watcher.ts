import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Queue } from 'bullmq';
import { type DbHandle, openDb } from '../../db/client';
import { databaseIsPooled, databaseListenUrl, databaseUrl } from '../../db/config';
import { ListenConnection } from '../../db/listen';
import type { JobSignal } from '../../db/schema';
import { SIGNAL_CHANNEL } from '../../db/vocabulary';
import { openSignalsAfter } from '../../db/worker-signals';
import { pollIntervalMs } from '../config';
import { Heartbeats } from './heartbeats';
import { HeldJobs } from './held-jobs';
import type { JobRun } from './job-run';
import { actOnQueuedJobs } from './queued-jobs';
import { RetryBook } from './retry-book';
import { SignalIndex } from './signal-index';
import { parseHint, type ReadPlan, readPlan } from './watcher-plan';

/** Rows per read; a full read pages through every open signal of the served queues. */
const PAGE = 1000;
/** A full read stops here (the rest waits for the signals before it to close). */
const FULL_READ_MAX = 50_000;

export interface QueueBinding {
  queue: string;
  /** Producer-side handle used to remove, park and promote jobs no worker holds. */
  actions: Queue;
}

export interface WatcherOptions {
  databaseUrl?: string;
  listenUrl?: string;
  pollMs?: number;
  /**
   * What a notification makes this process read: only what changed since its last
   * read, for its own queues (`changes`, the default), or every open signal of its
   * queues whatever the notification names (`all`: the old way, kept as the
   * benchmarks' baseline).
   */
  notifyRead?: 'changes' | 'all';
}

type Read = ReadPlan;

/**
 * One per process, shared by every `createSignalWorker`: keeps the SignalIndex of
 * the open signals of the queues the process serves, and routes what is new to
 * the running job that holds it (HeldJobs) or, for a job nobody holds, to
 * actOnQueuedJobs.
 *
 * - Loaded by a full read at the start, after every LISTEN reconnect, and by the
 *   poll (every pollMs), which heals anything a notification missed.
 * - On a notification that names one of its queues, it reads only the open signals
 *   past the last id it read (or past the id the notification names, if lower); a
 *   notification for other queues costs it nothing.
 * - Reads run one at a time; a full read absorbs the reads of changes queued behind it.
 */
export class SignalWatcher {
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly handle: DbHandle;
  readonly held = new HeldJobs();
  readonly index = new SignalIndex();
  readonly retries = new RetryBook();
  private readonly listen: ListenConnection;
  private readonly heartbeats: Heartbeats;
  private readonly bindings = new Map<string, Set<QueueBinding>>();
  private readonly pollMs: number;
  private readonly notifyRead: 'changes' | 'all';
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryMs = 250;
  private reading: Promise<void> | undefined;
  private queuedRead: Read | undefined;
  /** The index holds what PostgreSQL held at the last read, and no read failed since. */
  private trusted = false;
  private readyWaiters: (() => void)[] = [];
  /** Acting on jobs nobody holds, per queue: at most one run each, beside the reads. */
  private readonly queuedRuns = new Map<string, Promise<void>>();
  private readonly queuedAgain = new Set<string>();
  /**
   * Signals whose job another process was running at the last look: its holder acts
   * on them, and this process learns they closed only at its next full read. Until
   * then they are not looked at again, so each new signal of a busy queue costs the
   * processes that do not hold its job one small look, not one per recent signal.
   */
  private readonly leftToHolders = new Set<number>();
  private closed = false;
  /** Counters a benchmark or an operator can read. */
  readonly stats = {
    notifications: 0,
    /** Notifications that named none of this process's queues: no read. */
    ignored: 0,
    refreshes: 0,
    fullReads: 0,
    changeReads: 0,
    /** SQL statements the reads sent. */
    readStatements: 0,
    listenConnects: 0,
  };

  constructor(opts: WatcherOptions = {}) {
    this.pollMs = opts.pollMs ?? pollIntervalMs();
    this.notifyRead = opts.notifyRead ?? 'changes';
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
    this.heartbeats = new Heartbeats(this.db, this.workerId, () => this.queues, this.log);
    this.listen = new ListenConnection({
      url: opts.listenUrl ?? opts.databaseUrl ?? databaseListenUrl(),
      channels: [SIGNAL_CHANNEL],
      applicationName: 'signal-desk-listen',
      onNotify: (_channel, payload) => this.notified(payload),
      // Whatever came while we were not listening is read now.
      onListen: () => {
        this.stats.listenConnects++;
        this.request({ kind: 'full' });
      },
      onDown: () => this.distrust(),
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

  /** The index holds what PostgreSQL held at the last read, and no read failed since. */
  get isTrusted(): boolean {
    return this.trusted;
  }

  /** A read of the open signals is in flight or queued. */
  get busy(): boolean {
    return this.reading !== undefined || this.queuedRead !== undefined;
  }

  register(binding: QueueBinding): void {
    const set = this.bindings.get(binding.queue) ?? new Set<QueueBinding>();
    set.add(binding);
    this.bindings.set(binding.queue, set);
    if (!this.pollTimer) this.start();
    else {
      this.heartbeats.beat();
      this.request({ kind: 'full' });
    }
  }

  /** Returns true when no binding is left (the watcher may be closed). */
  unregister(binding: QueueBinding): boolean {
    const set = this.bindings.get(binding.queue);
    set?.delete(binding);
    if (set && set.size === 0) {
      this.bindings.delete(binding.queue);
      this.index.forgetQueue(binding.queue);
    }
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

  /**
   * Resolves when the index can be trusted: PostgreSQL answered the last read. A
   * job starts only then, so it never starts without its signals; while
   * PostgreSQL is away, starting jobs wait (running ones checkpoint on).
   */
  ready(what: string): Promise<void> {
    if (this.trusted) return Promise.resolve();
    // The first read at start takes milliseconds: only a real wait is worth a line.
    const say = setTimeout(() => this.log(`${what} waits for PostgreSQL to start`), 500);
    return new Promise((resolve) =>
      this.readyWaiters.push(() => {
        clearTimeout(say);
        resolve();
      }),
    );
  }

  private start(): void {
    this.listen.start();
    this.pollTimer = setInterval(() => this.request({ kind: 'full' }), this.pollMs);
    this.pollTimer.unref();
    this.heartbeats.start();
    this.request({ kind: 'full' });
  }

  private notified(payload: string): void {
    this.stats.notifications++;
    if (this.notifyRead === 'all') {
      this.request({ kind: 'full' });
      return;
    }
    const plan = readPlan(parseHint(payload), new Set(this.bindings.keys()), this.index.highWater);
    if (!plan) this.stats.ignored++;
    else this.request(plan);
  }

  /**
   * The index may be behind PostgreSQL (LISTEN dropped, or a job's claim failed):
   * jobs that start wait until a full read succeeds again.
   */
  distrust(err?: unknown): void {
    if (err && this.trusted)
      this.log('a query failed; reading the open signals again before jobs start', err);
    this.trusted = false;
    this.request({ kind: 'full' });
  }

  /** Queues a read; reads run one at a time, and what waits is merged (a full read wins). */
  private request(read: Read): void {
    if (this.closed) return;
    const q = this.queuedRead;
    if (!q || read.kind === 'full') this.queuedRead = q?.kind === 'full' ? q : read;
    else if (q.kind === 'changes' && read.kind === 'changes')
      this.queuedRead = { kind: 'changes', from: Math.min(q.from, read.from) };
    this.reading ??= this.readLoop();
  }

  private async readLoop(): Promise<void> {
    try {
      while (this.queuedRead && !this.closed) {
        const read = this.queuedRead;
        this.queuedRead = undefined;
        this.stats.refreshes++;
        try {
          const news =
            read.kind === 'full' ? await this.readAll() : await this.readChanges(read.from);
          this.trust();
          this.dispatch(news, read.kind === 'full');
        } catch (err) {
          this.readFailed(err);
        }
      }
    } finally {
      this.reading = undefined;
    }
  }

  private async readAll(): Promise<JobSignal[]> {
    const queues = this.queues;
    if (queues.length === 0) return [];
    this.stats.fullReads++;
    const rows: JobSignal[] = [];
    for (let after = 0; rows.length < FULL_READ_MAX; ) {
      const page = await openSignalsAfter(this.db, queues, after, PAGE);
      this.stats.readStatements++;
      rows.push(...page);
      if (page.length < PAGE) break;
      after = (page.at(-1) as JobSignal).id;
    }
    return this.index.replace(new Set(queues), rows);
  }

  private async readChanges(from: number): Promise<JobSignal[]> {
    const queues = this.queues;
    if (queues.length === 0) return [];
    this.stats.changeReads++;
    for (let after = from - 1; ; ) {
      const page = await openSignalsAfter(this.db, queues, after, PAGE);
      this.stats.readStatements++;
      const news = page.filter((s) => this.index.put(s));
      // Each page is acted on as it comes (a bulk request of 10,000 starts on its
      // first thousand while the rest are read).
      if (page.length < PAGE) return news;
      this.dispatch(news, false);
      after = (page.at(-1) as JobSignal).id;
    }
  }

  private trust(): void {
    this.retryMs = 250;
    if (this.trusted) return;
    this.trusted = true;
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  private readFailed(err: unknown): void {
    this.log('reading open signals failed; trying again', err);
    // Whatever the cause, the index may now miss a signal: starting jobs wait.
    this.trusted = false;
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.request({ kind: 'full' });
    }, this.retryMs);
    this.retryTimer.unref?.();
    this.retryMs = Math.min(this.retryMs * 2, 5000);
  }

  /**
   * Routes what a read found: to the running job that holds it (which takes it on
   * and, for a cancel, aborts at once), else to actOnQueuedJobs. After a full read,
   * every signal of a job nobody holds is looked at again (a waiting job's pause
   * waits for its start; an action Redis refused is retried when due).
   */
  private dispatch(news: JobSignal[], full: boolean): void {
    const queues = new Set<string>();
    const woken = new Set<JobRun>();
    const holderOf = this.held.finder();
    for (const s of news) {
      // Back to pending (handed back by its holder): worth a look again.
      this.leftToHolders.delete(s.id);
      const run = holderOf(s.queue, s.jobId);
      if (run) woken.add(run);
      else queues.add(s.queue);
    }
    if (full) {
      this.leftToHolders.clear();
      for (const run of this.held.all()) if (this.index.hasJob(run.key)) woken.add(run);
      for (const q of this.index.queues()) queues.add(q);
    }
    for (const run of woken) run.wake();
    for (const q of queues) this.actOnQueued(q);
  }

  /**
   * Acting on queued and paused jobs needs Redis, so it runs beside the reads (one run
   * per queue at a time): a Redis outage never holds up the signals of running jobs,
   * which need only PostgreSQL. What arrives while a run is in flight is looked at
   * when it ends.
   */
  private actOnQueued(queue: string): void {
    if (this.queuedRuns.has(queue)) {
      this.queuedAgain.add(queue);
      return;
    }
    const binding = this.bindings.get(queue)?.values().next().value;
    if (!binding) return;
    const all = this.index.ofQueue(queue);
    const holderOf = this.held.finder();
    const unheld = all.filter((s) => !holderOf(s.queue, s.jobId) && !this.leftToHolders.has(s.id));
    if (unheld.length === 0) return;
    const run = actOnQueuedJobs(this, binding.actions, unheld, all)
      // What was recorded is closed: the next look at this queue need not read it again.
      .then(({ settled, running }) => {
        for (const id of settled) this.index.drop(id);
        for (const id of running) this.leftToHolders.add(id);
      })
      .catch((err) => this.log(`acting on signals of queue ${queue} failed`, err))
      .finally(() => {
        this.queuedRuns.delete(queue);
        if (this.queuedAgain.delete(queue)) this.actOnQueued(queue);
      });
    this.queuedRuns.set(queue, run);
  }

  readonly log = (message: string, err?: unknown): void => {
    if (this.closed) return;
    console.error(`[signal-desk ${this.workerId}] ${message}${err ? `: ${describe(err)}` : ''}`);
  };

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.retryTimer);
    this.heartbeats.stop();
    await this.reading?.catch(() => {});
    await Promise.allSettled(this.queuedRuns.values());
    await Promise.allSettled([this.listen.close(), this.handle.sql.end({ timeout: 2 })]);
  }
}

/** An error in one line: Drizzle's "Failed query: …" says little; its cause says why. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  const head = err.message.split('\n')[0] ?? err.message;
  return cause ? `${cause} (${head.slice(0, 80)}…)` : head;
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
