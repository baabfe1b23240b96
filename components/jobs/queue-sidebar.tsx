'use client';

import Link from 'next/link';
import type { MouseEvent, ReactNode } from 'react';
import type { JobStateName, QueueSummary } from '@/app/contracts';
import type { UrlState } from '../data-table';
import { cn } from '../ui/cn';
import { formatCount } from '../ui/format';

const SHOWN: JobStateName[] = [
  'active',
  'waiting',
  'prioritized',
  'delayed',
  'paused',
  'waiting-children',
];

export function sumCounts(queues: QueueSummary[]): Record<JobStateName, number> {
  const out = {} as Record<JobStateName, number>;
  for (const q of queues)
    for (const [state, n] of Object.entries(q.counts) as [JobStateName, number][])
      out[state] = (out[state] ?? 0) + n;
  return out;
}

function open(counts: Record<JobStateName, number>): number {
  return SHOWN.reduce((n, s) => n + (counts[s] ?? 0), 0);
}

function Item({
  href,
  active,
  onNavigate,
  children,
}: {
  href: string;
  active: boolean;
  onNavigate: (e: MouseEvent<HTMLAnchorElement>) => void;
  children: ReactNode;
}) {
  return (
    <li>
      <Link
        href={href}
        onClick={onNavigate}
        aria-current={active ? 'page' : undefined}
        className={cn(
          'block rounded-lg px-3 py-2 text-sm transition-colors focus-visible:outline-2 focus-visible:outline-blue-600',
          active
            ? 'bg-white shadow-xs ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800'
            : 'hover:bg-zinc-100 dark:hover:bg-zinc-900',
        )}
      >
        {children}
      </Link>
    </li>
  );
}

/** Every queue found in Redis with its per-state counts and whether a Signal Desk worker serves it. */
export function QueueSidebar({
  queues,
  current,
  url,
}: {
  queues: QueueSummary[];
  current: string | undefined;
  url: UrlState;
}) {
  // Plain clicks navigate inside the URL state's transition (so the table dims while
  // it loads); modified clicks keep the link's own behaviour (new tab, copy).
  const go = (queue: string | null) => (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
    e.preventDefault();
    url.setParams({ queue });
  };
  const all = sumCounts(queues);
  return (
    <nav aria-label="Queues" className="hidden lg:block">
      <h2 className="mb-2 px-3 text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
        Queues
      </h2>
      <ul className="space-y-0.5">
        <Item href={url.hrefWith({ queue: null })} active={!current} onNavigate={go(null)}>
          <span className="flex items-center justify-between gap-2">
            <span className="font-medium">All queues</span>
            <span className="text-xs text-zinc-500 tabular-nums">{formatCount(open(all))}</span>
          </span>
        </Item>
        {queues.map((q) => (
          <Item
            key={q.name}
            href={url.hrefWith({ queue: q.name })}
            active={current === q.name}
            onNavigate={go(q.name)}
          >
            <span className="flex items-center justify-between gap-2">
              <span className="truncate font-medium" title={q.name}>
                {q.name}
              </span>
              <span className="text-xs text-zinc-500 tabular-nums">
                {formatCount(open(q.counts))}
              </span>
            </span>
            <span className="mt-0.5 flex flex-wrap gap-x-2 text-xs text-zinc-500 dark:text-zinc-400">
              {SHOWN.filter((s) => q.counts[s] > 0).map((s) => (
                <span key={s} className="tabular-nums">
                  {formatCount(q.counts[s])} {s}
                </span>
              ))}
            </span>
            <span
              className={cn(
                'mt-1 flex items-center gap-1 text-xs',
                q.workers > 0
                  ? 'text-emerald-700 dark:text-emerald-400'
                  : 'text-amber-700 dark:text-amber-400',
              )}
            >
              <span
                className={cn(
                  'size-1.5 rounded-full',
                  q.workers > 0 ? 'bg-emerald-500' : 'bg-amber-500',
                )}
                aria-hidden="true"
              />
              {q.workers > 0
                ? `${q.workers} Signal Desk ${q.workers === 1 ? 'worker' : 'workers'}`
                : 'no Signal Desk worker'}
            </span>
          </Item>
        ))}
      </ul>
    </nav>
  );
}
