/**
 * What a signal does to a job tied to others (a scheduler's run, a flow's parent
 * or child), in words: the dialogs say it before sending, the job page beside the
 * schedule and the flow. Pure, so server and browser say the same.
 */
import type {
  ChildrenView,
  JobRef,
  JobStateName,
  SchedulerView,
  SignalKind,
} from '@/app/contracts';
import { formatCount, formatDuration, plural } from '../ui/format';

/** "cron 0 3 * * * (Europe/Paris)", "every 5 min", or "its schedule" when unknown. */
export function describeSchedule(s: SchedulerView | null): string {
  if (!s?.exists) return 'its schedule';
  if (s.pattern) return `cron ${s.pattern}${s.tz ? ` (${s.tz})` : ''}`;
  if (s.every) return `every ${formatDuration(s.every)}`;
  return 'its schedule';
}

/** "reports/42", or the full key of a job under another prefix. */
export const refName = (r: JobRef): string => (r.queue === null ? r.key : `${r.queue}/${r.id}`);

/** What cancel does to a scheduler's run: it skips this run, and only this one. */
export function schedulerCancelEffect(schedulerId: string, s: SchedulerView | null): string {
  const which = `This is a run of job scheduler ${schedulerId}${s?.exists ? ` (${describeSchedule(s)})` : ''}.`;
  return (
    `${which} Cancel skips this run: the job stays in the queue until its time, then a Signal Desk ` +
    'worker ends it as cancelled before its processor runs. The schedule goes on and later runs are ' +
    'not affected; to stop the schedule, remove the scheduler.'
  );
}

/** "3 children (2 still to run, 1 completed) in cq and dq" */
export function describeChildren(c: ChildrenView): string {
  const parts = [
    c.pending ? `${formatCount(c.pending)} still to run` : '',
    c.processed ? `${formatCount(c.processed)} completed` : '',
    c.failed ? `${formatCount(c.failed)} failed` : '',
    c.ignored ? `${formatCount(c.ignored)} failed and ignored` : '',
  ].filter(Boolean);
  const queues = [...new Set(c.shown.map((r) => r.queue ?? 'another prefix'))];
  const where =
    queues.length === 0
      ? ''
      : ` in ${queues.length <= 3 ? joinWords(queues) : `${formatCount(queues.length)} queues`}${c.shown.length < c.total ? ' and more' : ''}`;
  return `${plural(c.total, 'child', 'children')} (${parts.join(', ')})${where}`;
}

/** What cancel does to a flow parent: BullMQ removes it with every child, in every queue. */
export function parentCancelEffect(c: ChildrenView): string {
  return (
    `It is a flow parent with ${describeChildren(c)}. Cancelling removes it and all of them, in ` +
    `every queue; open signals on those children end superseded. ${c.total === 1 ? 'The child is' : 'The children are'} listed in the cancel's outcome.`
  );
}

/** What a signal does to a flow child, and so to its parent. */
export function childEffect(
  signal: SignalKind,
  parent: JobRef,
  state: JobStateName | 'unknown',
): string {
  const of = `It is a child of ${refName(parent)} in a flow.`;
  if (signal === 'pause') return `${of} Its parent keeps waiting for it while it is paused.`;
  if (signal === 'resume') return `${of} Its parent waits until it finishes.`;
  if (state === 'active')
    return `${of} Cancelled, it ends failed; its parent then does what this child's failParentOnFailure or ignoreDependencyOnFailure option says (by default it waits).`;
  return `${of} Removed from its queue, it no longer holds its parent back: the parent goes on without it.`;
}

function joinWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
