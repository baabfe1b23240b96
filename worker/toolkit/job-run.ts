import { DelayedError, type Job, WaitingError } from 'bullmq';
import type { Database } from '../../db/client';
import type { JobSignal } from '../../db/schema';
import { jobKey } from '../../db/vocabulary';
import {
  claimSignals,
  completeSignals,
  handBackSignals,
  signalById,
  supersedeSignals,
} from '../../db/worker-signals';
import { PARK_DELAY_MS, type ParkMarker, readMarker, stripMarker, withMarker } from '../marker';
import { decideCheckpoint, parkedMarker, planParkedStart, savedState } from './checkpoint-plan';
import { describeError, JobCancelledError } from './errors';
import type { SignalIndex } from './signal-index';
import type { CancelInfo, SignalContext } from './types';

/** One settled promise for every no-op (no allocation per checkpoint or job). */
export const RESOLVED: Promise<void> = Promise.resolve();

export interface RunEnv {
  db: Database;
  workerId: string;
  /** The process's open signals (the watcher keeps it current). */
  index: SignalIndex;
  onCancel?: (job: Job, info: CancelInfo) => Promise<void> | void;
  log(message: string, err?: unknown): void;
  /** Resolves when the index can be trusted (PostgreSQL answered the watcher's last read). */
  ready(what: string): Promise<void>;
  /** Whether it can be trusted now. */
  trusted(): boolean;
  /** A run's own query failed: the index is read again before it is trusted. */
  unreachable(err: unknown): void;
}

/**
 * One running job held by this process. Its open signals live in the process's
 * SignalIndex; the watcher wakes the run when one arrives. With nothing open,
 * starting, each checkpoint and finishing cost a map lookup each: no query.
 */
export class JobRun {
  readonly key: string;
  /** When this run began (performance.now()): the newest run of a job id wins a lookup. */
  readonly startedAt = performance.now();
  /** Where HeldJobs keeps this run (-1: not held). */
  heldSlot = -1;
  readonly ctx: SignalContext;
  private marker: ParkMarker | undefined;
  private stopError: Error | undefined;
  /** Everything that touches the job's signals runs in this order, one at a time. */
  private chain: Promise<unknown> = RESOLVED;
  private lastState: unknown;
  /** Signals this run has taken on (claimed as the holder); made when the first comes. */
  private takenIds: Set<number> | undefined;
  private aborted = false;
  /** The last claim failed (PostgreSQL away): checkpoints go on until the watcher reads again. */
  private claimFailed = false;
  /** The processor is done: signals that arrive from now on are for whoever looks next. */
  private finished = false;
  /** Set when the process shuts down: the next checkpoint hands the job back to the queue. */
  private draining = false;
  /** BullMQ's own `job.updateData`, which writes whatever it is given. */
  private readonly updateData: Job['updateData'];

  /** Made when the processor first reads `ctx.abortSignal` (most never do). */
  private controller: AbortController | undefined;
  private abortReason: string | undefined;

  constructor(
    private readonly env: RunEnv,
    readonly job: Job,
    readonly token: string,
  ) {
    this.key = jobKey(job.queueName, String(job.id));
    this.marker = readMarker(job.data);
    this.updateData = job.updateData;
    if (this.marker) {
      // The processor sees the producer's data; our marker survives its updateData
      // calls. (A marker written later is written as the job stops: no call follows.)
      job.data = stripMarker(job.data);
      job.updateData = (data) => this.writeData(data);
    }
    const resumeState = this.marker?.hasState ? this.marker.state : undefined;
    this.lastState = resumeState;
    // Bound rather than an arrow: the context is made for every job, and a bound
    // method is the cheapest function to make (no closure, no name to set).
    this.ctx = new RunContext(this, this.checkpoint.bind(this), resumeState, token, env.workerId);
  }

  /** `ctx.checkpoint`: with nothing open for the job, a map lookup and no I/O. */
  private checkpoint(state?: unknown): Promise<void> {
    return !this.env.index.hasJob(this.key) && !this.stopError && !this.draining
      ? RESOLVED
      : this.act(state, 'checkpoint');
  }

  /** Writes the job's data with our marker (if any) kept in it. */
  private async writeData(data: unknown): Promise<void> {
    await this.updateData.call(this.job, this.marker ? withMarker(data, this.marker) : data);
    this.job.data = data;
  }

  private get taken(): Set<number> {
    this.takenIds ??= new Set();
    return this.takenIds;
  }

