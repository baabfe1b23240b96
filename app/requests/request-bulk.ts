import { openKindsByJob } from '@/db/job-signals';
import type { JobSignal } from '@/db/schema';
import { insertSignals, type SignalRequestRow } from '@/db/signal-requests';
import { hasNul, storableText } from '@/db/storable';
import { jobKey, type SignalKind } from '@/db/vocabulary';
import { findJobIdsByName } from '../bullmq/job-names';
import { loadJobsWithState } from '../bullmq/job-view';
import type { SignalDeps } from './request-signal';
import { BULK_MAX_IDS, checkReason, checkSignal, type Refusal, refuse } from './rules';

export interface BulkSignalRequest {
  queue: string;
  signal: SignalKind;
  reason?: string | null;
  requestedBy: string;
  /** Exactly one of `jobIds` and `name`. */
  jobIds?: string[];
  /** Every queued (waiting, prioritized, delayed) and running job of this name. */
  name?: string;
}

export interface BulkResult {
  requested: number;
  /** Of the requested, how many already had an open signal of the same kind. */
  existing: number;
  signals: JobSignal[];
  skipped: { jobId: string; reason: string }[];
}
export type BulkRequestResult = ({ ok: true } & BulkResult) | Refusal;

/**
 * Requests one signal for many jobs of one queue (by ids, or every queued and
 * running job of one name) in one transaction with one notification. Jobs whose
 * state does not allow it are skipped with the reason in words.
 */
export async function requestBulkSignals(
  deps: SignalDeps,
  req: BulkSignalRequest,
): Promise<BulkRequestResult> {
  const bad = checkReason(req.reason);
  if (bad) return bad;
  if ((req.jobIds === undefined) === (req.name === undefined)) {
    return refuse('invalid', 'Give either jobIds or name, not both and not neither.');
  }
  if (req.jobIds && req.jobIds.length > BULK_MAX_IDS) {
    return refuse(
      'invalid',
      `At most ${BULK_MAX_IDS} job ids per request; got ${req.jobIds.length}.`,
    );
  }
  if (!(await deps.queues.exists(req.queue)))
    return refuse('not_found', `Queue ${req.queue} does not exist.`);
  const queue = deps.queues.get(req.queue);
  const ids =
    req.jobIds !== undefined
      ? [...new Set(req.jobIds)]
      : await findJobIdsByName(queue, deps.queues.connection, req.name as string, [
          'waiting',
          'prioritized',
          'delayed',
          'active',
        ]);
  const jobs = await loadJobsWithState(queue, ids);
  const openByJob = await openKindsByJob(
    deps.db,
    ids.map((jobId) => ({ queue: req.queue, jobId })),
  );
  const skipped: BulkResult['skipped'] = [];
  const rows: SignalRequestRow[] = [];
  for (const id of ids) {
    const found = jobs.get(id);
    const open = openByJob.get(jobKey(req.queue, id)) ?? new Set<SignalKind>();
    if (!found) {
      skipped.push({ jobId: id, reason: `Job ${id} does not exist in queue ${req.queue}.` });
      continue;
    }
    if (hasNul(id)) {
      // BullMQ takes such ids; job_signals cannot store them, so no signal can reach the job.
      skipped.push({ jobId: id, reason: 'A job id with a NUL character cannot be signalled.' });
      continue;
    }
    const refusal = open.has(req.signal)
      ? null
      : checkSignal(req.signal, id, found.state, open, {
          schedulerId: found.job.repeatJobKey ?? null,
        });
    if (refusal) {
      skipped.push({ jobId: id, reason: refusal.error });
      continue;
    }
    rows.push({
      queue: req.queue,
      jobId: id,
      jobName: storableText(found.name),
      signal: req.signal,
      reason: req.reason ?? null,
      requestedBy: req.requestedBy,
    });
  }
  // One transaction and one notification, however many jobs.
  const inserted = await insertSignals(deps.db, rows);
  return {
    ok: true,
    requested: inserted.length,
    existing: inserted.filter((r) => !r.created).length,
    signals: inserted.map((r) => r.signal),
    skipped,
  };
}
