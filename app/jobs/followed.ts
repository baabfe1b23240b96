import type { FollowedData, FollowedSignal, JobView } from '@/app/contracts';
import { toSignalView } from '@/app/contracts';
import type { Database } from '@/db/client';
import { signalsByIds } from '@/db/followed-signals';
import { servedQueues, workersLastSeen } from '@/db/heartbeats';
import { latestSignals, openKindsByJob } from '@/db/job-signals';
import { jobKey } from '@/db/vocabulary';
import { jobState, toJobView } from '../bullmq/job-view';
import type { QueueRegistry } from '../bullmq/queue-registry';
import { isRemoval, removedJobView } from '../bullmq/removed-job';
import { readOperationsProgress } from '../operations/progress';
import { toJobRow, waitOf, workersToCheck } from './job-rows';

/**
 * What a view follows after a click, read again: each signal with its job's row as
 * it is now (state, latest signal, allowed actions) and why it waits if it is late,
 * and each operation's progress. A few signals at a time: one read by id, one
 * BullMQ read per job, and the same signal and heartbeat reads as a page of /jobs.
 */
export async function readFollowed(
  d: { db: Database; queues: QueueRegistry },
  signalIds: number[],
  operationIds: number[],
): Promise<FollowedData> {
  const [signals, operations] = await Promise.all([
    signalsByIds(d.db, signalIds),
    readOperationsProgress(d.db, operationIds),
  ]);
  if (signals.length === 0) return { signals: [], operations };
  const refs = [...new Map(signals.map((s) => [jobKey(s.queue, s.jobId), s])).values()].map(
    (s) => ({ queue: s.queue, jobId: s.jobId }),
  );
  const [jobs, latest, open, served] = await Promise.all([
    Promise.all(refs.map((r) => readJob(d.queues, r.queue, r.jobId))),
    latestSignals(d.db, refs),
    openKindsByJob(d.db, refs),
    servedQueues(d.db),
  ]);
  const jobOf = new Map<string, JobView | null>();
  refs.forEach((r, i) => {
    jobOf.set(jobKey(r.queue, r.jobId), jobs[i] ?? null);
  });
  const seen = await workersLastSeen(
    d.db,
    workersToCheck(
      signals.map((s) => ({ job: jobOf.get(jobKey(s.queue, s.jobId)) ?? null, signal: s })),
    ),
  );
  const waits = { lastSeen: seen, now: Date.now() };
  const out: FollowedSignal[] = signals.map((s) => {
    const key = jobKey(s.queue, s.jobId);
    const workers = served.get(s.queue) ?? 0;
    const job = jobOf.get(key) ?? null;
    const last = latest.get(key);
    // Redis no longer has a job a cancel removed: its row is rebuilt from that cancel.
    const shown = job ?? (last && isRemoval(last) ? removedJobView(last) : null);
    return {
      signal: { ...toSignalView(s), wait: waitOf(s, job, workers, waits) },
      queue: s.queue,
      jobId: s.jobId,
      row: shown ? toJobRow(shown, last, open.get(key) ?? new Set(), workers, waits) : null,
    };
  });
  return { signals: out, operations };
}

async function readJob(queues: QueueRegistry, queue: string, id: string): Promise<JobView | null> {
  const job = await queues.job(queue, id);
  return job ? toJobView(queue, job, await jobState(job)) : null;
}