  get stopped(): Error | undefined {
    return this.stopError;
  }

  /** Whether a cancel reached this run (its AbortSignal has fired). */
  get hasCancel(): boolean {
    return this.aborted;
  }

  /**
   * The processor's AbortSignal, made on first use: an AbortController per job costs
   * a processor that never looks at it (most tiny jobs) a few microseconds each.
   */
  signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.abortReason !== undefined && !this.controller.signal.aborted)
      this.controller.abort(this.abortReason);
    return this.controller.signal;
  }

  /** Fires the processor's AbortSignal (now, or as soon as it is made). */
  abort(reason: string): void {
    this.abortReason ??= reason;
    this.controller?.abort(reason);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => {});
    return next;
  }

  /** The job's open signals in the index (stale ones for a reused job id left out). */
  private indexed(): JobSignal[] {
    return this.env.index.forJob(this.job.queueName, String(this.job.id)) ?? [];
  }

  /** The watcher found news for this job: take it on now, and stop abortable I/O on a cancel. */
  wake(): void {
    if (this.stopError || this.finished) return;
    this.serial(() => this.take()).catch((err) =>
      this.env.log(`taking signals of ${this.job.queueName}/${this.job.id} on failed`, err),
    );
  }

  /**
   * Claims, as the holder, the job's signals not taken on yet: they become
   * `delivered` to this process, and the claim says which are still open (the index
   * may hold one that another process closed). A signal older than the job belongs
   * to an earlier job with the same custom id: superseded, never acted on.
   */
  private async take(): Promise<void> {
    const { db, workerId, index } = this.env;
    const fresh: number[] = [];
    const stale: number[] = [];
    for (const s of this.indexed()) {
      if (this.taken.has(s.id)) continue;
      if (s.createdAt.getTime() < this.job.timestamp) stale.push(s.id);
      else fresh.push(s.id);
    }
    if (stale.length > 0) {
      for (const id of stale) index.drop(id);
      await supersedeSignals(db, stale, workerId, {
        reason: 'signal is older than the job (job id reused)',
      });
    }
    if (fresh.length === 0) return;
    const rows = await claimSignals(db, fresh, workerId, { holder: true });
    const open = new Set(rows.map((r) => r.id));
    for (const id of fresh) if (!open.has(id)) index.drop(id);
    for (const r of rows) {
      index.put(r);
      this.taken.add(r.id);
      if (r.signal === 'cancel' && !this.aborted) {
        this.aborted = true;
        // Abortable I/O stops now, without waiting for the next checkpoint.
        this.abort(`cancelled by ${r.requestedBy}`);
      }
    }
  }

  /** The signals this run holds and may act on. */
  private held(): JobSignal[] {
    return this.indexed().filter((s) => this.taken.has(s.id));
  }

  /**
   * Before the processor runs: waits until the index can be trusted, then acts on
   * whatever it holds for this job, and settles a parked job that was resumed. A
   * job with no open signal and no marker costs no query here.
   */
  begin(): Promise<void> {
    // The common case, a job with no open signal and no marker, costs two lookups.
    if (this.env.trusted() && !this.marker && !this.env.index.hasJob(this.key)) return RESOLVED;
    return this.beginSlow();
  }

  private async beginSlow(): Promise<void> {
    await this.env.ready(`job ${this.job.queueName}/${this.job.id}`);
    const m = this.marker;
    if (m?.cancelled && m.cancelled.attemptsMade !== this.job.attemptsMade) {
      // Retried by hand after a cancel: the old record no longer applies.
      this.marker = { ...m, cancelled: undefined };
      await this.writeData(this.job.data);
    }
    const markedBy = this.marker?.cancelAtStart?.signalId ?? this.marker?.cancelled?.signalId;
    if (markedBy !== undefined && !this.env.index.get(markedBy)) {
      const row = await this.adopt(markedBy);
      // Cancelled already, then this process died before the job failed: it stays cancelled.
      if (!row && this.marker?.cancelled) {
        const record = await signalById(this.env.db, markedBy);
        this.stopError = new JobCancelledError(
          record ?? { id: markedBy, reason: null, requestedBy: 'unknown' },
        );
        throw this.stopError;
      }
    }
    if (!this.env.index.hasJob(this.key) && !this.marker?.paused) return;
    await this.serial(() => this.take());
    if (this.marker?.paused) await this.resumed(this.marker.paused.signalId);
    if (this.env.index.hasJob(this.key)) await this.act(this.lastState, 'start');
  }

  /** A signal the marker names but the index lacks (more open signals than one read holds). */
  private async adopt(id: number): Promise<JobSignal | undefined> {
    const [row] = await claimSignals(this.env.db, [id], this.env.workerId, { holder: true });
    if (row) this.env.index.put(row);
    return row;
  }

  /** A parked job that starts again was resumed (or promoted by hand). */
  private async resumed(parkedBy: number): Promise<void> {
    const { db, workerId, index } = this.env;
    const marker = this.marker as ParkMarker;
    const { recoveredPause, resumes } = planParkedStart(parkedBy, this.held());
    if (recoveredPause) {
      // The worker that parked it died before recording it, and the job was resumed: record it now.
      await completeSignals(db, [recoveredPause.id], workerId, {
        action: 'parked',
        at: marker.state ?? null,
        recovered: true,
      });
      index.drop(recoveredPause.id);
    }
    this.marker = { state: marker.state, hasState: marker.hasState };
    await this.writeData(this.job.data);
    if (resumes.length > 0) {
      await completeSignals(
        db,
        resumes.map((s) => s.id),
        workerId,
        { action: 'resumed', from: marker.hasState ? (marker.state ?? null) : null },
      );
      for (const s of resumes) index.drop(s.id);
    }
  }

  /** Acts on whatever is open; serialised, since a processor may checkpoint from several branches. */
  act(state: unknown, during: CancelInfo['during']): Promise<void> {
    if (this.stopError) return Promise.reject(this.stopError);
    return this.serial(async () => {
      if (this.stopError) throw this.stopError;
      await this.takeOrGoOn();
      await this.actNow(state, during);
    });
  }

  /**
   * A claim that fails (PostgreSQL went away between the read that found a signal
   * and the claim) is not the job's failure: the job goes on with what it already
   * holds, and claims again once the watcher has read PostgreSQL again, or when
   * the watcher's read wakes it. Its checkpoints meanwhile make no query.
   */
  private async takeOrGoOn(): Promise<void> {
    if (this.claimFailed && !this.env.trusted()) return;
    try {
      await this.take();
      this.claimFailed = false;
    } catch (err) {
      if (!this.claimFailed)
        this.env.log(
          `could not claim the signals of ${this.job.queueName}/${this.job.id}; the job goes on and claims them once PostgreSQL answers`,
          err,
        );
      this.claimFailed = true;
      this.env.unreachable(err);
    }
  }

  private async actNow(state: unknown, during: CancelInfo['during']): Promise<void> {
    const { db, workerId, index } = this.env;
    if (during === 'checkpoint' && state !== undefined) this.lastState = state;
    const atCheckpoint = during === 'checkpoint' ? state : undefined;
    const step = decideCheckpoint(this.held(), this.draining);
    switch (step.kind) {
      case 'cancel':
        return this.cancel(step.cancel, during === 'checkpoint' ? state : this.lastState, during);
      case 'hand-back':
        return this.requeue(atCheckpoint);
      case 'park':
        return this.park(step.pause, atCheckpoint);
      case 'cancel-pause':
        await supersedeSignals(db, [step.pause.id], workerId, {
          reason: 'resumed before the pause took effect',
          by: step.resume.id,
        });
        await completeSignals(db, [step.resume.id], workerId, {
          action: 'cancelled the pause',
          pause: step.pause.id,
        });
        index.drop(step.pause.id);
        index.drop(step.resume.id);
        return;
      case 'refuse-resume':
        await supersedeSignals(db, [step.resume.id], workerId, {
          reason: 'job is not paused',
          state: 'active',
        });
        index.drop(step.resume.id);
        return;
      case 'go-on':
        return;
    }
  }

  private async cancel(
    cancel: JobSignal,
    state: unknown,
    during: CancelInfo['during'],
  ): Promise<never> {
    const { db, workerId, onCancel, index } = this.env;
    const error = new JobCancelledError(cancel);
    this.stopError = error;
    let cleanup = 'ok';
    if (onCancel) {
      try {
        await onCancel(this.job, { signal: cancel, state, during });
      } catch (err) {
        cleanup = `failed: ${describeError(err)}`;
        this.env.log(`onCancel of job ${this.job.queueName}/${this.job.id} threw`, err);
      }
    }
    const others = this.held()
      .map((s) => s.id)
      .filter((id) => id !== cancel.id);
    for (const s of this.indexed()) index.drop(s.id);
    // Signal Desk's own record in the job, before it fails: the dashboard names it
    // `cancelled` from this, and a restart after a crash still cancels it. Written
    // beside the PostgreSQL record, not before it: a Redis outage must not hold the
    // record up (the job cannot fail before Redis is back anyway).
    this.marker = {
      ...savedState(this.marker, undefined),
      cancelled: { signalId: cancel.id, at: Date.now(), attemptsMade: this.job.attemptsMade },
    };
    const marked = this.writeData(this.job.data).catch((err) =>
      this.env.log(`could not mark job ${this.job.queueName}/${this.job.id} as cancelled`, err),
    );
    try {
      await completeSignals(db, [cancel.id], workerId, {
        action: 'cancelled',
        at: state ?? null,
        during,
        cleanup,
      });
      await supersedeSignals(db, others, workerId, { reason: 'job was cancelled', by: cancel.id });
    } catch (err) {
      // The job is cancelled regardless; a later poll sees it cancelled and records it.
      this.env.log(
        `could not record cancel ${cancel.id}; it will be recorded by the next poll`,
        err,
      );
    }
    await marked;
    throw error;
  }

  private async park(pause: JobSignal, state: unknown): Promise<never> {
    const { db, workerId, index } = this.env;
    this.marker = parkedMarker(this.marker, pause, state, Date.now());
    const saved = this.marker.state;
    // State first, then the move: a crash in between leaves a running job whose
    // pause is still open, so the next start parks it again from the saved state.
    await this.writeData(this.job.data);
    await this.job.moveToDelayed(Date.now() + PARK_DELAY_MS, this.token);
    this.stopError = new DelayedError('paused by signal');
    index.drop(pause.id);
    try {
      await completeSignals(db, [pause.id], workerId, { action: 'parked', at: saved ?? null });
    } catch (err) {
      this.env.log(`could not record pause ${pause.id}; it will be recorded by the next poll`, err);
    }
    throw this.stopError;
  }

  /**
   * Shutdown (SIGTERM): at its next checkpoint the job saves its state and goes
   * back to waiting, so the process can exit at once and another worker resumes
   * it from that state. A job that never checkpoints is waited for as before.
   */
  drain(): void {
    this.draining = true;
  }

  private async requeue(state: unknown): Promise<never> {
    this.marker = { ...this.marker, ...savedState(this.marker, state) };
    await this.writeData(this.job.data);
    await this.job.moveToWait(this.token);
    this.stopError = new WaitingError('handed back to the queue at shutdown');
    // Whatever is open is acted on by whoever picks the job up next.
    await this.giveBack();
    throw this.stopError;
  }

  /** Hands the signals this run took on back to pending, and out of this process's index. */
  private async giveBack(): Promise<void> {
    const ids = [...this.taken].filter((id) => this.env.index.get(id));
    for (const s of this.indexed()) this.env.index.drop(s.id);
    await handBackSignals(this.env.db, ids, this.env.workerId).catch(() => {});
  }

  /**
   * The processor returned before any checkpoint acted: its open signals had
   * nothing left to act on. A query only when the index holds one for this job.
   */
  processorReturned(): Promise<void> {
    this.finished = true;
    if (!this.env.index.hasJob(this.key)) return RESOLVED;
    return this.serial(async () => {
      await this.take();
      const ids = this.held().map((s) => s.id);
      for (const id of ids) this.env.index.drop(id);
      await supersedeSignals(this.env.db, ids, this.env.workerId, {
        reason: 'job completed before a checkpoint acted on the signal',
      });
    });
  }

  /** The processor failed on its own: give the signals back so whoever handles the retry acts. */
  processorFailed(): Promise<void> {
    this.finished = true;
    if (!this.env.index.hasJob(this.key)) return RESOLVED;
    return this.serial(() => this.giveBack());
  }
}

/** What the processor gets besides the job (SignalContext), one per job. */
class RunContext implements SignalContext {
  readonly #run: JobRun;
  constructor(
    run: JobRun,
    readonly checkpoint: (state?: unknown) => Promise<void>,
    readonly resumeState: unknown,
    readonly token: string,
    readonly workerId: string,
  ) {
    this.#run = run;
  }

  get abortSignal(): AbortSignal {
    return this.#run.signal();
  }
}
