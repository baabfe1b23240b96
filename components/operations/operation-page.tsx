'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import type { OperationPageData } from '@/app/contracts';
import { describeWait } from '../jobs/follow-messages';
import { jobHref } from '../jobs/job-actions';
import { Section } from '../jobs/job-sections';
import { VERB } from '../jobs/signal-messages';
import { LiveIndicator } from '../live/live-indicator';
import { useLiveRefresh } from '../live/use-live-refresh';
import { EmptyState } from '../ui/empty-state';
import { formatCount, formatDuration, plural } from '../ui/format';
import { RelativeTime } from '../ui/relative-time';
import { OperationProgressView } from './operation-progress';

/** How often the page re-reads while some of its signals are still open. */
const WAIT_REFRESH_MS = 5000;

/** How many skipped jobs the page lists; the rest are counted. */
const SKIPPED_SHOWN = 200;

const linkClass = 'text-blue-700 underline-offset-2 hover:underline dark:text-blue-400';

/**
 * /operations/[id]: one bulk request followed to its end: who, why, how many jobs;
 * its progress live (acted on, superseded and why, still open and why, skipped and why).
 */
export function OperationPage({ data }: { data: OperationPageData }) {
  const op = data.operation;
  // Its progress moves with its queue's signals; jobs' own events change nothing here.
  const status = useLiveRefresh((c) => c.all || c.signalQueues.includes(op.queue));
  const router = useRouter();
  const open = data.open > 0;
  useEffect(() => {
    if (!open) return;
    // While signals wait, how long they have waited (and why) moves with the clock alone.
    const timer = setInterval(() => router.refresh(), WAIT_REFRESH_MS);
    return () => clearInterval(timer);
  }, [open, router]);
  const target = op.name
    ? `every queued or running job named ${op.name}`
    : plural(op.jobCount, 'selected job');
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500">
        <Link href="/signals" className="hover:underline">
          Signals
        </Link>{' '}
        / Operation #{op.id}
      </nav>
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <h1 className="text-xl font-semibold tracking-tight">
            {VERB[op.signal]} {target} in {op.queue}
          </h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Requested by <span className="font-medium">{op.requestedBy}</span>{' '}
            <RelativeTime value={op.createdAt} /> for {plural(op.jobCount, 'job')}
            {op.reason ? (
              <>
                : <span className="italic">“{op.reason}”</span>
              </>
            ) : (
              ', no reason given'
            )}
            .
          </p>
        </div>
        <LiveIndicator status={status} />
      </header>

      <Section
        title="Progress"
        aside={
          <Link href={`/signals?operation=${op.id}`} className={linkClass}>
            Its {plural(data.written, 'signal')} in the audit list
          </Link>
        }
      >
        <OperationProgressView progress={data} />
      </Section>

      {data.supersededWhy.length > 0 ? (
        <Section title="Superseded: nothing to act on">
          <ul className="space-y-1 text-sm">
            {data.supersededWhy.map((w) => (
              <li key={w.reason} className="flex justify-between gap-4">
                <span>{w.reason}</span>
                <span className="tabular-nums text-zinc-500">{formatCount(w.count)}</span>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      {data.open > 0 ? (
        <Section
          title="Still open"
          aside={data.open > data.waiting.length ? `the oldest ${data.waiting.length}` : undefined}
        >
          <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
            {data.waiting.map((w) => (
              <li
                key={w.id}
                className="flex flex-wrap items-baseline gap-x-3 py-1.5"
                data-waiting={w.jobId}
              >
                <Link
                  href={jobHref(op.queue, w.jobId)}
                  className={`font-mono text-xs ${linkClass}`}
                >
                  {w.jobId}
                </Link>
                <span className="text-zinc-500">{w.status}</span>
                {w.wait ? (
                  <span
                    className="text-amber-700 dark:text-amber-400"
                    data-signal-wait={w.wait.why}
                  >
                    {describeWait(w.wait, op.queue)}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      <Section
        title="Skipped"
        aside={data.skipped.length > 0 ? plural(data.skipped.length, 'job') : undefined}
      >
        {data.skipped.length === 0 ? (
          <EmptyState title="Nothing skipped" className="py-6">
            Every job the request named allowed the {op.signal}.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800" data-skipped>
            {data.skipped.slice(0, SKIPPED_SHOWN).map((s) => (
              <li key={s.jobId} className="flex flex-wrap gap-x-3 py-1.5">
                <Link
                  href={jobHref(op.queue, s.jobId)}
                  className={`font-mono text-xs ${linkClass}`}
                >
                  {s.jobId}
                </Link>
                <span className="text-zinc-600 dark:text-zinc-400">{s.reason}</span>
              </li>
            ))}
            {data.skipped.length > SKIPPED_SHOWN ? (
              <li className="py-1.5 text-zinc-500">
                …and {formatCount(data.skipped.length - SKIPPED_SHOWN)} more.
              </li>
            ) : null}
          </ul>
        )}
      </Section>
      {data.finishedAt ? (
        <p className="text-xs text-zinc-500">
          Finished <RelativeTime value={data.finishedAt} />, in{' '}
          {formatDuration(Date.parse(data.finishedAt) - Date.parse(op.createdAt))}.
        </p>
      ) : null}
    </div>
  );
}
