'use client';

import { useEffect, useState } from 'react';
import type { JobRelations, JobRow, SignalKind } from '@/app/contracts';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { formatCount, oneLine, plural } from '../ui/format';
import { relationsHref } from './job-hrefs';
import { effectOf, unservedWarning, VERB } from './signal-messages';
import { childEffect, parentCancelEffect, schedulerCancelEffect } from './tie-messages';

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
  return [...byState].map(([state, n]) => `${formatCount(n)} ${state}`).join(', ');
}

/** What a bulk signal does to the scheduler runs and flow parents among the jobs. */
function describeTies(signal: SignalKind, jobs: JobRow[]): string {
  if (signal !== 'cancel') return '';
  const runs = jobs.filter((j) => j.schedulerId).length;
  const parents = jobs.filter((j) => j.state === 'waiting-children').length;
  const out: string[] = [];
  if (runs > 0)
    out.push(
      `${plural(runs, 'is a run', 'are runs')} of a job scheduler: those runs are skipped, the schedules go on.`,
    );
  if (parents > 0)
    out.push(
      `${plural(parents, 'is a flow parent', 'are flow parents')}: each is removed with all its children, in every queue.`,
    );
  return out.length > 0 ? ` Of these, ${out.join(' ')}` : '';
}

type Ties = { state: 'loading' } | { state: 'done'; relations: JobRelations } | { state: 'error' };

/**
 * A cancel's reach, read when its dialog opens (GET /api/jobs/:queue/:id/relations:
 * a few small Redis reads): a flow parent's children, a scheduler's schedule.
 */
function useTies(target: SignalDialogTarget | null): Ties | null {
  const job = target?.kind === 'single' && target.signal === 'cancel' ? target.job : null;
  const key = job ? relationsHref(job.queue, job.id) : null;
  // Keyed by the job, so a dialog for another job never shows the last one's answer.
  const [ties, setTies] = useState<{ key: string; ties: Ties } | null>(null);
  useEffect(() => {
    if (key === null) return;
    let live = true;
    fetch(key, { cache: 'no-store', headers: { accept: 'application/json' } })
      .then(async (res) => {
        if (!res.ok) throw new Error(String(res.status));
        const relations = (await res.json()) as JobRelations;
        if (live) setTies({ key, ties: { state: 'done', relations } });
      })
      .catch(() => {
        if (live) setTies({ key, ties: { state: 'error' } });
      });
    return () => {
      live = false;
    };
  }, [key]);
  if (key === null) return null;
  return ties?.key === key ? ties.ties : { state: 'loading' };
}

/** What the signal does to the job's scheduler, flow parent or children, in words. */
function tiesText(signal: SignalKind, job: JobRow, ties: Ties | null): string {
  const relations = ties?.state === 'done' ? ties.relations : null;
  const out: string[] = [];
  if (signal === 'cancel' && job.schedulerId)
    out.push(schedulerCancelEffect(job.schedulerId, relations?.scheduler ?? null));
  if (job.parent) out.push(childEffect(signal, job.parent, job.state));
  if (signal === 'cancel' && relations?.children) out.push(parentCancelEffect(relations.children));
  if (ties?.state === 'loading') out.push('Checking for child jobs…');
  if (ties?.state === 'error')
    out.push(
      'Could not check whether it has child jobs; if it is a flow parent, its children are removed with it.',
    );
  return out.join(' ');
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
  const ties = useTies(target);
  if (!target) return null;
  const { signal } = target;
  const withReason = signal !== 'resume';
  if (target.kind === 'single') {
    const { job } = target;
    const tied = tiesText(signal, job, ties);
    return (
      <ConfirmDialog
        open
        onOpenChange={onOpenChange}
        pending={pending}
        tone={signal === 'cancel' ? 'danger' : 'default'}
        title={`${VERB[signal]} job ${oneLine(job.id, 120)}?`}
        description={
          <>
            <span className="font-medium text-zinc-900 dark:text-zinc-100" title={job.name}>
              {oneLine(job.name, 200)}
            </span>{' '}
            in {oneLine(job.queue, 120)} is {job.state}. {effectOf(signal, job.state)}
            {tied ? (
              <span className="mt-2 block" data-testid="signal-ties">
                {tied}
              </span>
            ) : null}
          </>
        }
        confirmLabel={`${VERB[signal]} job`}
        confirmDisabled={ties?.state === 'loading'}
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
      title={`${VERB[signal]} ${plural(n, 'job')} in ${oneLine(queue, 120)}?`}
      description={`${describeStates(target.jobs)}. ${MANY_EFFECT[signal]}${describeTies(signal, target.jobs)} Jobs whose state does not allow it are skipped, and the answer says why.`}
      confirmLabel={`${VERB[signal]} ${plural(n, 'job')}`}
      reasonMax={withReason ? REASON_MAX : undefined}
      warning={target.jobs.some((j) => j.workers === 0) ? unservedWarning(queue) : undefined}
      onConfirm={onConfirm}
    />
  );
}
