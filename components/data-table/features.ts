import {
  type ColumnDef,
  createColumnHelper,
  metaHelper,
  type ReactTable,
  type Row,
  type RowData,
  rowPaginationFeature,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
} from '@tanstack/react-table';

/** What a column may tell the generic table about itself. */
export interface DataTableColumnMeta {
  /** The column's name in words (sort buttons, screen readers). Defaults to the header string. */
  label?: string;
  /** Classes for the header and body cells of this column (width, alignment). */
  className?: string;
}

/**
 * The features every data table of the dashboard uses. Paging, sorting and
 * filtering are done by the server (manual modes), so no client row models are
 * registered: the table only holds the state, which lives in the URL.
 */
export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  rowPaginationFeature,
  rowSelectionFeature,
  columnMeta: metaHelper<DataTableColumnMeta>(),
});

export type DataTableFeatures = typeof dataTableFeatures;
export type DataTableInstance<TData extends RowData> = ReactTable<DataTableFeatures, TData>;
export type DataTableRow<TData extends RowData> = Row<DataTableFeatures, TData>;
// biome-ignore lint/suspicious/noExplicitAny: each column has its own value type, as in TanStack's helper.columns()
export type DataTableColumns<TData extends RowData> = ColumnDef<DataTableFeatures, TData, any>[];

/**
 * The column helper of a resource's column factory.
 *
 * @example
 * const col = dataTableColumnHelper<SignalRow>();
 * export const signalColumns = col.columns([
 *   col.accessor('createdAt', { header: 'Requested', enableSorting: true }),
 * ]);
 */
export const dataTableColumnHelper = <TData extends RowData>() =>
  createColumnHelper<DataTableFeatures, TData>();
