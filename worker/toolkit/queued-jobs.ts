import type { Queue } from 'bullmq';
import type { Database } from '../../db/client';
import { openSignalsOfJobs } from '../../db/job-signals';
import type { JobSignal } from '../../db/schema';
import {
  claimSignals,
  finishSignals,
  handBackSignals,
  type SignalFinish,
  staleClaimSeconds,
  supersedeSignals,
} from '../../db/worker-signals';
import { type JobFacts, readJobFacts } from '../job-facts';
import { PARK_DELAY_MS, readMarker, stripMarker, withMarker } from '../marker';
import { describeError } from './errors';
import { isClaimable, planQueuedSignals, type QueuedPlan } from './queued-jobs-plan';
import type { RetryBook } from './retry-book';

/** Redis actions in flight at once: ioredis pipelines them on its one connection. */
const ACT_CONCURRENCY = 500;
/** Signals per slice of a large run, and slices in flight at once. */
const SLICE = 2000;
const SLICES_AT_ONCE = 2;
/** Job ids compared as numbers where they are (BullMQ's default ids), else as text. */
const NEWEST_FIRST = new Intl.Collator('en', { numeric: true });
/** Children of a removed flow parent named in its cancel's outcome, at most. */
const CHILDREN_LISTED = 100;
/** What a race with a worker that took the job looks like: its holder acts instead. */
const GRABBED = /locked|not in the delayed state|does not exist|Missing key|could not be removed/i;

interface Env {
  db: Database;
  workerId: string;
  retries: RetryBook;
  log(msg: string, err?: unknown): void;
}

/**
 * Acts on open signals of jobs that no worker of this process holds (queued or
 * paused jobs): reads what the decision needs of each job in pipelined batches
 * (never whole jobs), lets planQueuedSignals decide, claims what it decided on
 * (atomic, so two processes never both act), acts on Redis, and records the
 * outcomes in one statement. An action Redis refuses is retried with back-off
 * (RetryBook) and, after a bound, ends superseded with the reason.
 */
export async function actOnQueuedJobs(
  env: Env,
  queue: Queue,
  signals: JobSignal[],
  allOpen: JobSignal[],
): Promise<QueuedOutcome> {
  const stale = staleClaimSeconds();
  const now = Date.now();
  const candidates = signals.filter(
    (s) => isClaimable(s, stale, now, env.workerId) && env.retries.due(s.id, now),
  );
  if (candidates.length === 0) return { settled: [], running: [] };
  // Large runs (a bulk cancel) go in slices, two at a time, so one slice's Redis
  // work overlaps another's PostgreSQL work; a job's signals stay in one slice.
  const slices: JobSignal[][] = [];
  const byJob = new Map<string, JobSignal[]>();
  // Newest jobs first (BullMQ's default ids grow): see NEWEST_FIRST below.
  const ordered = [...candidates].sort((a, b) => NEWEST_FIRST.compare(b.jobId, a.jobId));
  for (const s of ordered) byJob.set(s.jobId, [...(byJob.get(s.jobId) ?? []), s]);
  let slice: JobSignal[] = [];
  for (const list of byJob.values()) {
    slice.push(...list);
    if (slice.length >= SLICE) {
      slices.push(slice);
      slice = [];
    }
  }
  if (slice.length > 0) slices.push(slice);
  const out: QueuedOutcome = { settled: [], running: [] };
  let next = 0;
  const lane = async () => {
    while (next < slices.length) {
      const mine = slices[next++] as JobSignal[];
      const { settled, running } = await actOnSlice(env, queue, mine, allOpen);
      out.settled.push(...settled);
      out.running.push(...running);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SLICES_AT_ONCE, slices.length) }, lane));
  return out;
}

export interface QueuedOutcome {
  /** Signals recorded as closed. */
  settled: number[];
  /** Signals of jobs running elsewhere: their holder acts on them, not this look. */
  running: number[];
}

/** One slice of actOnQueuedJobs: read, decide, claim, act, record. Returns the ids recorded. */
async function actOnSlice(
  env: Env,
  queue: Queue,
  candidates: JobSignal[],
  allOpen: JobSignal[],
): Promise<QueuedOutcome> {
  const jobs = await readJobFacts(queue, [...new Set(candidates.map((s) => s.jobId))], {
    withData: true,
  });
  const byId = new Map([...jobs].map(([id, job]) => [id, { job, state: job.state }]));
  const { plans, finishes } = planQueuedSignals(queue.name, candidates, byId, allOpen);
  const running = candidates.filter((c) => byId.get(c.jobId)?.state === 'active').map((c) => c.id);

  // The plan came from a view that may be stale by now (read before a slow Redis
  // call): we finish only signals we still win the claim on, never one another worker
  // took on meanwhile.
  const claimed = new Set(
    (
      await claimSignals(
        env.db,
        [...plans.map((p) => p.signal.id), ...finishes.map((f) => f.id)],
        env.workerId,
        { holder: false },
      )
    ).map((r) => r.id),
  );
  const done = finishes.filter((f) => claimed.has(f.id));
  const handBack: number[] = [];
  const gaveUp: SignalFinish[] = [];
  // Removing a waiting job is an LREM, which scans the wait list from its head, where
  // the newest jobs are: newest first, each scan stops early (six times less Redis
  // time than oldest first for 10,000 of 20,000 waiting jobs).
  const mine = plans
    .filter((p) => claimed.has(p.signal.id))
    .sort((a, b) => b.job.timestamp - a.job.timestamp);
  for (let i = 0; i < mine.length; i += ACT_CONCURRENCY) {
    await Promise.all(
      mine.slice(i, i + ACT_CONCURRENCY).map(async (p) => {
        try {
          const result = await perform(env, queue, p);
          env.retries.settled(p.signal.id);
          if (result) done.push(...result);
        } catch (err) {
          const why = describeError(err);
          if (GRABBED.test(why)) {
            // Most often the job was grabbed by a worker meanwhile: its holder acts instead.
            handBack.push(p.signal.id);
            return;
          }
          const { attempts, exhausted } = env.retries.failed(p.signal.id, why);
          if (exhausted) {
            gaveUp.push({
              id: p.signal.id,
              status: 'superseded',
              outcome: { reason: `could not act on the job: ${why}`, attempts },
            });
          } else handBack.push(p.signal.id);
          env.log(
            `could not act on signal ${p.signal.id} (${p.signal.signal} ${queue.name}/${p.signal.jobId}), attempt ${attempts}${exhausted ? ', giving up' : ''}`,
            err,
          );
        }
      }),
    );
  }
  const finished = await finishSignals(env.db, env.workerId, [...done, ...gaveUp]);
  // No notification: retrying at once is what made a refused action spin; the
  // holder of a grabbed job has it in its index, and the poll retries the rest.
  await handBackSignals(env.db, handBack, env.workerId, { notify: false });
  return { settled: finished.map((f) => f.id), running };
}

