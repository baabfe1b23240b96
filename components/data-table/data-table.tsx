'use client';

import type { RowData } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { cn } from '../ui/cn';
import { ArrowDownIcon, ArrowUpDownIcon, ArrowUpIcon } from '../ui/icons';
import { DataTablePagination } from './data-table-pagination';
import type { DataTableInstance, DataTableRow } from './features';

export interface DataTableProps<TData extends RowData> {
  table: DataTableInstance<TData>;
  /** The table's accessible name. */
  caption: string;
  /** Dims the rows while the next view loads. */
  pending?: boolean;
  /** Shown instead of rows when there are none: say what to do. */
  empty: ReactNode;
  pageSizeOptions: readonly number[];
  /** Extra attributes of a body row (test ids, data attributes). */
  rowAttributes?: (row: DataTableRow<TData>) => Record<string, string | undefined>;
  /** Noun for the footer: "jobs" → "Showing 1–50 of 1,204 jobs". */
  noun?: string;
  /** An id for the table's box, the target of a skip link (it takes focus, so Tab goes on inside it). */
  id?: string;
}

/**
 * The dashboard's one data table: semantic <table> markup, sortable headers as
 * buttons with aria-sort, selection state on rows, and URL-driven paging below.
 * The resource supplies the table (useDataTable + its column factory).
 */
export function DataTable<TData extends RowData>({
  table,
  caption,
  pending = false,
  empty,
  pageSizeOptions,
  rowAttributes,
  noun = 'rows',
  id,
}: DataTableProps<TData>) {
  const rows = table.getRowModel().rows;
  return (
    <div
      id={id}
      tabIndex={id ? -1 : undefined}
      className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-xs outline-none dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="overflow-x-auto">
        <table
          className={cn(
            'w-full border-collapse text-sm transition-opacity',
            pending && 'opacity-60',
          )}
          aria-busy={pending || undefined}
        >
          <caption className="sr-only">{caption}</caption>
          <thead className="border-b border-zinc-200 bg-zinc-50/80 dark:border-zinc-800 dark:bg-zinc-900">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const column = header.column;
                  const sorted = column.getCanSort() ? column.getIsSorted() : false;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={
                        sorted === 'asc'
                          ? 'ascending'
                          : sorted === 'desc'
                            ? 'descending'
                            : undefined
                      }
                      className={cn(
                        'h-9 px-3 text-left text-xs font-medium whitespace-nowrap text-zinc-600 dark:text-zinc-400',
                        column.columnDef.meta?.className,
                      )}
                    >
                      {header.isPlaceholder ? null : column.getCanSort() ? (
                        <button
                          type="button"
                          onClick={column.getToggleSortingHandler()}
                          className="-mx-1.5 inline-flex items-center gap-1 rounded px-1.5 py-1 hover:bg-zinc-200/60 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
                          title={`Sort by ${column.columnDef.meta?.label ?? column.id}`}
                        >
                          <table.FlexRender header={header} />
                          {sorted === 'asc' ? (
                            <ArrowUpIcon className="size-3.5" />
                          ) : sorted === 'desc' ? (
                            <ArrowDownIcon className="size-3.5" />
                          ) : (
                            <ArrowUpDownIcon className="size-3.5 opacity-50" />
                          )}
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={table.getAllLeafColumns().length}>{empty}</td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr
                  key={row.id}
                  data-state={row.getIsSelected() ? 'selected' : undefined}
                  className="border-b border-zinc-100 last:border-0 hover:bg-zinc-50 data-[state=selected]:bg-blue-50/70 dark:border-zinc-800/70 dark:hover:bg-zinc-800/40 dark:data-[state=selected]:bg-blue-950/40"
                  {...rowAttributes?.(row)}
                >
                  {row.getAllCells().map((cell) => (
                    <td
                      key={cell.id}
                      className={cn(
                        'h-11 px-3 align-middle',
                        cell.column.columnDef.meta?.className,
                      )}
                    >
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <DataTablePagination table={table} pageSizeOptions={pageSizeOptions} noun={noun} />
    </div>
  );
}
