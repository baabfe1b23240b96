/**
 * A worker process of the benchmarks, started by children.ts as
 * `node --import tsx test/bench/worker-child.ts '<ChildOptions as JSON>'`.
 * It reports when each job starts and stops, with its own wall clock.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DelayedError, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { openDb } from '../../db/client';
import { bullPrefix, workerConnection } from '../../worker/config';
import {
  createSignalWorker,
  getSignalWatcher,
  JobCancelledError,
  SignalWatcher,
} from '../../worker/toolkit';
import type {
  ChildMessage,
  ChildOptions,
  ChildStats,
  ParentMessage,
  StopKind,
} from './child-protocol';
import { completeFoundSignal, selectOpenSignal } from './select-pattern';
import { nowMs, sleep } from './stats';

const opts = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
let stopping = false;

const send = (m: ChildMessage) => process.send?.(m);
// The runner is gone (finished, crashed or interrupted): so are we.
process.on('disconnect', () => process.exit(0));

const kindOf = (err: unknown): StopKind =>
  err instanceof JobCancelledError ? 'cancel' : err instanceof DelayedError ? 'pause' : 'error';

function signalWorker(): Worker {
  const cleanups = new Map<string, number>();
  return createSignalWorker(
    opts.queue,
    async (job, ctx) => {
      const id = String(job.id);
      let abortedAt: number | undefined;
      ctx.abortSignal.addEventListener('abort', () => {
        abortedAt = nowMs();
      });
      send({ t: 'started', id, at: nowMs() });
      try {
        while (!stopping) {
          await ctx.checkpoint();
          await sleep(1);
        }
      } catch (err) {
        const at = nowMs();
        send({ t: 'stopped', id, at, how: kindOf(err), abortedAt, cleanupAt: cleanups.get(id) });
        cleanups.delete(id);
        throw err;
      }
    },
    {
      concurrency: opts.concurrency,
      autorun: opts.mode !== 'idle',
      databaseUrl: opts.databaseUrl,
      pollMs: opts.pollMs,
      onCancel: (job) => void cleanups.set(String(job.id), nowMs()),
    },
  );
}

function selectWorker(): Worker {
  const { db } = openDb(opts.databaseUrl, { max: 10 });
  const processor = async (job: Job) => {
    const id = String(job.id);
    send({ t: 'started', id, at: nowMs() });
    while (!stopping) {
      const found = await selectOpenSignal(db, opts.queue, id);
      if (found) {
        await completeFoundSignal(db, found.id);
        send({ t: 'stopped', id, at: nowMs(), how: 'cancel' });
        throw new UnrecoverableError('cancelled');
      }
      await sleep(1);
    }
  };
  const worker = new Worker(opts.queue, processor, {
    connection: workerConnection(),
    prefix: bullPrefix(),
    concurrency: opts.concurrency,
  });
  worker.on('error', (err) => console.error(`bench select worker: ${err.message}`));
  return worker;
}

/** `watchers` mode: bare watchers, one per queue, sharing one Redis connection. */
const fleet: SignalWatcher[] = [];

async function startWatchers(): Promise<{ close(): Promise<void> }> {
  const connection = workerConnection();
  const queues: Queue[] = [];
  for (const queue of opts.watcherQueues ?? []) {
    const w = new SignalWatcher({
      databaseUrl: opts.databaseUrl,
      pollMs: opts.pollMs,
      notifyRead: opts.notifyRead,
    });
    const actions = new Queue(queue, { connection, prefix: bullPrefix() });
    actions.on('error', () => {});
    queues.push(actions);
    w.register({ queue, actions });
    fleet.push(w);
  }
  const until = Date.now() + 170_000;
  while (!fleet.every((w) => w.isListening && !w.busy)) {
    if (Date.now() > until) throw new Error('the watchers did not start listening');
    await sleep(20);
  }
  return {
    async close() {
      await Promise.all(fleet.map((w) => w.close()));
      await Promise.all(queues.map((q) => q.close()));
      connection.disconnect();
    },
  };
}

const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
let cpuFrom = process.cpuUsage();
let counted = { notifications: 0, refreshes: 0, readStatements: 0 };

/** This process's watcher counters (all its watchers together). */
function watcherStats() {
  if (opts.mode === 'select') return counted;
  const all = opts.mode === 'watchers' ? fleet.map((w) => w.stats) : [getSignalWatcher().stats];
  return all.reduce(
    (a, s) => ({
      notifications: a.notifications + s.notifications,
      refreshes: a.refreshes + s.refreshes,
      readStatements: a.readStatements + s.readStatements,
    }),
    { notifications: 0, refreshes: 0, readStatements: 0 },
  );
}

/** Counters since the last call. */
function takeStats(): ChildStats {
  // Only signal workers have a watcher; asking a select worker would create one.
  const w = watcherStats();
  const cpu = process.cpuUsage(cpuFrom);
  const out: ChildStats = {
    notifications: w.notifications - counted.notifications,
    refreshes: w.refreshes - counted.refreshes,
    readStatements: w.readStatements - counted.readStatements,
    cpuMs: (cpu.user + cpu.system) / 1000,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    loopDelayMaxMs: loop.max / 1e6,
  };
  counted = w;
  cpuFrom = process.cpuUsage();
  loop.reset();
  return out;
}

async function main(): Promise<void> {
  if (opts.mode === 'watchers') {
    const watchers = await startWatchers();
    process.on('message', (m: ParentMessage) => {
      if (m.t === 'clock') send({ t: 'clock', at: nowMs() });
      else if (m.t === 'stats') send({ t: 'stats', ...takeStats() });
      else if (m.t === 'close') watchers.close().finally(() => process.exit(0));
    });
    send({ t: 'ready', pid: process.pid });
    return;
  }
  // The first caller configures the process's watcher.
  if (opts.mode !== 'select')
    getSignalWatcher({
      databaseUrl: opts.databaseUrl,
      pollMs: opts.pollMs,
      notifyRead: opts.notifyRead,
    });
  const worker = opts.mode === 'select' ? selectWorker() : signalWorker();
  await worker.waitUntilReady();
  if (opts.mode !== 'select') {
    const watcher = getSignalWatcher();
    const until = Date.now() + 10_000;
    while (!watcher.isListening) {
      if (Date.now() > until) throw new Error('the signal watcher did not start listening');
      await sleep(5);
    }
  }
  process.on('message', (m: ParentMessage) => {
    if (m.t === 'clock') send({ t: 'clock', at: nowMs() });
    else if (m.t === 'stats') send({ t: 'stats', ...takeStats() });
    else if (m.t === 'close') {
      stopping = true;
      worker.close().finally(() => process.exit(0));
    }
  });
  send({ t: 'ready', pid: process.pid });
}

main().catch((err: unknown) => {
  send({ t: 'fatal', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
