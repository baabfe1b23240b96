import { openKindsByJob } from '@/db/job-signals';
import { recordOperation } from '@/db/operations';
import type { JobSignal } from '@/db/schema';
import type { SignalRequestRow } from '@/db/signal-requests';
import { hasNul, storableText } from '@/db/storable';
import { jobKey, type SignalKind } from '@/db/vocabulary';
import { type JobFacts, readJobFacts } from '@/worker/job-facts';
import { findJobsByName } from '../bullmq/job-names';
import { ScanBusyError } from '../bullmq/scan-gate';
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
  /** The tracked operation this request became (signal_operations.id). */
  operationId: number;
  /** Jobs the request named or found by name, skipped ones included. */
  jobCount: number;
  requested: number;
  /** Of the requested, how many already had an open signal of the same kind. */
  existing: number;
  signals: JobSignal[];
  skipped: { jobId: string; reason: string }[];
}
export type BulkRequestResult = ({ ok: true } & BulkResult) | Refusal;

/**
 * Requests one signal for many jobs of one queue (by ids, or every queued and
 * running job of one name) in one transaction with one notification, recorded as
 * one operation (who, why, how many, what was skipped) whose signals carry its id.
 * Jobs whose state does not allow it are skipped with the reason in words.
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
  let ids: string[];
  let jobs: Map<string, JobFacts>;
  try {
    if (req.jobIds !== undefined) {
      ids = [...new Set(req.jobIds)];
      // Names and states only, pipelined: never whole jobs, never a position search.
      jobs = await readJobFacts(queue, ids);
    } else {
      // One such scan at a time per caller (the scan gate).
      const found = await findJobsByName(
        queue,
        deps.queues.connection,
        req.name as string,
        ['waiting', 'prioritized', 'delayed', 'active'],
        req.requestedBy,
      );
      ids = [...found.keys()];
      // Each job's state is the list it was found in: only the names are read again.
      jobs = new Map();
      for (const state of new Set(found.values())) {
        const of = ids.filter((id) => found.get(id) === state);
        for (const [id, f] of await readJobFacts(queue, of, { knownState: state })) jobs.set(id, f);
      }
    }
  } catch (err) {
    if (err instanceof ScanBusyError) return refuse('busy', err.message);
    throw err;
  }
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
          schedulerId: found.repeatJobKey,
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
  // One transaction and one notification, however many jobs; the operation with them.
  const { operation, inserted } = await recordOperation(
    deps.db,
    {
      signal: req.signal,
      queue: req.queue,
      requestedBy: req.requestedBy,
      reason: req.reason ?? null,
      name: req.jobIds === undefined ? storableText(req.name as string) : null,
      jobCount: ids.length,
      skipped,
    },
    rows,
  );
  return {
    ok: true,
    operationId: operation.id,
    jobCount: ids.length,
    requested: inserted.length,
    existing: inserted.filter((r) => !r.created).length,
    signals: inserted.map((r) => r.signal),
    skipped,
  };
}
