'use client';

import { useEffect, useState } from 'react';
import type { SignalActions } from '@/app/contracts';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { formatCount, oneLine, plural } from '../ui/format';
import { unservedWarning } from './signal-messages';

type Count =
  | { state: 'loading' }
  | { state: 'done'; count: number; workers: number | null }
  | { state: 'error'; error: string };

/**
 * "Cancel all jobs named X in queue Q": counts the queued and running jobs first,
 * so the confirmation says exactly how many it will touch.
 */
export function CancelByNameDialog({
  target,
  count,
  pending,
  onOpenChange,
  onConfirm,
}: {
  target: { queue: string; name: string; workers: number } | null;
  count: SignalActions['countNamedJobs'];
  pending: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: (reason: string) => void;
}) {
  const [result, setResult] = useState<Count>({ state: 'loading' });
  const queue = target?.queue;
  const name = target?.name;
  useEffect(() => {
    if (!queue || !name) return;
    let live = true;
    setResult({ state: 'loading' });
    count({ queue, name })
      .then((r) => {
        if (live)
          setResult(r.ok ? { state: 'done', ...r.data } : { state: 'error', error: r.error });
      })
      .catch(() => {
        if (live)
          setResult({
            state: 'error',
            error: 'Could not count the jobs; the server did not answer.',
          });
      });
    return () => {
      live = false;
    };
  }, [queue, name, count]);

  const n = result.state === 'done' ? result.count : null;
  // A name may be 2,048 bytes long: the title shows its start; the server checks the whole.
  const named = `${oneLine(name ?? '', 120)} in ${oneLine(queue ?? '', 120)}`;
  const title =
    n === null
      ? `Cancel all jobs named ${named}?`
      : n === 0
        ? `No queued or running jobs named ${named}`
        : `Cancel ${plural(n, 'queued or running job')} named ${named}?`;
  const description =
    result.state === 'loading'
      ? 'Counting the queued (waiting, prioritized, delayed or paused) and running jobs of that name…'
      : result.state === 'error'
        ? result.error
        : n === 0
          ? 'There is nothing to cancel. Jobs that have already finished cannot be cancelled.'
          : 'Queued and paused ones are removed; running ones stop at their next checkpoint and are never retried. Jobs added after this count are not included.';
  const workers = result.state === 'done' ? result.workers : target?.workers;
  return (
    <ConfirmDialog
      open={target !== null}
      onOpenChange={onOpenChange}
      pending={pending}
      tone="danger"
      title={title}
      description={description}
      confirmLabel={n ? `Cancel ${formatCount(n)} ${n === 1 ? 'job' : 'jobs'}` : 'Cancel jobs'}
      confirmDisabled={!n}
      reasonMax={500}
      warning={workers === 0 && queue ? unservedWarning(queue) : undefined}
      onConfirm={onConfirm}
    />
  );
}
