'use client';

import Link from 'next/link';
import type { JobSignal, SignalKind, SignalStatus } from '@/app/contracts';
import { dataTableColumnHelper } from '../data-table';
import { jobHref } from '../jobs/job-actions';
import { describeOutcome } from '../jobs/outcome';
import { Badge, type BadgeTone } from '../ui/badge';
import { RelativeTime } from '../ui/relative-time';

const col = dataTableColumnHelper<JobSignal>();

const KIND_CLASS: Record<SignalKind, string> = {
  cancel: 'text-red-700 dark:text-red-300',
  pause: 'text-orange-700 dark:text-orange-300',
  resume: 'text-emerald-700 dark:text-emerald-300',
};
const STATUS_TONE: Record<SignalStatus, BadgeTone> = {
  pending: 'amber',
  delivered: 'blue',
  completed: 'green',
  superseded: 'gray',
};

const muted = 'text-zinc-600 dark:text-zinc-400';

/** Short in the row, the whole outcome (JSON) when expanded. */
function OutcomeCell({ signal }: { signal: JobSignal }) {
  if (!signal.outcome) return <span className="text-zinc-400">—</span>;
  const words = describeOutcome(signal) ?? 'Outcome';
  const full = JSON.stringify(signal.outcome, null, 2);
  return (
    <details className="group max-w-72">
      <summary className="cursor-pointer truncate text-xs" title={full}>
        {words}
      </summary>
      <pre className="mt-1 max-h-60 overflow-auto rounded bg-zinc-100 p-2 text-[11px] whitespace-pre-wrap dark:bg-zinc-800">
        {full}
      </pre>
    </details>
  );
}

/**
 * The audit table's columns. Only the columns an index can order sort (request
 * time, id, queue, status, requester): sorting any other would sort the whole table.
 */
export const signalColumns = col.columns([
  col.accessor('id', {
    header: 'ID',
    cell: (c) => <span className="font-mono text-xs tabular-nums">{c.getValue()}</span>,
  }),
  col.accessor('jobId', {
    header: 'Job',
    enableSorting: false,
    cell: (c) => (
      <Link
        href={jobHref(c.row.original.queue, c.getValue())}
        prefetch={false}
        className="font-mono text-xs font-medium whitespace-nowrap text-blue-700 underline-offset-2 hover:underline dark:text-blue-400"
        data-testid="signal-job-link"
      >
        {c.getValue()}
      </Link>
    ),
  }),
  col.accessor('queue', {
    header: 'Queue',
    meta: { className: 'max-w-40' },
    cell: (c) => <span className={`block truncate ${muted}`}>{c.getValue()}</span>,
  }),
  col.accessor('jobName', {
    header: 'Job name',
    enableSorting: false,
    meta: { className: 'max-w-44' },
    cell: (c) => <span className="block truncate font-medium">{c.getValue()}</span>,
  }),
  col.accessor('signal', {
    header: 'Signal',
    enableSorting: false,
    cell: (c) => <span className={`font-medium ${KIND_CLASS[c.getValue()]}`}>{c.getValue()}</span>,
  }),
  col.accessor('status', {
    header: 'Status',
    cell: (c) => (
      <Badge tone={STATUS_TONE[c.getValue()]} data-status={c.getValue()}>
        {c.getValue()}
      </Badge>
    ),
  }),
  col.accessor('reason', {
    header: 'Reason',
    enableSorting: false,
    meta: { className: 'max-w-56' },
    cell: (c) =>
      c.getValue() ? (
        <span className="block truncate" title={c.getValue() ?? undefined}>
          {c.getValue()}
        </span>
      ) : (
        <span className="text-zinc-400">—</span>
      ),
  }),
  col.accessor('requestedBy', {
    header: 'Requested by',
    meta: { className: 'max-w-40' },
    cell: (c) => <span className="block truncate">{c.getValue()}</span>,
  }),
  col.accessor('createdAt', {
    header: 'Requested',
    cell: (c) => <RelativeTime value={c.getValue()} />,
  }),
  col.accessor('deliveredAt', {
    header: 'Delivered',
    enableSorting: false,
    cell: (c) => <RelativeTime value={c.getValue()} />,
  }),
  col.accessor('completedAt', {
    header: 'Completed',
    enableSorting: false,
    cell: (c) => <RelativeTime value={c.getValue()} />,
  }),
  col.accessor('workerId', {
    header: 'Worker',
    enableSorting: false,
    meta: { className: 'max-w-36' },
    cell: (c) =>
      c.getValue() ? (
        <span
          className={`block truncate font-mono text-xs ${muted}`}
          title={c.getValue() ?? undefined}
        >
          {c.getValue()}
        </span>
      ) : (
        <span className="text-zinc-400">—</span>
      ),
  }),
  col.display({
    id: 'outcome',
    header: 'Outcome',
    cell: (c) => <OutcomeCell signal={c.row.original} />,
  }),
]);
