'use client';

import { use } from 'react';
import type { Loaded, SignalsTableData } from '@/app/contracts';
import { DataTable, useDataTable } from '../data-table';
import { useLiveRefresh } from '../live/use-live-refresh';
import { ServiceDown } from '../service-down';
import { EmptyState } from '../ui/empty-state';
import { formatCount } from '../ui/format';
import { signalColumns } from './signal-columns';

const PAGE_SIZES = [25, 50, 100, 200] as const;
const SORTABLE = ['createdAt', 'id', 'queue', 'status', 'requestedBy'] as const;

/** The audit table; re-reads itself when any signal changes (live stream). */
export function SignalsTable({ promise }: { promise: Promise<Loaded<SignalsTableData>> }) {
  const loaded = use(promise);
  useLiveRefresh((c) => c.all || c.signalQueues.length > 0, { minIntervalMs: 1000 });
  const data = loaded.ok ? loaded.data : { rows: [], total: 0, exact: true };
  const { table, url } = useDataTable({
    data: data.rows,
    columns: signalColumns,
    rowCount: data.total,
    getRowId: (s) => String(s.id),
    pageSizeOptions: PAGE_SIZES,
    defaultPageSize: 50,
    sortable: SORTABLE,
    defaultSort: { id: 'createdAt', desc: true },
  });
  if (!loaded.ok) return <ServiceDown service={loaded.service} message={loaded.message} />;
  return (
    <div className="space-y-2">
      <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="signal-total">
        {data.exact ? (
          `${formatCount(data.total)} ${data.total === 1 ? 'signal' : 'signals'}`
        ) : (
          <span title="More than 20,000 match: the number is PostgreSQL's estimate, not a count.">
            about {formatCount(data.total)} signals (estimated)
          </span>
        )}
      </p>
      <DataTable
        table={table}
        caption="Signals"
        pending={url.isPending}
        noun="signals"
        pageSizeOptions={PAGE_SIZES}
        rowAttributes={(row) => ({ 'data-signal-id': String(row.original.id) })}
        empty={
          <EmptyState title="No signals match">
            Remove a filter or widen the dates; signals are written when someone cancels, pauses or
            resumes a job.
          </EmptyState>
        }
      />
    </div>
  );
}
