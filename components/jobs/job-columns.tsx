'use client';

import Link from 'next/link';
import type { JobRow } from '@/app/contracts';
import { dataTableColumnHelper, selectColumn } from '../data-table';
import { formatCount, oneLine } from '../ui/format';
import { ProgressBar } from '../ui/progress-bar';
import { RelativeTime } from '../ui/relative-time';
import { StateBadge } from '../ui/state-badge';
import { TruncatedText } from '../ui/truncated-text';
import { JobActions } from './job-actions';
import { jobHref } from './job-hrefs';
import { SignalCell } from './signal-cell';

const col = dataTableColumnHelper<JobRow>();

const ACTIONS_CELL = [
  'sticky right-0 w-px bg-white text-right shadow-[-1px_0_0_var(--color-zinc-100)]',
  '[thead_&]:bg-zinc-50 [tr:hover>&]:bg-zinc-50 [tr[data-state=selected]>&]:bg-blue-50',
  'dark:bg-zinc-900 dark:shadow-[-1px_0_0_var(--color-zinc-800)] dark:[thead_&]:bg-zinc-900',
  'dark:[tr:hover>&]:bg-zinc-800 dark:[tr[data-state=selected]>&]:bg-blue-950',
].join(' ');

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
    meta: { className: 'max-w-40' },
    cell: (c) => (
      // Ids are free text up to 2,048 bytes: one line, cut, the whole on hover and copy.
      <TruncatedText
        text={c.getValue()}
        copyLabel={`id of job ${oneLine(c.getValue(), 60)}`}
        copyFocusable={false}
      >
        <Link
          href={jobHref(c.row.original.queue, c.getValue())}
          className="min-w-0 truncate font-mono text-xs font-medium text-blue-700 underline-offset-2 hover:underline dark:text-blue-400"
          title={c.getValue()}
          prefetch={false}
        >
          {oneLine(c.getValue())}
        </Link>
      </TruncatedText>
    ),
  }),
  col.accessor('name', {
    header: 'Name',
    enableSorting: false,
    meta: { className: 'max-w-48' },
    cell: (c) => (
      <TruncatedText
        text={c.getValue()}
        className="font-medium"
        copyLabel={`name of job ${oneLine(c.row.original.id, 60)}`}
        copyFocusable={false}
      />
    ),
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
        {formatCount(c.row.original.attemptsMade)} / {formatCount(c.row.original.maxAttempts)}
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
    // Pinned to the right edge: when many columns make the table scroll sideways
    // (all queues, long queue names), the actions stay in view. Opaque, so the
    // columns scrolling under it do not show through.
    meta: { className: ACTIONS_CELL },
    cell: (c) => <JobActions job={c.row.original} compact />,
  }),
]);

/** Every queue's jobs: with a Queue column. */
export const jobColumnsAllQueues = [select, queue, ...columns];
/** One queue's jobs: the Queue column would say the same thing on every row. */
export const jobColumnsOneQueue = [select, ...columns];
