import { type Job, Queue, Worker } from 'bullmq';
import { bullPrefix, workerConnection } from '../config';
import { JobRun, RESOLVED } from './job-run';
import type { SignalProcessor, SignalWorkerOptions } from './types';
import { getSignalWatcher, releaseSignalWatcher } from './watcher';

export { JobCancelledError } from './errors';
export type { CancelInfo, SignalContext, SignalProcessor, SignalWorkerOptions } from './types';
export { getSignalWatcher, SignalWatcher } from './watcher';

/**
 * A BullMQ `Worker` whose jobs obey Signal Desk signals. The processor gets a
 * `ctx` with `checkpoint(state)`, `abortSignal` and `resumeState`; options are
 * BullMQ's worker options plus `onCancel`. Connections default to DATABASE_URL
 * and REDIS_URL; every worker of a process shares one signal watcher.
 *
 * @example
 * const worker = createSignalWorker('reports', async (job, ctx) => {
 *   let page = ctx.resumeState?.page ?? 0;
 *   for (; page < job.data.pages; page++) {
 *     await ctx.checkpoint({ page });
 *     await renderPage(page, { signal: ctx.abortSignal });
 *   }
 * }, { onCancel: async (job) => removePartialFiles(job.id) });
 */
export function createSignalWorker<Data = any, Result = any, State = any>(
  queue: string,
  processor: SignalProcessor<Data, Result, State>,
  options: SignalWorkerOptions<Data, State> = {},
): Worker<Data, Result> {
  const { onCancel, databaseUrl, pollMs, ...bullOptions } = options;
  const watcher = getSignalWatcher({ databaseUrl, pollMs });
  const ownConnection = bullOptions.connection ? undefined : workerConnection();
  const connection = bullOptions.connection ?? (ownConnection as NonNullable<typeof ownConnection>);
  const prefix = bullOptions.prefix ?? bullPrefix();

  const env = {
    db: watcher.db,
    workerId: watcher.workerId,
    onCancel: onCancel as
      | ((job: Job, info: import('./types').CancelInfo) => Promise<void> | void)
      | undefined,
    log: (message: string, err?: unknown) => watcher.log(message, err),
    index: watcher.index,
    ready: (what: string) => watcher.ready(what),
    trusted: () => watcher.isTrusted,
    unreachable: (err: unknown) => watcher.distrust(err),
  };

  // Two declared parameters: the AbortSignal is the toolkit's own, made only when the
  // processor reads `ctx.abortSignal` (BullMQ would make one for every job); the
  // worker's cancelJob and cancelAllJobs below fire it as BullMQ's would.
  // Written with plain promise callbacks rather than async/await: this wraps every
  // job, and a job with nothing open should cost the toolkit a few map operations.
  const run = (job: Job<Data, Result>, token?: string): Promise<Result> => {
    const jobRun = new JobRun(env, job, token ?? '');
    watcher.hold(jobRun);
    const begun = jobRun.begin();
    if (begun === RESOLVED) return runProcessor(jobRun, job);
    return begun.then(
      () => runProcessor(jobRun, job),
      (err) => {
        watcher.release(jobRun);
        throw err;
      },
    );
  };

  /** Runs the processor, acts on how it ended, and releases the job (on every path). */
  const runProcessor = (jobRun: JobRun, job: Job<Data, Result>): Promise<Result> => {
    let out: Promise<Result>;
    try {
      out = Promise.resolve(processor(job, jobRun.ctx as import('./types').SignalContext<State>));
    } catch (err) {
      out = Promise.reject(err);
    }
    return out.then(
      (result) => {
        // A processor that swallowed our stop must not complete the job.
        if (jobRun.stopped) {
          watcher.release(jobRun);
          throw jobRun.stopped;
        }
        const ended = jobRun.processorReturned();
        if (ended === RESOLVED) {
          watcher.release(jobRun);
          return result;
        }
        return ended.then(
          () => {
            watcher.release(jobRun);
            return result;
          },
          (e) => {
            watcher.release(jobRun);
            env.log('superseding signals failed', e);
            return result;
          },
        );
      },
      (err) => processorThrew(jobRun, err).finally(() => watcher.release(jobRun)),
    );
  };

  const processorThrew = async (jobRun: JobRun, err: unknown): Promise<never> => {
    if (jobRun.stopped) throw jobRun.stopped;
    // Aborted I/O that rejected before any checkpoint: still a cancel, never a retry.
    if (jobRun.hasCancel) await jobRun.act(undefined, 'abort');
    await jobRun.processorFailed().catch((e) => env.log('handing signals back failed', e));
    throw err;
  };

  // Named after the watcher, so BullMQ records which process ran a job (processedBy).
  const worker = new Worker<Data, Result>(queue, run, {
    name: watcher.workerId,
    ...bullOptions,
    connection,
    prefix,
  });
  // An 'error' event without a listener would crash the process; log it instead.
  worker.on('error', (err) => env.log(`worker error on queue ${queue}`, err));
  const actions = new Queue(queue, { connection, prefix });
  actions.on('error', (err) => env.log(`queue error on ${queue}`, err));
  const binding = { queue, actions };
  watcher.register(binding);

  // BullMQ's own cancellation, for code that calls it directly, reaches ctx.abortSignal.
  worker.cancelJob = (jobId: string, reason?: string) => {
    const held = watcher.held.get(queue, jobId);
    held?.abort(reason ?? 'cancelled');
    return held !== undefined;
  };
  worker.cancelAllJobs = (reason?: string) => {
    for (const held of watcher.held.all())
      if (held.job.queueName === queue) held.abort(reason ?? 'cancelled');
  };

  const close = worker.close.bind(worker);
  let closing: Promise<void> | undefined;
  worker.close = (force?: boolean) => {
    closing ??= (async () => {
      await close(force);
      await actions.close();
      if (watcher.unregister(binding)) await releaseSignalWatcher(watcher);
      ownConnection?.disconnect();
    })();
    return closing;
  };
  return worker;
}

/** A second stop signal this soon after the first, of the other kind, is the same stop. */
const SAME_STOP_MS = 2000;

/**
 * Closes the workers gracefully on SIGINT/SIGTERM (as Kubernetes sends it):
 * each running job, at its next checkpoint, saves its state and goes back to
 * waiting (another worker resumes it from there), so the process exits within a
 * checkpoint's time and no job is left locked.
 *
 * A second signal exits at once, unless it is the other kind and comes within
 * two seconds: a terminal's Ctrl-C reaches every process of its group, and a
 * supervisor (npm, a demo script) may send SIGTERM right after; that is one stop,
 * not two.
 *
 * @example
 * closeOnSignals([reports, thumbnails], () => db.end().then(() => process.exit(0)));
 */
export function closeOnSignals(
  workers: Worker[],
  onClosed: () => void = () => process.exit(0),
): void {
  let first: { sig: NodeJS.Signals; at: number } | undefined;
  const stop = (sig: NodeJS.Signals) => {
    if (first) {
      if (sig !== first.sig && Date.now() - first.at < SAME_STOP_MS) return;
      console.error(`${sig} again: exiting now`);
      process.exit(1);
    }
    first = { sig, at: Date.now() };
    console.error(
      `${sig}: handing running jobs back at their next checkpoint, closing ${workers.length} worker(s)…`,
    );
    getSignalWatcher().drain();
    Promise.allSettled(workers.map((w) => w.close())).then(onClosed);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
