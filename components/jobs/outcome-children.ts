import type { SignalView } from '@/app/contracts';
import { formatCount, plural } from '../ui/format';

/** How many removed children an outcome names in words; the outcome (JSON) lists up to 100. */
const NAMED = 3;

interface ChildRef {
  queue: string;
  id: string;
}

/**
 * The children a cancel removed with their flow parent, in words, from the
 * outcome's `children`: `{ count, jobs: [{ queue, id }] }` (at most 100 listed).
 * Null when the outcome names none. Beside describeOutcome (outcome.ts), which
 * says what happened to the job itself.
 */
export function describeRemovedChildren(s: Pick<SignalView, 'status' | 'outcome'>): string | null {
  if (s.status !== 'completed') return null;
  const c = s.outcome?.children as { count?: unknown; jobs?: unknown } | undefined;
  if (!c || typeof c !== 'object') return null;
  const jobs = (Array.isArray(c.jobs) ? c.jobs : []).filter(
    (j): j is ChildRef =>
      typeof j === 'object' &&
      j !== null &&
      typeof (j as ChildRef).queue === 'string' &&
      typeof (j as ChildRef).id === 'string',
  );
  const count = typeof c.count === 'number' ? c.count : jobs.length;
  if (count === 0) return null;
  const named = jobs.slice(0, NAMED).map((j) => `${j.queue}/${j.id}`);
  const rest = count - named.length;
  const list =
    named.length === 0
      ? ''
      : `: ${named.join(', ')}${rest > 0 ? ` and ${formatCount(rest)} more` : ''}`;
  return `${count === 1 ? 'Its child was' : `Its ${plural(count, 'child', 'children')} were`} removed with it${list}.`;
}
