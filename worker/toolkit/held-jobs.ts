import { jobKey } from '../../db/vocabulary';
import type { JobRun } from './job-run';

/**
 * The running jobs this process holds, by job key: the watcher hands each its
 * signals; at shutdown each is told to give itself back at its next checkpoint.
 */
export class HeldJobs {
  private readonly runs = new Map<string, JobRun>();
  private draining = false;

  hold(run: JobRun): void {
    if (this.draining) run.drain();
    this.runs.set(run.key, run);
  }

  release(run: JobRun): void {
    if (this.runs.get(run.key) === run) this.runs.delete(run.key);
  }

  get(queue: string, jobId: string): JobRun | undefined {
    return this.runs.get(jobKey(queue, jobId));
  }

  /** Shutdown: every running job (and any that starts from now on) hands itself back. */
  drain(): void {
    this.draining = true;
    for (const run of this.runs.values()) run.drain();
  }

  all(): IterableIterator<JobRun> {
    return this.runs.values();
  }

  get size(): number {
    return this.runs.size;
  }
}
