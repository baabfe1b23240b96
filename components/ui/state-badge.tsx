import type { JobStateName } from '@/app/contracts';
import { Badge, type BadgeTone } from './badge';

const TONE: Record<JobStateName | 'unknown', BadgeTone> = {
  waiting: 'sky',
  prioritized: 'violet',
  delayed: 'amber',
  'waiting-children': 'gray',
  active: 'blue',
  paused: 'orange',
  completed: 'green',
  failed: 'red',
  cancelled: 'gray',
  unknown: 'gray',
};

/** A job's state as BullMQ names it, plus our paused and cancelled. */
export function StateBadge({ state }: { state: JobStateName | 'unknown' }) {
  return (
    <Badge tone={TONE[state]} data-state-badge={state}>
      {state === 'active' ? (
        <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden="true" />
      ) : null}
      {state}
    </Badge>
  );
}
