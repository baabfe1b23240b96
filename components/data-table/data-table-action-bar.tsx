'use client';

import type { RowData } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { Button } from '../ui/button';
import { formatCount } from '../ui/format';
import { XIcon } from '../ui/icons';
import type { DataTableInstance } from './features';

/**
 * Floats at the bottom of the screen while rows are selected, with the bulk
 * actions the resource passes in. Only rows loaded on this page can be selected
 * (paging is done by the server).
 */
export function DataTableActionBar<TData extends RowData>({
  table,
  children,
  note,
}: {
  table: DataTableInstance<TData>;
  children: ReactNode;
  /** A line shown beside the count, e.g. why actions are disabled. */
  note?: ReactNode;
}) {
  const count = table.getSelectedRowModel().rows.length;
  if (count === 0) return null;
  return (
    <section
      aria-label="Bulk actions"
      className="fixed inset-x-0 bottom-6 z-30 mx-auto flex w-fit max-w-[calc(100vw-2rem)] flex-wrap items-center gap-3 rounded-xl border border-zinc-200 bg-white px-3 py-2 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
    >
      <span className="text-sm font-medium tabular-nums" data-testid="selection-count">
        {formatCount(count)} selected
      </span>
      {note ? <span className="text-xs text-zinc-500 dark:text-zinc-400">{note}</span> : null}
      <div className="h-5 w-px bg-zinc-200 dark:bg-zinc-700" aria-hidden="true" />
      <div className="flex items-center gap-2">{children}</div>
      <Button
        size="icon"
        variant="ghost"
        aria-label="Clear selection"
        onClick={() => table.resetRowSelection(true)}
      >
        <XIcon />
      </Button>
    </section>
  );
}
