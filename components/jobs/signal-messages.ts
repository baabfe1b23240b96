/**
 * The words of signal requests: confirmations say what will happen, toasts say
 * what did. Pure functions, shared by the jobs table and the job page.
 */
import type { JobStateName, SignalKind } from '@/app/contracts';
import { formatCount, plural } from '../ui/format';

export const VERB: Record<SignalKind, string> = {
  cancel: 'Cancel',
  pause: 'Pause',
  resume: 'Resume',
};

const QUEUED = new Set<string>(['waiting', 'prioritized', 'delayed', 'waiting-children']);

/** What a signal will do to a job in its state, in one or two sentences. */
export function effectOf(signal: SignalKind, state: JobStateName | 'unknown'): string {
  if (signal === 'cancel') {
    if (state === 'active')
      return 'It stops at its next checkpoint: its cleanup runs and it ends as cancelled, never retried.';
    if (state === 'paused') return 'It is removed from the queue; its saved progress is dropped.';
    if (QUEUED.has(state)) return 'It is removed from the queue before it starts.';
    return 'It is cancelled.';
  }
  if (signal === 'pause') {
    if (state === 'active')
      return 'It parks at its next checkpoint with its progress saved, freeing its worker. Resume it later to continue from there.';
    return 'It is parked before it starts, until someone resumes it.';
  }
  return 'It goes back to the queue and continues from where it was paused.';
}

/** The warning shown before signalling a queue that no Signal Desk worker serves. */
export function unservedWarning(queue: string): string {
  return `No Signal Desk worker has served ${queue} in the last 30 seconds. The signal is still written and waits until one starts.`;
}

export interface BulkOutcome {
  signal: SignalKind;
  queue: string;
  requested: number;
  existing: number;
  skipped: { jobId: string; reason: string }[];
  workers: number | null;
}

const SHOWN_SKIPS = 3;

/** "Cancel requested for 3 jobs; 1 skipped." with the reasons of the first few skips. */
export function bulkToast(o: BulkOutcome): {
  title: string;
  description: string;
  tone: 'success' | 'warning' | 'error';
} {
  const skipped = o.skipped.length;
  const title =
    o.requested === 0
      ? `No ${o.signal} requested: all ${plural(skipped, 'job')} skipped.`
      : `${VERB[o.signal]} requested for ${plural(o.requested, 'job')}${skipped ? `; ${formatCount(skipped)} skipped` : ''}.`;
  const lines: string[] = [];
  if (o.existing > 0)
    lines.push(
      `${plural(o.existing, 'job')} already had an open ${o.signal}; nothing new was written for ${o.existing === 1 ? 'it' : 'them'}.`,
    );
  for (const s of o.skipped.slice(0, SHOWN_SKIPS)) lines.push(s.reason);
  if (skipped > SHOWN_SKIPS) lines.push(`…and ${formatCount(skipped - SHOWN_SKIPS)} more skipped.`);
  if (o.requested > 0 && o.workers === 0) lines.push(unservedWarning(o.queue));
  return {
    title,
    description: lines.join(' '),
    tone: o.requested === 0 ? 'error' : skipped > 0 || o.workers === 0 ? 'warning' : 'success',
  };
}
