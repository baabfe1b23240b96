import { toJobView } from '@/app/bullmq/job-view';
import type { JobView } from '@/app/contracts';
import type { Database } from '@/db/client';
import { jobHistory } from '@/db/job-signals';
import type { JobSignal } from '@/db/schema';
import { nameState } from '@/worker/job-state';
import type { QueueRegistry } from './queue-registry';
import { isRemoval, removedJobView } from './removed-job';

export interface JobDetail {
  job: JobView & { removed: boolean };
  /** Every signal of the job, oldest first. */
  signals: JobSignal[];
  /** `job.log` lines, oldest first (at most the last 500). */
  logs: string[];
  logCount: number;
}

const LOG_LIMIT = 500;

/**
 * One job with its logs and its whole signal history. A job that a cancel removed
 * from its queue is rebuilt from the signal's outcome (state `cancelled`).
 * Returns null for a job nobody ever heard of.
 */
export async function getJobDetail(
  deps: { db: Database; queues: QueueRegistry },
  queueName: string,
  id: string,
): Promise<JobDetail | null> {
  const [job, signals] = await Promise.all([
    deps.queues.job(queueName, id),
    jobHistory(deps.db, queueName, id),
  ]);
  if (job) {
    const queue = deps.queues.get(queueName);
    const [raw, logs] = await Promise.all([
      job.getState(),
      queue.getJobLogs(id, -LOG_LIMIT, -1, true),
    ]);
    // Signals older than this job belong to an earlier job that had the same custom id.
    const mine = signals.filter((s) => s.createdAt.getTime() >= job.timestamp);
    return {
      job: { ...toJobView(queueName, job, nameState(raw, job)), removed: false },
      signals: mine,
      logs: logs.logs,
      logCount: logs.count,
    };
  }
  const removal = [...signals].reverse().find(isRemoval);
  if (!removal) return null;
  const since = signals.filter((s) => s.id <= removal.id);
  const first = since[0] ?? removal;
  return {
    job: { ...removedJobView(removal, first.createdAt.getTime()), removed: true },
    signals: since,
    logs: [],
    logCount: 0,
  };
}
