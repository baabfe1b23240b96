'use client';

import type {
  PaginationState,
  RowData,
  RowSelectionState,
  SortingState,
  Updater,
} from '@tanstack/react-table';
import { useTable } from '@tanstack/react-table';
import { useState } from 'react';
import {
  type DataTableColumns,
  type DataTableFeatures,
  type DataTableInstance,
  type DataTableRow,
  dataTableFeatures,
} from './features';
import { parsePage, parsePageSize, parseSort, type SortParam, serializeSort } from './url-state';
import { type UrlState, useUrlState } from './use-url-state';

export interface UseDataTableOptions<TData extends RowData> {
  /** One page of rows, as the server sent it. Keep the array stable between renders. */
  data: TData[];
  /** From the resource's column factory; keep stable (module scope or useMemo). */
  columns: DataTableColumns<TData>;
  /** Rows matching the filters on every page. */
  rowCount: number;
  getRowId: (row: TData) => string;
  pageSizeOptions: readonly number[];
  defaultPageSize: number;
  /** Column ids the server can sort by, and the order used when the URL names none. */
  sortable: readonly string[];
  defaultSort: SortParam;
  enableRowSelection?: boolean | ((row: DataTableRow<TData>) => boolean);
  /** URL parameter names, when a page holds two tables or a resource prefers others. */
  params?: { page?: string; size?: string; sort?: string };
}

export interface DataTableHandle<TData extends RowData> {
  table: DataTableInstance<TData>;
  url: UrlState;
}

const apply = <T>(updater: Updater<T>, old: T): T =>
  typeof updater === 'function' ? (updater as (o: T) => T)(old) : updater;

/**
 * A TanStack Table whose paging and sorting live in the URL (so a view can be
 * shared as a link) and are done by the server: the table never sorts or slices
 * rows itself. Row selection is local and cleared when the view changes.
 */
export function useDataTable<TData extends RowData>(
  options: UseDataTableOptions<TData>,
): DataTableHandle<TData> {
  const names = { page: 'page', size: 'size', sort: 'sort', ...options.params };
  const url = useUrlState(names.page);
  const { params, setParams } = url;

  const pagination: PaginationState = {
    pageIndex: parsePage(params.get(names.page)) - 1,
    pageSize: parsePageSize(
      params.get(names.size),
      options.pageSizeOptions,
      options.defaultPageSize,
    ),
  };
  const sort = parseSort(params.get(names.sort), options.sortable, options.defaultSort);
  const sorting: SortingState = [{ id: sort.id, desc: sort.desc }];

  // Selection belongs to one view: a new page, filter or sort starts empty. Live
  // refreshes keep the URL, so they keep the selection.
  const viewKey = params.toString();
  const [selection, setSelection] = useState<{ key: string; value: RowSelectionState }>({
    key: viewKey,
    value: {},
  });
  const rowSelection = selection.key === viewKey ? selection.value : {};

  const table = useTable<DataTableFeatures, TData>({
    features: dataTableFeatures,
    columns: options.columns,
    data: options.data,
    getRowId: options.getRowId,
    rowCount: options.rowCount,
    manualPagination: true,
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    enableRowSelection: options.enableRowSelection ?? false,
    state: { pagination, sorting, rowSelection },
    onPaginationChange: (updater) => {
      const next = apply(updater, pagination);
      setParams(
        {
          [names.page]: next.pageIndex > 0 ? next.pageIndex + 1 : null,
          [names.size]: next.pageSize !== options.defaultPageSize ? next.pageSize : null,
        },
        { keepPage: true },
      );
    },
    onSortingChange: (updater) => {
      const [next] = apply(updater, sorting);
      const value = next ? { id: next.id, desc: next.desc } : options.defaultSort;
      const same = value.id === options.defaultSort.id && value.desc === options.defaultSort.desc;
      setParams({ [names.sort]: same ? null : serializeSort(value) });
    },
    onRowSelectionChange: (updater) =>
      setSelection((old) => ({
        key: viewKey,
        value: apply(updater, old.key === viewKey ? old.value : {}),
      })),
  });

  return { table, url };
}
