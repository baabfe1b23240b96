'use client';

import Link from 'next/link';
import { type MouseEvent, type ReactNode, useMemo, useState } from 'react';
import type { JobStateName, QueueSummary } from '@/app/contracts';
import type { UrlState } from '../data-table';
import { cn } from '../ui/cn';
import { formatCount } from '../ui/format';
import { printable } from '../ui/printable';

/** Queues listed before "show all": enough for most setups, short enough to tab past. */
export const SIDEBAR_SHOWN = 25;
/** The id of the jobs table, the target of the sidebar's skip link. */
export const JOBS_TABLE_ID = 'jobs-table';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });
/** Natural order: `q2` before `q10`. */
export const byName = (a: QueueSummary, b: QueueSummary) =>
  collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

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

/**
 * Every queue found in Redis with its per-state counts and whether a Signal Desk
 * worker serves it, in natural order, with a filter; past SIDEBAR_SHOWN queues
 * the rest wait behind "show all" (the current queue is always shown). A skip link
 * first jumps over the list to the table.
 */
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
  const [filter, setFilter] = useState('');
  const [showAll, setShowAll] = useState(false);
  const sorted = useMemo(() => [...queues].sort(byName), [queues]);
  const needle = filter.trim().toLowerCase();
  const matching = needle ? sorted.filter((q) => q.name.toLowerCase().includes(needle)) : sorted;
  const cut = !showAll && matching.length > SIDEBAR_SHOWN;
  const shown = cut ? matching.filter((q, i) => i < SIDEBAR_SHOWN || q.name === current) : matching;
  return (
    <nav aria-label="Queues" className="hidden lg:block">
      <a
        href={`#${JOBS_TABLE_ID}`}
        className="sr-only focus:not-sr-only focus:mb-2 focus:block focus:rounded-md focus:bg-blue-50 focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-blue-800"
      >
        Skip to the jobs table
      </a>
      <h2 className="mb-2 px-3 text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
        Queues
      </h2>
      {queues.length > 8 ? (
        <div className="mb-2 px-1">
          <input
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder={`Filter ${formatCount(queues.length)} queues`}
            aria-label="Filter queues by name"
            className="h-8 w-full rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
          {needle ? (
            <p className="mt-1 px-1 text-xs text-zinc-500" aria-live="polite">
              {formatCount(matching.length)} of {formatCount(queues.length)} queues
            </p>
          ) : null}
        </div>
      ) : null}
      <ul className="space-y-0.5">
        <Item href={url.hrefWith({ queue: null })} active={!current} onNavigate={go(null)}>
          <span className="flex items-center justify-between gap-2">
            <span className="font-medium">All queues</span>
            <span className="text-xs text-zinc-500 tabular-nums">{formatCount(open(all))}</span>
          </span>
        </Item>
        {shown.map((q) => (
          <Item
            key={q.name}
            href={url.hrefWith({ queue: q.name })}
            active={current === q.name}
            onNavigate={go(q.name)}
          >
            <span className="flex items-center justify-between gap-2">
              <span className="truncate font-medium" title={printable(q.name)}>
                {printable(q.name)}
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
      {cut ? (
        <button
          type="button"
          onClick={() => setShowAll(true)}
          className="mt-1 w-full rounded-lg px-3 py-2 text-left text-sm text-blue-700 hover:bg-zinc-100 dark:text-blue-400 dark:hover:bg-zinc-900"
        >
          Show all {formatCount(matching.length)} queues
        </button>
      ) : null}
    </nav>
  );
}
