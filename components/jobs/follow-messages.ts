/**
 * The words of what happened after a click: a followed signal's step and outcome
 * ("cancelled in 38 ms · cleanup ran"), why a late signal waits, and how far a
 * bulk operation got. Pure functions, shared by the jobs table, the toasts, the
 * job page and the operation page.
 */
import type { OperationProgress, SignalView, SignalWait } from '@/app/contracts';
import { formatCount, formatDuration, plural, toMillis } from '../ui/format';
import { VERB } from './signal-messages';

export type FollowTone = 'waiting' | 'late' | 'done' | 'skipped';

const DONE_WORD = { cancel: 'cancelled', pause: 'paused', resume: 'resumed' } as const;

const short = (v: unknown) => {
  const s = JSON.stringify(v);
  return s && s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

/** "the job completed first" from the worker's "job completed first". */
const theJob = (reason: string) => reason.replace(/^job\b/, 'the job');

/** From request to the worker's answer, or null while open. */
export function tookMs(s: Pick<SignalView, 'createdAt' | 'completedAt'>): number | null {
  const from = toMillis(s.createdAt);
  const to = toMillis(s.completedAt);
  return from === null || to === null ? null : to - from;
}

/** What a finished signal did, in a short line: "cancelled in 38 ms · cleanup ran". */
function finishedLine(s: SignalView): string {
  const o = s.outcome ?? {};
  const took = tookMs(s);
  const inTime = took === null ? '' : ` in ${formatDuration(took)}`;
  if (s.status === 'superseded') {
    return typeof o.reason === 'string'
      ? `superseded: ${theJob(o.reason)}`
      : 'superseded: nothing to act on';
  }
  if (o.action === 'removed') return `cancelled${inTime} · removed before it started`;
  if (o.action === 'cancelled the pause') return `resumed${inTime} · the pause never took effect`;
  const parts = [`${DONE_WORD[s.signal]}${inTime}`];
  if (o.action === 'cancelled') {
    if (o.cleanup === 'ok') parts.push('cleanup ran');
    else if (typeof o.cleanup === 'string') parts.push(`cleanup ${o.cleanup}`);
  }
  if (o.action === 'parked' && o.at !== undefined && o.at !== null)
    parts.push(`saved ${short(o.at)}`);
  if (o.action === 'resumed' && o.from !== undefined && o.from !== null)
    parts.push(`from ${short(o.from)}`);
  return parts.join(' · ');
}

/**
 * Where a signal is, in a line for its row: requested → delivered → its outcome,
 * and the tone to show it in (late when it waits past the time a worker takes).
 */
export function followLine(s: SignalView): { text: string; tone: FollowTone } {
  if (s.status === 'completed') return { text: finishedLine(s), tone: 'done' };
  if (s.status === 'superseded') return { text: finishedLine(s), tone: 'skipped' };
  const tone = s.wait ? 'late' : 'waiting';
  if (s.status === 'pending') return { text: `${s.signal} requested`, tone };
  return { text: `delivered to ${s.workerId ?? 'a worker'}`, tone };
}

/** Why a late signal waits, in one or two sentences. */
export function describeWait(w: SignalWait, queue: string): string {
  const d = formatDuration;
  switch (w.why) {
    case 'no-worker':
      return `No Signal Desk worker serves ${queue}: the signal waits until one starts.`;
    case 'holder-gone':
      return `The worker running the job (${w.workerId}) has sent no heartbeat for ${d(w.silentMs)}: it may have stopped. The signal is acted on when the job runs again.`;
    case 'holder-foreign':
      return `The job runs on ${w.workerId}, which is not a Signal Desk worker and does not see signals.`;
    case 'no-checkpoint':
      return `Delivered to ${w.workerId ?? 'its worker'} ${d(w.forMs)} ago; the job has not reached a checkpoint since.`;
    case 'claim-stuck':
      return `Claimed by ${w.workerId ?? 'a worker'} ${d(w.forMs)} ago and not done yet; another worker takes it over after 30 s.`;
    case 'not-taken':
      return `Waiting ${d(w.forMs)}: ${plural(w.workers, 'worker')} ${w.workers === 1 ? 'serves' : 'serve'} ${queue}, and none has taken it yet (is the queue paused, or are its workers busy?).`;
  }
}

/** The same in a few words, for a table cell. */
export function waitShort(w: SignalWait): string {
  const d = formatDuration;
  switch (w.why) {
    case 'no-worker':
      return 'no worker serves the queue';
    case 'holder-gone':
      return `worker silent for ${d(w.silentMs)}`;
    case 'holder-foreign':
      return 'not a Signal Desk worker';
    case 'no-checkpoint':
      return `no checkpoint for ${d(w.forMs)}`;
    case 'claim-stuck':
      return `claimed ${d(w.forMs)} ago, not done`;
    case 'not-taken':
      return `not taken for ${d(w.forMs)}`;
  }
}

export interface FollowToast {
  title: string;
  description: string;
  tone: 'success' | 'info' | 'warning' | 'loading';
  /** Still open: the toast stays until it ends. */
  open: boolean;
}

/**
 * The toast of one followed signal, from request to outcome. `existing`: the request
 * met an open signal of its kind; `repeatAgoMs`: it repeated one that had finished
 * this long ago (a double click).
 */
export function followToast(
  s: SignalView,
  jobId: string,
  queue: string,
  {
    existing = false,
    repeatAgoMs = null,
  }: { existing?: boolean; repeatAgoMs?: number | null } = {},
): FollowToast {
  const verb = VERB[s.signal];
  if (repeatAgoMs !== null && s.status !== 'pending' && s.status !== 'delivered') {
    const what =
      s.status === 'completed'
        ? `was already ${DONE_WORD[s.signal]}`
        : `already had a ${s.signal}, not needed`;
    return {
      title: `Job ${jobId} ${what} ${formatDuration(repeatAgoMs)} ago by ${s.requestedBy}.`,
      description: `Nothing new was written. ${capital(finishedLine(s))}.`,
      tone: 'info',
      open: false,
    };
  }
  if (s.status === 'completed') {
    const [head, ...rest] = finishedLine(s).split(' · ');
    return {
      title: `Job ${jobId} ${head}.`,
      description: rest.length > 0 ? `${capital(rest.join(' · '))}.` : '',
      tone: 'success',
      open: false,
    };
  }
  if (s.status === 'superseded') {
    const why = typeof s.outcome?.reason === 'string' ? theJob(s.outcome.reason) : null;
    return {
      title: `Job ${jobId}: the ${s.signal} was not needed.`,
      description: why ? `${capital(why)}.` : 'There was nothing to act on.',
      tone: 'info',
      open: false,
    };
  }
  const step =
    s.status === 'pending'
      ? 'Waiting for a worker to take it.'
      : `Delivered to ${s.workerId ?? 'a worker'}; it acts at the job's next checkpoint.`;
  return {
    title: existing
      ? `Job ${jobId} already has an open ${s.signal}.`
      : `${verb} requested for job ${jobId}.`,
    description: s.wait ? describeWait(s.wait, queue) : step,
    tone: s.wait ? 'warning' : 'loading',
    open: true,
  };
}

const capital = (t: string) => (t ? `${t[0]?.toUpperCase()}${t.slice(1)}` : t);

/** Done (acted on or superseded) out of the signals written, 0–100. */
export function operationPercent(p: OperationProgress): number {
  return p.written === 0 ? 100 : Math.round(((p.acted + p.superseded) / p.written) * 100);
}

/** Whether nothing of the operation is left to happen. */
export const operationDone = (p: OperationProgress): boolean => p.open === 0;

/**
 * "Cancel in reports: 1,234 of 2,000 jobs done" and the counts behind it, for the
 * operation's toast and page.
 */
export function operationSummary(p: OperationProgress): {
  title: string;
  counts: string;
  tone: 'success' | 'warning' | 'loading' | 'info';
} {
  const { signal, queue } = p.operation;
  const verb = VERB[signal];
  const done = p.acted + p.superseded;
  const counts: string[] = [`${formatCount(p.acted)} ${DONE_WORD[signal]}`];
  if (p.superseded > 0) counts.push(`${formatCount(p.superseded)} superseded`);
  if (p.open > 0) counts.push(`${formatCount(p.open)} still open`);
  if (p.alreadyOpen > 0) counts.push(`${formatCount(p.alreadyOpen)} already had one open`);
  if (p.skippedCount > 0) counts.push(`${formatCount(p.skippedCount)} skipped`);
  if (p.written === 0) {
    return {
      title: `${verb} in ${queue}: nothing new to do for ${plural(p.operation.jobCount, 'job')}.`,
      counts: counts.slice(1).join(' · ') || 'no jobs',
      tone: 'info',
    };
  }
  const end = toMillis(p.finishedAt);
  const start = toMillis(p.operation.createdAt);
  const took = end !== null && start !== null ? end - start : null;
  const title =
    p.open === 0
      ? `${verb} in ${queue}: ${plural(p.written, 'job')} done${took === null ? '' : ` in ${formatDuration(took)}`}.`
      : `${verb} in ${queue}: ${formatCount(done)} of ${plural(p.written, 'job')} done.`;
  return {
    title,
    counts: counts.join(' · '),
    tone: p.open > 0 ? 'loading' : p.skippedCount > 0 ? 'warning' : 'success',
  };
}
