'use client';

import type { JobRow, SignalKind } from '@/app/contracts';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { plural } from '../ui/format';
import { effectOf, unservedWarning, VERB } from './signal-messages';

export type SignalDialogTarget =
  | { kind: 'single'; signal: SignalKind; job: JobRow }
  | { kind: 'many'; signal: SignalKind; jobs: JobRow[] };

const REASON_MAX = 500;

const MANY_EFFECT: Record<SignalKind, string> = {
  cancel:
    'Queued jobs are removed; running ones stop at their next checkpoint and are never retried.',
  pause:
    'Running jobs park at their next checkpoint with their progress saved; queued ones are parked before they start.',
  resume: 'Paused jobs go back to the queue and continue from where they stopped.',
};

function describeStates(jobs: JobRow[]): string {
  const byState = new Map<string, number>();
  for (const j of jobs) byState.set(j.state, (byState.get(j.state) ?? 0) + 1);
  return [...byState].map(([state, n]) => `${n} ${state}`).join(', ');
}

/** The confirmation for one job or a selection: says what will happen, asks for a reason. */
export function SignalDialog({
  target,
  pending,
  onOpenChange,
  onConfirm,
}: {
  target: SignalDialogTarget | null;
  pending: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: (reason: string) => void;
}) {
  if (!target) return null;
  const { signal } = target;
  const withReason = signal !== 'resume';
  if (target.kind === 'single') {
    const { job } = target;
    return (
      <ConfirmDialog
        open
        onOpenChange={onOpenChange}
        pending={pending}
        tone={signal === 'cancel' ? 'danger' : 'default'}
        title={`${VERB[signal]} job ${job.id}?`}
        description={
          <>
            <span className="font-medium text-zinc-900 dark:text-zinc-100">{job.name}</span> in{' '}
            {job.queue} is {job.state}. {effectOf(signal, job.state)}
          </>
        }
        confirmLabel={`${VERB[signal]} job`}
        reasonMax={withReason ? REASON_MAX : undefined}
        warning={job.workers === 0 ? unservedWarning(job.queue) : undefined}
        onConfirm={onConfirm}
      />
    );
  }
  const queue = target.jobs[0]?.queue ?? '';
  const n = target.jobs.length;
  return (
    <ConfirmDialog
      open
      onOpenChange={onOpenChange}
      pending={pending}
      tone={signal === 'cancel' ? 'danger' : 'default'}
      title={`${VERB[signal]} ${plural(n, 'job')} in ${queue}?`}
      description={`${describeStates(target.jobs)}. ${MANY_EFFECT[signal]} Jobs whose state does not allow it are skipped, and the answer says why.`}
      confirmLabel={`${VERB[signal]} ${plural(n, 'job')}`}
      reasonMax={withReason ? REASON_MAX : undefined}
      warning={target.jobs.some((j) => j.workers === 0) ? unservedWarning(queue) : undefined}
      onConfirm={onConfirm}
    />
  );
}
