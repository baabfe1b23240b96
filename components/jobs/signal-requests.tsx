'use client';

import { useRouter } from 'next/navigation';
import {
  createContext,
  type ReactNode,
  use,
  useCallback,
  useMemo,
  useState,
  useTransition,
} from 'react';
import { toast } from 'sonner';
import type { JobRow, SignalActions, SignalKind } from '@/app/contracts';
import { CancelByNameDialog } from './cancel-by-name-dialog';
import { SignalDialog, type SignalDialogTarget } from './signal-dialog';
import { bulkToast, singleToast } from './signal-messages';

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
}

const Ctx = createContext<SignalRequests | null>(null);

export function useSignalRequests(): SignalRequests {
  const ctx = use(Ctx);
  if (!ctx) throw new Error('useSignalRequests needs a <SignalRequestsProvider>');
  return ctx;
}

const show = (t: { title: string; description: string; tone: string }) => {
  const fn =
    t.tone === 'success'
      ? toast.success
      : t.tone === 'warning'
        ? toast.warning
        : t.tone === 'error'
          ? toast.error
          : toast.info;
  fn(t.title, { description: t.description || undefined });
};

/**
 * Holds the confirmation dialogs and sends the server actions: one place for the
 * transition, the toast and the refresh, whichever button asked.
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

  const sendOne = useCallback(
    (signal: SignalKind, job: JobRow, reason: string | null) =>
      startTransition(async () => {
        const r = await actions.requestSignal({ queue: job.queue, jobId: job.id, signal, reason });
        if (!r.ok) {
          toast.error(`Could not ${signal} job ${job.id}.`, { description: r.error });
          return;
        }
        show(
          singleToast({
            signal,
            jobId: job.id,
            queue: job.queue,
            created: r.data.created,
            workers: r.data.workers,
          }),
        );
        setTarget(null);
        router.refresh();
      }),
    [router, actions],
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
        show(bulkToast({ signal, queue, ...r.data }));
        setTarget(null);
        after?.();
        router.refresh();
      }),
    [router, actions],
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
    }),
    [pending, sendOne, canSignal],
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
