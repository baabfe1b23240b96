'use client';

import type { RowData } from '@tanstack/react-table';
import { useId } from 'react';
import { Button } from '../ui/button';
import { formatCount } from '../ui/format';
import {
  ChevronLeftIcon,
  ChevronRightIcon,
  ChevronsLeftIcon,
  ChevronsRightIcon,
} from '../ui/icons';
import { Select } from '../ui/input';
import type { DataTableInstance } from './features';

export function DataTablePagination<TData extends RowData>({
  table,
  pageSizeOptions,
  noun,
}: {
  table: DataTableInstance<TData>;
  pageSizeOptions: readonly number[];
  noun: string;
}) {
  const id = useId();
  const { pageIndex, pageSize } = table.state.pagination;
  const total = table.getRowCount();
  const pages = Math.max(1, table.getPageCount());
  const first = total === 0 ? 0 : pageIndex * pageSize + 1;
  const last = Math.min(total, (pageIndex + 1) * pageSize);
  const selected = Object.keys(table.state.rowSelection).length;
  return (
    <nav
      aria-label="Pages"
      className="flex flex-wrap items-center justify-between gap-3 border-t border-zinc-200 px-3 py-2 text-sm text-zinc-600 dark:border-zinc-800 dark:text-zinc-400"
    >
      <p className="tabular-nums" aria-live="polite">
        {total === 0
          ? `No ${noun}`
          : first > last
            ? `No ${noun} on this page (${formatCount(total)} in all)`
            : `Showing ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} ${noun}`}
        {selected > 0 ? ` · ${formatCount(selected)} selected` : ''}
      </p>
      <div className="flex items-center gap-4">
        <div className="flex items-center gap-2">
          <label htmlFor={`${id}-size`} className="whitespace-nowrap">
            Rows per page
          </label>
          <Select
            id={`${id}-size`}
            value={pageSize}
            onChange={(e) => table.setPageSize(Number(e.target.value))}
          >
            {pageSizeOptions.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </Select>
        </div>
        <span className="whitespace-nowrap tabular-nums">
          Page {formatCount(pageIndex + 1)} of {formatCount(pages)}
        </span>
        <div className="flex items-center gap-1">
          <Button
            size="icon"
            variant="ghost"
            aria-label="First page"
            onClick={() => table.firstPage()}
            disabled={pageIndex === 0}
          >
            <ChevronsLeftIcon />
          </Button>
          <Button
            size="icon"
            variant="ghost"
            aria-label="Previous page"
            onClick={() => table.previousPage()}
            disabled={pageIndex === 0}
          >
            <ChevronLeftIcon />
          </Button>
          <Button
            size="icon"
            variant="ghost"
            aria-label="Next page"
            onClick={() => table.nextPage()}
            disabled={pageIndex + 1 >= pages}
          >
            <ChevronRightIcon />
          </Button>
          <Button
            size="icon"
            variant="ghost"
            aria-label="Last page"
            onClick={() => table.lastPage()}
            disabled={pageIndex + 1 >= pages}
          >
            <ChevronsRightIcon />
          </Button>
        </div>
      </div>
    </nav>
  );
}
