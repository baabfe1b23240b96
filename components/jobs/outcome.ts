import type { SignalView } from '@/app/contracts';

const DURING: Record<string, string> = {
  checkpoint: 'at a checkpoint',
  start: 'as the job started',
  abort: 'after its aborted work stopped it',
};

const short = (v: unknown) => {
  const s = JSON.stringify(v);
  return s && s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

/** What the worker did, in words, from a finished signal's outcome. */
export function describeOutcome(s: Pick<SignalView, 'status' | 'outcome'>): string | null {
  const o = s.outcome ?? {};
  if (s.status === 'superseded')
    return typeof o.reason === 'string' ? `Nothing to act on: ${o.reason}.` : 'Nothing to act on.';
  if (s.status !== 'completed') return null;
  const at = o.at !== undefined && o.at !== null ? ` at ${short(o.at)}` : '';
  switch (o.action) {
    case 'cancelled': {
      const during = typeof o.during === 'string' ? ` ${DURING[o.during] ?? o.during}` : '';
      const cleanup =
        typeof o.cleanup === 'string' && o.cleanup !== 'ok'
          ? ` Cleanup ${o.cleanup}.`
          : o.cleanup === 'ok'
            ? ' Cleanup ran.'
            : '';
      return `Cancelled${during}${at}.${cleanup}`;
    }
    case 'removed':
      return 'Removed from the queue before it started.';
    case 'parked':
      return `Parked${at}; the worker slot was freed.`;
    case 'resumed':
      return o.from !== undefined && o.from !== null
        ? `Resumed from ${short(o.from)}.`
        : 'Resumed.';
    case 'cancelled the pause':
      return 'Cancelled the pause before it took effect.';
    default:
      return typeof o.action === 'string'
        ? `${o.action[0]?.toUpperCase()}${o.action.slice(1)}.`
        : 'Done.';
  }
}
