import { DelayedError, type Job, WaitingError } from 'bullmq';
import { type Database, isConnectionError } from '../../db/client';
import type { JobSignal } from '../../db/schema';
import { jobKey } from '../../db/vocabulary';
import {
  claimSignals,
  completeSignals,
  handBackSignals,
  supersedeSignals,
} from '../../db/worker-signals';
import { PARK_DELAY_MS, type ParkMarker, readMarker, stripMarker, withMarker } from '../marker';
import { decideCheckpoint, parkedMarker, planParkedStart, savedState } from './checkpoint-plan';
import { describeError, JobCancelledError } from './errors';
import type { CancelInfo, SignalContext } from './types';

const RESOLVED: Promise<void> = Promise.resolve();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** PostgreSQL cannot serve us for now: unreachable, restarting, full (53300), or closed to connections (55000). */
function unavailable(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return isConnectionError(err) || code === '53300' || code === '55000';
}

export interface RunEnv {
  db: Database;
  workerId: string;
  /** Aborts the processor's AbortSignal through BullMQ (`worker.cancelJob`). */
  abort(jobId: string, reason: string): void;
  onCancel?: (job: Job, info: CancelInfo) => Promise<void> | void;
  log(message: string, err?: unknown): void;
  /** The open signals of a starting job (batched by the watcher with other starts). */
  readOpen(queue: string, jobId: string): Promise<JobSignal[]>;
}

/**
 * One running job held by this process: the open signals it has taken on, and
 * the checkpoint that acts on them. The watcher feeds `receive`; the processor
 * calls `checkpoint`.
 */
export class JobRun {
  readonly key: string;
  readonly ctx: SignalContext;
  private readonly open = new Map<number, JobSignal>();
  private marker: ParkMarker | undefined;
  private stopError: Error | undefined;
  private acting: Promise<void> | undefined;
  private lastState: unknown;
  /** Set when the process shuts down: the next checkpoint hands the job back to the queue. */
  private draining = false;
  private readonly writeData: (data: unknown) => Promise<void>;

  constructor(
    private readonly env: RunEnv,
    readonly job: Job,
    readonly token: string,
    abortSignal: AbortSignal,
  ) {
    this.key = jobKey(job.queueName, String(job.id));
    this.marker = readMarker(job.data);
    // The processor sees the producer's data; our marker survives its updateData calls.
    job.data = stripMarker(job.data);
    const original = job.updateData.bind(job);
    this.writeData = async (data) => {
      await original(this.marker ? withMarker(data, this.marker) : data);
      job.data = data;
    };
    job.updateData = (data) => this.writeData(data);
    const resumeState = this.marker?.hasState ? this.marker.state : undefined;
    this.lastState = resumeState;
    this.ctx = {
      checkpoint: (state?: unknown) =>
        this.open.size === 0 && !this.stopError && !this.draining
          ? RESOLVED
          : this.act(state, 'checkpoint'),
      abortSignal,
      resumeState,
      token,
      workerId: env.workerId,
    };
  }

  get stopped(): Error | undefined {
    return this.stopError;
  }

  get hasOpenCancel(): boolean {
    for (const s of this.open.values()) if (s.signal === 'cancel') return true;
    return false;
  }

  get openIds(): number[] {
    return [...this.open.keys()];
  }

  /**
   * Takes an open signal on. Returns 'stale' for a signal older than the job (a
   * reused job id), which must never act on it; 'ignored' once the run stopped.
   */
  receive(signal: JobSignal): 'new' | 'known' | 'stale' | 'ignored' {
    if (this.stopError) return 'ignored';
    if (signal.createdAt.getTime() < this.job.timestamp) return 'stale';
    const known = this.open.has(signal.id);
    this.open.set(signal.id, signal);
    if (!known && signal.signal === 'cancel') {
      // Abortable I/O stops now, without waiting for the next checkpoint.
      this.env.abort(String(this.job.id), `cancelled by ${signal.requestedBy}`);
    }
    return known ? 'known' : 'new';
  }

