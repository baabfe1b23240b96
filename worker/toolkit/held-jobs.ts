import { jobKey } from '../../db/vocabulary';
import type { JobRun } from './job-run';

/**
 * The running jobs this process holds: the watcher hands each its signals; at
 * shutdown each is told to give itself back at its next checkpoint.
 *
 * An array with swap-remove rather than a map: holding and releasing happen for
 * every job, and a map keyed by job would hash a new key and churn its table each
 * time (about a microsecond a job, measured); finding a job happens only when a
 * signal arrives, and scans at most the process's concurrency.
 */
export class HeldJobs {
  private readonly runs: JobRun[] = [];
  private draining = false;

  hold(run: JobRun): void {
    if (this.draining) run.drain();
    run.heldSlot = this.runs.length;
    this.runs.push(run);
  }

  release(run: JobRun): void {
    const slot = run.heldSlot;
    if (slot < 0 || this.runs[slot] !== run) return;
    const last = this.runs.pop() as JobRun;
    if (last !== run) {
      this.runs[slot] = last;
      last.heldSlot = slot;
    }
    run.heldSlot = -1;
  }

  /** The run holding this job (the newest, if a job restarted while its old run lingers). */
  get(queue: string, jobId: string): JobRun | undefined {
    const key = jobKey(queue, jobId);
    let found: JobRun | undefined;
    for (const run of this.runs)
      if (run.key === key && (!found || run.startedAt >= found.startedAt)) found = run;
    return found;
  }

  /** For many lookups at once (a page of signals): one map, built for the call. */
  finder(): (queue: string, jobId: string) => JobRun | undefined {
    if (this.runs.length <= 8) return (queue, jobId) => this.get(queue, jobId);
    const byKey = new Map<string, JobRun>();
    for (const run of this.runs) {
      const other = byKey.get(run.key);
      if (!other || run.startedAt >= other.startedAt) byKey.set(run.key, run);
    }
    return (queue, jobId) => byKey.get(jobKey(queue, jobId));
  }

  /** Shutdown: every running job (and any that starts from now on) hands itself back. */
  drain(): void {
    this.draining = true;
    for (const run of this.runs) run.drain();
  }

  /** A snapshot: runs may be released while the caller goes through it. */
  all(): JobRun[] {
    return [...this.runs];
  }

  get size(): number {
    return this.runs.length;
  }
}
