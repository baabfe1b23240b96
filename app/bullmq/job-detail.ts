import type { Job } from 'bullmq';
import { jobState, toJobView } from '@/app/bullmq/job-view';
import type { JobView } from '@/app/contracts';
import type { Database } from '@/db/client';
import {
  type HistoryPage,
  jobHistoryPage,
  latestRemoval,
  openSignalsOfJobs,
} from '@/db/job-signals';
import type { JobSignal } from '@/db/schema';
import type { QueueRegistry } from './queue-registry';
import { removedJobView } from './removed-job';

export interface JobDetail {
  job: JobView & { removed: boolean };
  /** The BullMQ job, when Redis still has it (a removed job is rebuilt from its signal). */
  bullJob: Job | null;
  /** A page of the job's signals (the newest first taken, returned oldest first). */
  history: HistoryPage;
  /** The job's open signals, whatever their age. */
  open: JobSignal[];
}

export interface SignalPaging {
  /** Most signals to return. */
  limit: number;
  /** Only signals older than this one (a `next` cursor of an earlier page). */
  before?: number;
}

/**
 * One job and a page of its signal history. A job that a cancel removed from its
 * queue is rebuilt from the signal's outcome (state `cancelled`). Returns null for
 * a job nobody ever heard of. Reads what the page shows and no more: a job with
 * 5,000 signals costs one page of them and a count.
 */
export async function getJobDetail(
  deps: { db: Database; queues: QueueRegistry },
  queueName: string,
  id: string,
  paging: SignalPaging,
): Promise<JobDetail | null> {
  const job = await deps.queues.job(queueName, id);
  if (job) {
    // Signals older than this job belong to an earlier job that had the same custom id.
    const since = new Date(job.timestamp);
    const [state, history, open] = await Promise.all([
      jobState(job),
      jobHistoryPage(deps.db, queueName, id, { ...paging, since }),
      openSignalsOfJobs(deps.db, [{ queue: queueName, jobId: id }]),
    ]);
    return {
      job: { ...toJobView(queueName, job, state), removed: false },
      bullJob: job,
      history,
      open: open.filter((s) => s.createdAt >= since),
    };
  }
  const removal = await latestRemoval(deps.db, queueName, id);
  if (!removal) return null;
  const history = await jobHistoryPage(deps.db, queueName, id, { ...paging, upToId: removal.id });
  return {
    job: {
      ...removedJobView(removal, (history.firstAt ?? removal.createdAt).getTime()),
      removed: true,
    },
    bullJob: null,
    history,
    open: [],
  };
}