  /** Reads the job's open signals before the processor runs, and acts on them. */
  async begin(): Promise<void> {
    const { db, workerId } = this.env;
    const rows = await this.readOpenSignals();
    const stale: number[] = [];
    for (const r of rows) if (this.receive(r) === 'stale') stale.push(r.id);
    await supersedeSignals(db, stale, workerId, {
      reason: 'signal is older than the job (job id reused)',
    });
    await claimSignals(db, this.openIds, workerId, { holder: true });

    if (this.marker?.paused) {
      const { recoveredPause, resumes } = planParkedStart(this.marker.paused.signalId, [
        ...this.open.values(),
      ]);
      if (recoveredPause) {
        // The worker that parked it died before recording it, and the job was resumed: record it now.
        await completeSignals(db, [recoveredPause.id], workerId, {
          action: 'parked',
          at: this.marker.state ?? null,
          recovered: true,
        });
        this.open.delete(recoveredPause.id);
      }
      this.marker = { state: this.marker.state, hasState: this.marker.hasState };
      await this.writeData(this.job.data);
      if (resumes.length > 0) {
        await completeSignals(
          db,
          resumes.map((s) => s.id),
          workerId,
          { action: 'resumed', from: this.marker.hasState ? (this.marker.state ?? null) : null },
        );
        for (const s of resumes) this.open.delete(s.id);
      }
    }
    if (this.open.size > 0) await this.act(this.lastState, 'start');
  }

  /**
   * The job's open signals. While PostgreSQL is unavailable the job waits here (its
   * lock kept by BullMQ): it never starts without them, and never fails for want of them.
   */
  private async readOpenSignals(): Promise<JobSignal[]> {
    for (let wait = 250; ; wait = Math.min(wait * 2, 5000)) {
      try {
        return await this.env.readOpen(this.job.queueName, String(this.job.id));
      } catch (err) {
        if (!unavailable(err)) throw err;
        if (wait === 250)
          this.env.log(
            `job ${this.job.queueName}/${this.job.id} waits for PostgreSQL to start`,
            err,
          );
        await sleep(wait);
      }
    }
  }

  /** Acts on whatever is open; serialised, since a processor may checkpoint from several branches. */
  act(state: unknown, during: CancelInfo['during']): Promise<void> {
    if (this.stopError) return Promise.reject(this.stopError);
    if (this.acting) return this.acting.then(() => this.act(state, during));
    const p = this.actNow(state, during).finally(() => {
      this.acting = undefined;
    });
    this.acting = p;
    return p;
  }

  private async actNow(state: unknown, during: CancelInfo['during']): Promise<void> {
    const { db, workerId } = this.env;
    if (during === 'checkpoint' && state !== undefined) this.lastState = state;
    const atCheckpoint = during === 'checkpoint' ? state : undefined;
    const step = decideCheckpoint([...this.open.values()], this.draining);
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
        this.open.delete(step.pause.id);
        this.open.delete(step.resume.id);
        return;
      case 'refuse-resume':
        await supersedeSignals(db, [step.resume.id], workerId, {
          reason: 'job is not paused',
          state: 'active',
        });
        this.open.delete(step.resume.id);
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
    const { db, workerId, onCancel } = this.env;
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
    const others = this.openIds.filter((id) => id !== cancel.id);
    this.open.clear();
    try {
      await completeSignals(db, [cancel.id], workerId, {
        action: 'cancelled',
        at: state ?? null,
        during,
        cleanup,
      });
      await supersedeSignals(db, others, workerId, { reason: 'job was cancelled', by: cancel.id });
    } catch (err) {
      // The job is cancelled regardless; a later poll sees it failed as cancelled and records it.
      this.env.log(
        `could not record cancel ${cancel.id}; it will be recorded by the next poll`,
        err,
      );
    }
    throw error;
  }

  private async park(pause: JobSignal, state: unknown): Promise<never> {
    const { db, workerId } = this.env;
    this.marker = parkedMarker(this.marker, pause, state, Date.now());
    const saved = this.marker.state;
    // State first, then the move: a crash in between leaves a running job whose
    // pause is still open, so the next start parks it again from the saved state.
    await this.writeData(this.job.data);
    await this.job.moveToDelayed(Date.now() + PARK_DELAY_MS, this.token);
    this.stopError = new DelayedError('paused by signal');
    this.open.delete(pause.id);
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
    this.marker = savedState(this.marker, state);
    await this.writeData(this.job.data);
    await this.job.moveToWait(this.token);
    this.stopError = new WaitingError('handed back to the queue at shutdown');
    // Whatever is open is acted on by whoever picks the job up next.
    await handBackSignals(this.env.db, this.openIds, this.env.workerId).catch(() => {});
    this.open.clear();
    throw this.stopError;
  }

  /** The processor returned before any checkpoint acted: open signals had nothing left to act on. */
  async processorReturned(): Promise<void> {
    await supersedeSignals(this.env.db, this.openIds, this.env.workerId, {
      reason: 'job completed before a checkpoint acted on the signal',
    });
    this.open.clear();
  }

  /** The processor failed on its own: give the signals back so whoever handles the retry acts. */
  async processorFailed(): Promise<void> {
    const ids = this.openIds;
    this.open.clear();
    await handBackSignals(this.env.db, ids, this.env.workerId);
  }
}
