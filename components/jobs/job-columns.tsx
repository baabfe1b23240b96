'use client';

import Link from 'next/link';
import type { JobRow } from '@/app/contracts';
import { dataTableColumnHelper, selectColumn } from '../data-table';
import { ProgressBar } from '../ui/progress-bar';
import { RelativeTime } from '../ui/relative-time';
import { StateBadge } from '../ui/state-badge';
import { JobActions, jobHref } from './job-actions';
import { SignalCell } from './signal-cell';

const col = dataTableColumnHelper<JobRow>();

const select = selectColumn<JobRow>((job) => `Select job ${job.id} of ${job.queue}`);
const queue = col.accessor('queue', {
  header: 'Queue',
  enableSorting: false,
  meta: { className: 'max-w-40' },
  cell: (c) => (
    <span className="block truncate text-zinc-600 dark:text-zinc-400">{c.getValue()}</span>
  ),
});

/**
 * The jobs table's columns. Only "added" sorts: BullMQ pages its lists by arrival,
 * and sorting any other field would mean loading every job.
 */
const columns = col.columns([
  col.accessor('id', {
    header: 'ID',
    enableSorting: false,
    cell: (c) => (
      <Link
        href={jobHref(c.row.original.queue, c.getValue())}
        className="font-mono text-xs font-medium text-blue-700 underline-offset-2 hover:underline dark:text-blue-400"
        prefetch={false}
      >
        {c.getValue()}
      </Link>
    ),
  }),
  col.accessor('name', {
    header: 'Name',
    enableSorting: false,
    meta: { className: 'max-w-56' },
    cell: (c) => <span className="block truncate font-medium">{c.getValue()}</span>,
  }),
  col.accessor('state', {
    header: 'State',
    enableSorting: false,
    cell: (c) => <StateBadge state={c.getValue()} />,
  }),
  col.accessor('progress', {
    header: 'Progress',
    enableSorting: false,
    meta: { className: 'w-32' },
    cell: (c) => (
      <ProgressBar
        value={c.getValue()}
        label={`Progress of job ${c.row.original.id}`}
        tone={
          c.row.original.state === 'paused'
            ? 'amber'
            : c.row.original.state === 'completed'
              ? 'green'
              : 'blue'
        }
      />
    ),
  }),
  col.display({
    id: 'attempts',
    header: 'Attempts',
    meta: { className: 'text-right tabular-nums' },
    cell: (c) => (
      <span className="text-zinc-600 dark:text-zinc-400">
        {c.row.original.attemptsMade} / {c.row.original.maxAttempts}
      </span>
    ),
  }),
  col.accessor('addedAt', {
    id: 'added',
    header: 'Added',
    enableSorting: true,
    sortDescFirst: true,
    meta: { label: 'added' },
    cell: (c) => <RelativeTime value={c.getValue()} className="text-zinc-600 dark:text-zinc-400" />,
  }),
  col.accessor('startedAt', {
    header: 'Started',
    enableSorting: false,
    cell: (c) => <RelativeTime value={c.getValue()} className="text-zinc-600 dark:text-zinc-400" />,
  }),
  col.accessor('latestSignal', {
    header: 'Signal',
    enableSorting: false,
    cell: (c) => <SignalCell job={c.row.original} />,
  }),
  col.display({
    id: 'actions',
    header: () => <span className="sr-only">Actions</span>,
    meta: { className: 'w-px text-right' },
    cell: (c) => <JobActions job={c.row.original} compact />,
  }),
]);

/** Every queue's jobs: with a Queue column. */
export const jobColumnsAllQueues = [select, queue, ...columns];
/** One queue's jobs: the Queue column would say the same thing on every row. */
export const jobColumnsOneQueue = [select, ...columns];
