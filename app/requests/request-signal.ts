import type { Database } from '@/db/client';
import type { JobSignal } from '@/db/schema';
import { insertSignalOnce, jobSignalsSeen, newestOfKind } from '@/db/signal-requests';
import { storableText } from '@/db/storable';
import type { SignalKind } from '@/db/vocabulary';
import type { JobStateName } from '@/worker/job-state';
import { jobState } from '../bullmq/job-view';
import type { QueueRegistry } from '../bullmq/queue-registry';
import { checkReason, checkSignal, isRepeatOf, type Refusal, refuse } from './rules';

/** What the request service needs: the signals table and the queues' Redis. */
export interface SignalDeps {
  db: Database;
  queues: QueueRegistry;
}

export interface SignalRequest {
  queue: string;
  jobId: string;
  signal: SignalKind;
  reason?: string | null;
  requestedBy: string;
}

export type RequestResult = { ok: true; signal: JobSignal; created: boolean } | Refusal;

/**
 * Requests one signal for one job: checks the job exists and is in a state where the
 * signal makes sense, then writes it and notifies the workers. A second identical
 * request returns the open signal (`created: false`), or the one that finished
 * moments ago and brought the job where it is (a double click; see `isRepeatOf`).
 * Refusals write nothing.
 *
 * @example
 * const r = await requestSignal(deps, { queue: 'reports', jobId: '42', signal: 'cancel', requestedBy: 'ann@example.com' });
 * if (!r.ok) console.log(r.code, r.error);
 */
export async function requestSignal(deps: SignalDeps, req: SignalRequest): Promise<RequestResult> {
  const bad = checkReason(req.reason);
  if (bad) return bad;
  if (!(await deps.queues.exists(req.queue)))
    return refuse('not_found', `Queue ${req.queue} does not exist.`);
  const job = await deps.queues.job(req.queue, req.jobId);
  if (!job) {
    return (
      (await repeated(deps, req, 'gone', null)) ??
      refuse('not_found', `Job ${req.jobId} does not exist in queue ${req.queue}.`)
    );
  }
  // The signals first, then the state: a signal written after this read has a higher
  // id than `lastId`, so the insert below can tell that it raced one (insertSignalOnce).
  const { open, lastId } = await jobSignalsSeen(deps.db, req.queue, req.jobId);
  const state = await jobState(job);
  const existing = open.find((s) => s.signal === req.signal);
  if (existing) return { ok: true, signal: existing, created: false };
  const refusal = checkSignal(req.signal, req.jobId, state, new Set(open.map((s) => s.signal)), {
    schedulerId: job.repeatJobKey ?? null,
  });
  if (refusal) return (await repeated(deps, req, state, job.timestamp)) ?? refusal;
  // Written at most once per job, even when a duplicate click races a worker acting on the first.
  const row = await insertSignalOnce(
    deps.db,
    {
      queue: req.queue,
      jobId: req.jobId,
      // BullMQ may name a job with a NUL; such a job must still be cancellable.
      jobName: storableText(job.name),
      signal: req.signal,
      reason: req.reason ?? null,
      requestedBy: req.requestedBy,
    },
    job.timestamp,
    lastId,
  );
  return { ok: true, signal: row.signal, created: row.created };
}

/** The signal a refused request repeats, as the answer; null when it repeats none. */
async function repeated(
  deps: SignalDeps,
  req: SignalRequest,
  state: JobStateName | 'unknown' | 'gone',
  jobTimestamp: number | null,
): Promise<RequestResult | null> {
  // Read after the refusal: the first click's signal may have been written and acted on
  // between this request's read of the job's signals and its read of the job's state.
  const last = await newestOfKind(deps.db, req.queue, req.jobId, req.signal);
  if (!last || !isRepeatOf(req.signal, state, last, jobTimestamp, Date.now())) return null;
  return { ok: true, signal: last, created: false };
}
