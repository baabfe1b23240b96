'use client';

import type { JobRow, SignalView } from '@/app/contracts';
import { cn } from '../ui/cn';
import { SignalBadge } from '../ui/signal-badge';
import { type FollowTone, followLine } from './follow-messages';
import { useSignalRequests } from './signal-requests';
import { SignalWaitNote } from './signal-wait-note';

function signalTitle(s: SignalView): string {
  const parts = [`${s.signal} requested by ${s.requestedBy}`];
  if (s.reason) parts.push(`“${s.reason}”`);
  if (s.workerId) parts.push(`worker ${s.workerId}`);
  const why = s.outcome && typeof s.outcome.reason === 'string' ? s.outcome.reason : null;
  if (s.status === 'superseded' && why) parts.push(why);
  return parts.join(' · ');
}

const RANK = { pending: 0, delivered: 1, completed: 2, superseded: 2 } as const;

/** Of two reads of the same signal, the one further along its lifecycle. */
const further = (a: SignalView, b: SignalView) => (RANK[b.status] > RANK[a.status] ? b : a);

const LINE: Record<FollowTone, string> = {
  waiting: 'text-zinc-600 dark:text-zinc-400',
  late: 'text-zinc-600 dark:text-zinc-400',
  done: 'text-emerald-700 dark:text-emerald-400',
  skipped: 'text-zinc-500',
};

/**
 * The Signal column: the job's newest signal; for one asked for from this page, the
 * step it is at and then its outcome and time ("cancelled in 38 ms · cleanup ran");
 * for an open signal past the time a worker takes, why it waits.
 */
export function SignalCell({ job }: { job: JobRow }) {
  const { followed } = useSignalRequests();
  const f = followed.get(job.key);
  const latest = job.latestSignal;
  let s = latest;
  // A signal asked for here is followed more closely than the page re-reads, unless
  // someone asked for another one since.
  if (f && (!latest || f.signal.id > latest.id)) s = f.signal;
  else if (f && latest && f.signal.id === latest.id) s = further(f.signal, latest);
  if (!s) return <span className="text-zinc-400">—</span>;
  const line = f && f.signal.id === s.id ? followLine(s) : null;
  return (
    <div className="space-y-0.5" data-signal-id={s.id}>
      <span title={signalTitle(s)}>
        <SignalBadge signal={s.signal} status={s.status} />
      </span>
      {line ? (
        <p
          className={cn('max-w-56 truncate text-xs', LINE[line.tone])}
          title={line.text}
          data-signal-outcome={s.status}
        >
          {line.text}
        </p>
      ) : null}
      {/* Shown in a row the page keeps in view after the click (tr[data-pinned]). */}
      <p className="hidden text-xs text-zinc-500 in-data-[pinned=true]:block">
        kept until you change the filter
      </p>
      {s.wait ? (
        <div className="max-w-56 truncate">
          <SignalWaitNote wait={s.wait} queue={job.queue} />
        </div>
      ) : null}
    </div>
  );
}
