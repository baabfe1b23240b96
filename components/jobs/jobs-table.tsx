'use client';

import { type JobRow, type JobsPageData, SIGNAL_KINDS } from '@/app/contracts';
import type { DataTableHandle } from '../data-table';
import { DataTable, DataTableActionBar, useDataTable } from '../data-table';
import { Button } from '../ui/button';
import { EmptyState } from '../ui/empty-state';
import { formatCount } from '../ui/format';
import { jobColumnsAllQueues, jobColumnsOneQueue } from './job-columns';
import {
  DEFAULT_JOB_PAGE_SIZE,
  DEFAULT_JOB_SORT,
  JOB_PAGE_SIZES,
  JOB_SORTABLE,
  stateParam,
  statesFromParam,
} from './job-search';
import { JOBS_TABLE_ID } from './queue-sidebar';
import { VERB } from './signal-messages';
import { useSignalRequests } from './signal-requests';

const getRowId = (row: JobRow) => row.key;

export function useJobsTable(
  data: JobsPageData,
  oneQueue: boolean,
  canSignal: boolean,
): DataTableHandle<JobRow> {
  return useDataTable<JobRow>({
    data: data.rows,
    columns: oneQueue ? jobColumnsOneQueue : jobColumnsAllQueues,
    rowCount: data.total,
    getRowId,
    pageSizeOptions: JOB_PAGE_SIZES,
    defaultPageSize: DEFAULT_JOB_PAGE_SIZE,
    sortable: JOB_SORTABLE,
    defaultSort: DEFAULT_JOB_SORT,
    // Finished jobs allow nothing, so there is nothing to select them for.
    enableRowSelection: (row) => canSignal && row.original.actions.length > 0,
  });
}

function Empty({ data, handle }: { data: JobsPageData; handle: DataTableHandle<JobRow> }) {
  const { url, table } = handle;
  const p = url.params;
  if (data.queues.length === 0 && !data.missingQueue) {
    return (
      <EmptyState title="No queues in Redis yet">
        Queues show up here as soon as a BullMQ producer adds a job; they are found by their{' '}
        <code className="font-mono text-xs">{data.prefix}:&lt;name&gt;:meta</code> key. Using
        another key prefix? Set BULLMQ_PREFIX.
      </EmptyState>
    );
  }
  if (data.total > 0) {
    return (
      <EmptyState
        title={`Page ${table.state.pagination.pageIndex + 1} is past the last page`}
        action={<Button onClick={() => table.firstPage()}>Go to the first page</Button>}
      >
        The list got shorter since the link was made: {formatCount(data.total)} jobs match now.
      </EmptyState>
    );
  }
  if (p.get('q') || p.get('name')) {
    return (
      <EmptyState
        title="No jobs match the search"
        action={
          <Button onClick={() => url.setParams({ q: null, name: null })}>Clear the search</Button>
        }
      >
        The search looks at job ids and names; the name filter wants the exact name.
      </EmptyState>
    );
  }
  const states = statesFromParam(p.get('state'));
  const hidesFinished = !states.includes('completed');
  const where = p.get('queue') ? `in ${p.get('queue')}` : 'in any queue';
  return (
    <EmptyState
      title={`No ${states.length <= 3 ? states.join(', ') : 'matching'} jobs ${where}`}
      action={
        hidesFinished ? (
          <Button
            onClick={() =>
              url.setParams({ state: stateParam([...states, 'completed', 'failed', 'cancelled']) })
            }
          >
            Show finished jobs too
          </Button>
        ) : undefined
      }
    >
      {hidesFinished
        ? 'Nothing is waiting, running or paused here. Finished jobs are hidden; show them with the State filter.'
        : 'Try another queue or state.'}
    </EmptyState>
  );
}

/** The jobs table with its bulk-action bar; the view holds filters and the sidebar. */
export function JobsTable({
  data,
  handle,
  pinned,
}: {
  data: JobsPageData;
  handle: DataTableHandle<JobRow>;
  /** Rows the page no longer holds, kept in view because they were asked for here. */
  pinned: ReadonlySet<string>;
}) {
  const { table, url } = handle;
  const { requestMany, pending } = useSignalRequests();
  const selected = table.getSelectedRowModel().rows.map((r) => r.original);
  const queues = new Set(selected.map((j) => j.queue));
  const oneQueue = queues.size === 1;
  return (
    <>
      <DataTable
        id={JOBS_TABLE_ID}
        table={table}
        caption="Jobs"
        noun="jobs"
        pending={url.isPending}
        pageSizeOptions={JOB_PAGE_SIZES}
        rowAttributes={(row) => ({
          'data-job': row.original.key,
          'data-job-state': row.original.state,
          ...(pinned.has(row.original.key) ? { 'data-pinned': 'true' } : {}),
        })}
        empty={<Empty data={data} handle={handle} />}
      />
      <DataTableActionBar
        table={table}
        note={
          oneQueue
            ? `in ${[...queues][0]}`
            : 'Bulk actions work on one queue: select jobs of one queue.'
        }
      >
        {SIGNAL_KINDS.map((signal) => {
          const able = selected.filter((j) => j.actions.includes(signal)).length;
          return (
            <Button
              key={signal}
              size="sm"
              variant={signal === 'cancel' ? 'danger' : 'secondary'}
              disabled={!oneQueue || able === 0 || pending}
              onClick={() => requestMany(signal, selected, () => table.resetRowSelection(true))}
            >
              {VERB[signal]} {able > 0 ? formatCount(able) : ''}
            </Button>
          );
        })}
      </DataTableActionBar>
    </>
  );
}
