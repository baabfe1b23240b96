import type { Database } from '../db/client';
import { type JobSignal, REASON_MAX, type SignalKind } from '../db/schema';
import {
  insertSignalOnce,
  insertSignals,
  jobSignalsSeen,
  openSignalsForJobs,
  type SignalRequestRow,
} from '../db/signals';
import { findJobIdsByName, loadJobsWithState } from './job-scan';
import { FINISHED_STATES, type JobStateName, jobState } from './job-state';
import type { QueueRegistry } from './queues';

/** Why a request was refused: maps to 400, 404 and 409. */
export type RefusalCode = 'invalid' | 'not_found' | 'conflict';
export interface Refusal {
  ok: false;
  code: RefusalCode;
  error: string;
}
export type RequestResult = { ok: true; signal: JobSignal; created: boolean } | Refusal;

export interface SignalRequest {
  queue: string;
  jobId: string;
  signal: SignalKind;
  reason?: string | null;
  requestedBy: string;
}

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

export interface SignalDeps {
  db: Database;
  queues: QueueRegistry;
}

export const BULK_MAX_IDS = 1000;

const refuse = (code: RefusalCode, error: string): Refusal => ({ ok: false, code, error });

/**
 * A job's name as `job_name` can store it. BullMQ (and any app using it) may name a
 * job with a NUL, which PostgreSQL text cannot hold: such a job must still be
 * cancellable, so the NUL is stored as U+FFFD instead of failing the insert.
 */
export const storableName = (name: string): string => name.replaceAll('\u0000', '\uFFFD');

const FINISHED_WORDS: Record<string, string> = {
  completed: 'has already completed',
  failed: 'has already failed',
  cancelled: 'has already been cancelled',
};

/**
 * Whether `signal` makes sense for a job in `state` that has `openKinds` signals
 * open. Returns the refusal in words, or null when the request may be written.
 */
export function checkSignal(
  signal: SignalKind,
  jobId: string,
  state: JobStateName | 'unknown',
  openKinds: ReadonlySet<SignalKind>,
): Refusal | null {
  if (state === 'unknown') return refuse('not_found', `Job ${jobId} does not exist.`);
  if ((FINISHED_STATES as readonly string[]).includes(state)) {
    return refuse(
      'conflict',
      `Job ${jobId} ${FINISHED_WORDS[state]}; there is nothing to ${signal}.`,
    );
  }
  if (signal === 'cancel') return null;
  if (signal === 'pause') {
    if (state === 'paused') return refuse('conflict', `Job ${jobId} is already paused.`);
    if (state === 'waiting-children') {
      return refuse('conflict', `Job ${jobId} is waiting for its children and cannot be paused.`);
    }
    if (openKinds.has('cancel')) return refuse('conflict', `Job ${jobId} is being cancelled.`);
    return null;
  }
  // resume
  if (state === 'paused' || openKinds.has('pause')) return null;
  return refuse(
    'conflict',
    `Job ${jobId} is not paused (it is ${state}); only a paused job can be resumed.`,
  );
}

export function checkReason(reason: string | null | undefined): Refusal | null {
  if (reason != null && [...reason].length > REASON_MAX) {
    return refuse(
      'invalid',
      `The reason is ${[...reason].length} characters long; at most ${REASON_MAX} are allowed.`,
    );
  }
  return null;
}

/**
 * Requests one signal for one job: checks the job exists and is in a state where the
 * signal makes sense, then writes it and notifies the workers. A second identical
 * request returns the open signal (`created: false`). Refusals write nothing.
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
  if (!job) return refuse('not_found', `Job ${req.jobId} does not exist in queue ${req.queue}.`);
  // The signals first, then the state: a signal written after this read has a higher
  // id than `lastId`, so the insert below can tell that it raced one (insertSignalOnce).
  const { open, lastId } = await jobSignalsSeen(deps.db, req.queue, req.jobId);
  const state = await jobState(job);
  const existing = open.find((s) => s.signal === req.signal);
  if (existing) return { ok: true, signal: existing, created: false };
  const refusal = checkSignal(req.signal, req.jobId, state, new Set(open.map((s) => s.signal)));
  if (refusal) return refusal;
  // Written at most once per job, even when a duplicate click races a worker acting on the first.
  const row = await insertSignalOnce(
    deps.db,
    {
      queue: req.queue,
      jobId: req.jobId,
      jobName: storableName(job.name),
      signal: req.signal,
      reason: req.reason ?? null,
      requestedBy: req.requestedBy,
    },
    job.timestamp,
    lastId,
  );
  return { ok: true, signal: row.signal, created: row.created };
}

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
  const openByJob = await openKindsByJob(deps, req.queue, ids);
  const skipped: BulkResult['skipped'] = [];
  const rows: SignalRequestRow[] = [];
  for (const id of ids) {
    const found = jobs.get(id);
    const open = openByJob.get(id) ?? new Set<SignalKind>();
    if (!found) {
      skipped.push({ jobId: id, reason: `Job ${id} does not exist in queue ${req.queue}.` });
      continue;
    }
    if (id.includes('\u0000')) {
      // BullMQ takes such ids; job_signals cannot store them, so no signal can reach the job.
      skipped.push({ jobId: id, reason: 'A job id with a NUL character cannot be signalled.' });
      continue;
    }
    const refusal = open.has(req.signal) ? null : checkSignal(req.signal, id, found.state, open);
    if (refusal) {
      skipped.push({ jobId: id, reason: refusal.error });
      continue;
    }
    rows.push({
      queue: req.queue,
      jobId: id,
      jobName: storableName(found.name),
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

async function openKindsByJob(
  deps: SignalDeps,
  queue: string,
  ids: string[],
): Promise<Map<string, Set<SignalKind>>> {
  const rows = await openSignalsForJobs(deps.db, queue, ids);
  const out = new Map<string, Set<SignalKind>>();
  for (const r of rows) {
    const set = out.get(r.jobId) ?? new Set<SignalKind>();
    set.add(r.signal);
    out.set(r.jobId, set);
  }
  return out;
}
