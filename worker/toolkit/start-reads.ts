import type { Database } from '../../db/client';
import { type JobRef, openSignalsOfJobs } from '../../db/job-signals';
import type { JobSignal } from '../../db/schema';

interface Waiting extends JobRef {
  resolve: (rows: JobSignal[]) => void;
  reject: (err: unknown) => void;
}

/**
 * The open signals of jobs about to start. Jobs that start together (a worker with
 * concurrency 16 refilling its slots) share one query: while one read is in flight
 * the next starts queue up, and go together when it returns.
 */
export class StartReads {
  private waiting: Waiting[] = [];
  private reading = false;

  constructor(private readonly db: Database) {}

  read(queue: string, jobId: string): Promise<JobSignal[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ queue, jobId, resolve, reject });
      if (!this.reading) setImmediate(() => this.flush());
      this.reading = true;
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting.splice(0, 500);
    if (batch.length === 0) {
      this.reading = false;
      return;
    }
    try {
      const rows = await openSignalsOfJobs(this.db, batch);
      for (const b of batch)
        b.resolve(rows.filter((r) => r.queue === b.queue && r.jobId === b.jobId));
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
    this.flush();
  }
}
