'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import {
  createContext,
  type ReactNode,
  use,
  useCallback,
  useMemo,
  useRef,
  useState,
  useTransition,
} from 'react';
import { toast } from 'sonner';
import type { JobRow, SignalActions, SignalKind } from '@/app/contracts';
import { CancelByNameDialog } from './cancel-by-name-dialog';
import { useFollowToasts } from './follow-toasts';
import { SignalDialog, type SignalDialogTarget } from './signal-dialog';
import { bulkToast } from './signal-messages';
import { type FollowEntry, useFollow } from './use-follow';

type Target = SignalDialogTarget | { kind: 'name'; queue: string; name: string; workers: number };

interface SignalRequests {
  /** Asks for one job: confirms first for cancel, pause, and any signal to an unserved queue. */
  request: (signal: SignalKind, job: JobRow) => void;
  /** Asks for several jobs of one queue in one request, after a confirmation. */
  requestMany: (signal: SignalKind, jobs: JobRow[], onDone?: () => void) => void;
  /** Opens "Cancel all jobs named X", which counts them first. */
  cancelByName: (queue: string, name: string, workers: number) => void;
  /** A request is on its way. */
  pending: boolean;
  /** The signed-in user may signal (support or admin); viewers get no buttons. */
  canSignal: boolean;
  /** The newest signal asked for from this page, per row key, followed to its end. */
  followed: ReadonlyMap<string, FollowEntry>;
  /**
   * The list view (its filters, as a string) that single requests come from, or null
   * outside a list: a row asked for stays in view there until the view changes.
   */
  setScope: (scope: string | null) => void;
}

const Ctx = createContext<SignalRequests | null>(null);

export function useSignalRequests(): SignalRequests {
  const ctx = use(Ctx);
  if (!ctx) throw new Error('useSignalRequests needs a <SignalRequestsProvider>');
  return ctx;
}

const TONE = { success: toast.success, warning: toast.warning, error: toast.error } as const;

/**
 * Holds the confirmation dialogs and sends the server actions: one place for the
 * transition, the toast and the refresh, whichever button asked. Each request is
 * then followed to its end (useFollow): its row and its toast show what the worker
 * did, a bulk request its operation's progress.
 */
export function SignalRequestsProvider({
  actions,
  canSignal,
  children,
}: {
  actions: SignalActions;
  canSignal: boolean;
  children: ReactNode;
}) {
  const router = useRouter();
  const [target, setTarget] = useState<Target | null>(null);
  const [done, setDone] = useState<(() => void) | undefined>(undefined);
  const [pending, startTransition] = useTransition();
  const follow = useFollow();
  useFollowToasts(follow);
  const scope = useRef<string | null>(null);
  const { followSignal, followOperation, closeToast, unpin } = follow;

  const sendOne = useCallback(
    (signal: SignalKind, job: JobRow, reason: string | null) =>
      startTransition(async () => {
        const r = await actions.requestSignal({ queue: job.queue, jobId: job.id, signal, reason });
        if (!r.ok) {
          toast.error(`Could not ${signal} job ${job.id}.`, { description: r.error });
          return;
        }
        const s = r.data.signal;
        const open = s.status === 'pending' || s.status === 'delivered';
        followSignal({
          id: s.id,
          key: job.key,
          queue: job.queue,
          jobId: job.id,
          // Said at once: nothing will act on it until a worker starts.
          signal: open && r.data.workers === 0 ? { ...s, wait: { why: 'no-worker', forMs: 0 } } : s,
          clicked: job,
          scope: scope.current,
          existing: !r.data.created && open,
          repeatAgoMs: open ? null : r.data.finishedAgoMs,
        });
        setTarget(null);
        router.refresh();
      }),
    [router, actions, followSignal],
  );

  const sendMany = useCallback(
    (
      signal: SignalKind,
      queue: string,
      body: { jobIds: string[] } | { name: string },
      reason: string | null,
      after?: () => void,
    ) =>
      startTransition(async () => {
        const r = await actions.requestBulkSignals({ queue, signal, reason, ...body });
        if (!r.ok) {
          toast.error(`Could not ${signal} the jobs.`, { description: r.error });
          return;
        }
        const id = r.data.operationId;
        followOperation(id, queue);
        const t = bulkToast({ signal, queue, ...r.data });
        // The operation's toast: the follow replaces this with its progress.
        TONE[t.tone](t.title, {
          id: `operation-${id}`,
          duration: r.data.requested > 0 ? Number.POSITIVE_INFINITY : undefined,
          description: (
            <span className="block space-y-1" data-operation-toast={id}>
              {t.description ? <span className="block">{t.description}</span> : null}
              <Link href={`/operations/${id}`} className="font-medium underline underline-offset-2">
                Follow it on its page
              </Link>
            </span>
          ),
          onDismiss: () => closeToast('operation', id),
        });
        setTarget(null);
        after?.();
        router.refresh();
      }),
    [router, actions, followOperation, closeToast],
  );

  const value = useMemo<SignalRequests>(
    () => ({
      pending,
      canSignal,
      request: (signal, job) => {
        if (signal === 'resume' && job.workers > 0) sendOne(signal, job, null);
        else setTarget({ kind: 'single', signal, job });
      },
      requestMany: (signal, jobs, onDone) => {
        setDone(() => onDone);
        setTarget({ kind: 'many', signal, jobs });
      },
      cancelByName: (queue, name, workers) => setTarget({ kind: 'name', queue, name, workers }),
      followed: follow.byRow,
      setScope: (next) => {
        scope.current = next;
        if (next !== null) unpin(next);
      },
    }),
    [pending, sendOne, canSignal, follow.byRow, unpin],
  );

  const close = (open: boolean) => {
    if (!open && !pending) setTarget(null);
  };

  return (
    <Ctx value={value}>
      {children}
      <SignalDialog
        target={target && target.kind !== 'name' ? target : null}
        pending={pending}
        onOpenChange={close}
        onConfirm={(reason) => {
          if (!target || target.kind === 'name') return;
          const why = reason.trim() || null;
          if (target.kind === 'single') sendOne(target.signal, target.job, why);
          else {
            const queue = target.jobs[0]?.queue ?? '';
            sendMany(target.signal, queue, { jobIds: target.jobs.map((j) => j.id) }, why, done);
          }
        }}
      />
      <CancelByNameDialog
        count={actions.countNamedJobs}
        target={target?.kind === 'name' ? target : null}
        pending={pending}
        onOpenChange={close}
        onConfirm={(reason) => {
          if (target?.kind !== 'name') return;
          sendMany('cancel', target.queue, { name: target.name }, reason.trim() || null);
        }}
      />
    </Ctx>
  );
}
