'use client';

import Link from 'next/link';
import { useEffect, useRef } from 'react';
import { type ExternalToast, toast } from 'sonner';
import { ProgressBar } from '../ui/progress-bar';
import { followToast, operationPercent, operationSummary } from './follow-messages';
import { jobHref } from './job-actions';
import type { Follow } from './use-follow';

/** How long a toast stays once its signal or operation ended. */
const DONE_MS = 10_000;

const KIND = {
  success: toast.success,
  info: toast.info,
  warning: toast.warning,
  loading: toast,
} as const;

const linkClass = 'font-medium underline underline-offset-2';

/**
 * Keeps one toast per followed signal and operation up to date as it moves on:
 * requested → delivered → its outcome, or an operation's progress. A toast stays
 * while its subject is open and for a few seconds after; one the person closed is
 * never brought back (the row still shows the outcome).
 */
export function useFollowToasts(follow: Follow): void {
  const shown = useRef(new Map<string, string>());
  const { signals, operations, closeToast } = follow;

  useEffect(() => {
    const put = (
      id: string,
      key: string,
      title: string,
      tone: keyof typeof KIND,
      opts: ExternalToast,
    ) => {
      if (shown.current.get(id) === key) return;
      shown.current.set(id, key);
      KIND[tone](title, { id, ...opts });
    };
    for (const e of signals.values()) {
      if (!e.toast) continue;
      const t = followToast(e.signal, e.jobId, e.queue, {
        repeatAgoMs: e.repeatAgoMs,
        existing: e.existing,
      });
      const id = `signal-${e.id}`;
      put(id, JSON.stringify(t), t.title, t.tone, {
        duration: t.open ? Number.POSITIVE_INFINITY : DONE_MS,
        description: (
          <span data-follow-toast={e.id} data-signal-status={e.signal.status}>
            {t.description}{' '}
            <Link href={jobHref(e.queue, e.jobId)} className={linkClass}>
              Open the job page
            </Link>
          </span>
        ),
        onDismiss: () => closeToast('signal', e.id),
        onAutoClose: () => closeToast('signal', e.id),
      });
    }
    for (const o of operations.values()) {
      if (!o.toast || !o.progress) continue;
      const p = o.progress;
      const sum = operationSummary(p);
      const pct = operationPercent(p);
      const id = `operation-${o.id}`;
      put(id, JSON.stringify([sum, pct]), sum.title, sum.tone, {
        duration: p.open > 0 ? Number.POSITIVE_INFINITY : DONE_MS,
        description: (
          <span className="block space-y-1" data-operation-toast={o.id} data-open={p.open}>
            <ProgressBar value={pct} label={`Progress of operation ${o.id}`} />
            <span className="block">{sum.counts}</span>
            <Link href={`/operations/${o.id}`} className={linkClass}>
              Follow it on its page
            </Link>
          </span>
        ),
        onDismiss: () => closeToast('operation', o.id),
        onAutoClose: () => closeToast('operation', o.id),
      });
    }
  }, [signals, operations, closeToast]);
}