/** Carries out one planned action on Redis; returns the outcomes to record, or null (not yet). */
async function perform(
  env: Env,
  queue: Queue,
  p: QueuedPlan<JobFacts>,
): Promise<SignalFinish[] | null> {
  const { signal: s, job, state } = p;
  const marker = readMarker(job.data);
  switch (p.act) {
    case 'remove': {
      // A flow's parent takes its children with it (BullMQ removes them): name them.
      const children = state === 'waiting-children' ? await childrenOf(queue, job.id) : [];
      const removed = await queue.remove(job.id, { removeChildren: true });
      if (!removed) throw new Error(`Job ${job.id} could not be removed`);
      const outcome: Record<string, unknown> = {
        action: 'removed',
        from: state,
        jobName: job.name,
        data: stripMarker(job.data),
        attemptsMade: job.attemptsMade,
        timestamp: job.timestamp,
      };
      if (marker?.hasState) outcome.resumeState = marker.state ?? null;
      if (children.length > 0) {
        outcome.children = {
          count: children.length,
          jobs: children.slice(0, CHILDREN_LISTED),
        };
        await supersedeChildren(env, children, `${queue.name}/${job.id}`);
      }
      return [{ id: s.id, status: 'completed', outcome }];
    }
    case 'mark-cancel': {
      const full = await queue.getJob(job.id);
      if (!full) throw new Error(`Job ${job.id} does not exist`);
      await full.updateData(
        withMarker(full.data, {
          ...readMarker(full.data),
          cancelAtStart: { signalId: s.id, requestedBy: s.requestedBy, reason: s.reason },
        }),
      );
      // Delivered until the run starts: the worker that starts it cancels it and completes this.
      return null;
    }
    case 'park': {
      const full = await queue.getJob(job.id);
      if (!full) throw new Error(`Job ${job.id} does not exist`);
      await full.updateData(
        withMarker(full.data, {
          paused: { at: Date.now(), signalId: s.id, requestedBy: s.requestedBy, reason: s.reason },
          state: marker?.state,
          hasState: marker?.hasState,
        }),
      );
      await full.changeDelay(PARK_DELAY_MS);
      return [{ id: s.id, status: 'completed', outcome: { action: 'parked', from: state } }];
    }
    case 'promote': {
      const full = await queue.getJob(job.id);
      if (!full) throw new Error(`Job ${job.id} does not exist`);
      // Back to waiting; the resume stays delivered until the worker that starts the job completes it.
      await full.promote();
      return null;
    }
    case 'cancel-pause': {
      const pause = p.pause as JobSignal;
      const superseded = await finishSignals(env.db, env.workerId, [
        {
          id: pause.id,
          status: 'superseded',
          outcome: { reason: 'resumed before the pause took effect', by: s.id },
        },
      ]);
      if (superseded.length === 0) throw new Error('the pause took effect meanwhile');
      return [
        {
          id: s.id,
          status: 'completed',
          outcome: { action: 'cancelled the pause', pause: pause.id },
        },
      ];
    }
  }
}

/** A flow parent's direct children, as `{ queue, id }`, from its dependency keys. */
async function childrenOf(queue: Queue, id: string): Promise<{ queue: string; id: string }[]> {
  const full = await queue.getJob(id);
  if (!full) return [];
  const deps = await full.getDependencies();
  const keys = [
    ...Object.keys(deps.processed ?? {}),
    ...(deps.unprocessed ?? []),
    ...(deps.failed ?? []),
    ...(deps.ignored ? Object.keys(deps.ignored) : []),
  ];
  const prefix = `${queue.opts.prefix ?? 'bull'}:`;
  return [...new Set(keys)].map((key) => {
    // <prefix>:<queue>:<id>; queue names have no ':' (BullMQ refuses them).
    const rest = key.startsWith(prefix) ? key.slice(prefix.length) : key;
    const at = rest.indexOf(':');
    return { queue: rest.slice(0, at), id: rest.slice(at + 1) };
  });
}

/** Open signals on children a removed parent took with it end superseded, saying why. */
async function supersedeChildren(
  env: Env,
  children: { queue: string; id: string }[],
  parent: string,
): Promise<void> {
  const open = await openSignalsOfJobs(
    env.db,
    children.map((c) => ({ queue: c.queue, jobId: c.id })),
  );
  await supersedeSignals(
    env.db,
    open.map((o) => o.id),
    env.workerId,
    { reason: `removed with its parent ${parent}`, parent },
  );
}
