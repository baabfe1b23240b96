'use client';

import type { RowData } from '@tanstack/react-table';
import { type ComponentProps, useEffect, useRef } from 'react';
import type { DataTableColumnMeta } from './features';
import { dataTableColumnHelper } from './features';

function Checkbox({
  indeterminate,
  ...props
}: ComponentProps<'input'> & { indeterminate?: boolean }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = Boolean(indeterminate);
  }, [indeterminate]);
  return (
    <input
      ref={ref}
      type="checkbox"
      className="size-4 cursor-pointer rounded border-zinc-300 accent-blue-600 disabled:cursor-not-allowed disabled:opacity-30"
      {...props}
    />
  );
}

const meta: DataTableColumnMeta = { label: 'Select', className: 'w-10 pr-0' };

/**
 * A checkbox column for row selection. Shift-click selects a range (TanStack's
 * handler needs the click event, not `change`, to see the Shift key).
 *
 * @example
 * col.columns([selectColumn<JobRow>((job) => `Select job ${job.id}`), ...])
 */
export function selectColumn<TData extends RowData>(rowLabel: (row: TData) => string) {
  const col = dataTableColumnHelper<TData>();
  return col.display({
    id: 'select',
    meta,
    header: ({ table }) => (
      <Checkbox
        aria-label="Select all rows on this page"
        checked={table.getIsAllPageRowsSelected()}
        indeterminate={table.getIsSomePageRowsSelected()}
        onChange={table.getToggleAllPageRowsSelectedHandler()}
        disabled={table.getRowModel().rows.every((r) => !r.getCanSelect())}
      />
    ),
    cell: ({ row }) => (
      <Checkbox
        aria-label={rowLabel(row.original)}
        checked={row.getIsSelected()}
        disabled={!row.getCanSelect()}
        onChange={() => {}}
        onClick={row.getToggleSelectedHandler()}
      />
    ),
  });
}
