/**
 * The generic data table: one component plus a column factory per resource, with
 * paging, sorting and filters in the URL and done by the server (tablecn's model).
 *
 * @example
 * // components/signals/signal-columns.tsx
 * const col = dataTableColumnHelper<SignalRow>();
 * export const signalColumns = col.columns([
 *   col.accessor('createdAt', { header: 'Requested', meta: { label: 'Requested' } }),
 * ]);
 * // the client table
 * const { table, url } = useDataTable({ data, columns: signalColumns, rowCount: total,
 *   getRowId: (s) => String(s.id), pageSizeOptions: [25, 50, 100], defaultPageSize: 50,
 *   sortable: ['createdAt'], defaultSort: { id: 'createdAt', desc: true } });
 * return <DataTable table={table} caption="Signals" pending={url.isPending} empty={…} pageSizeOptions={[25, 50, 100]} />;
 */
export { DataTable, type DataTableProps } from './data-table';
export { DataTableActionBar } from './data-table-action-bar';
export { DataTableFacetFilter, type FacetOption } from './data-table-facet-filter';
export { DataTablePagination } from './data-table-pagination';
export { DataTableSearch } from './data-table-search';
export { DataTableSkeleton } from './data-table-skeleton';
export {
  type DataTableColumnMeta,
  type DataTableColumns,
  type DataTableFeatures,
  type DataTableInstance,
  type DataTableRow,
  dataTableColumnHelper,
  dataTableFeatures,
} from './features';
export { selectColumn } from './select-column';
export * from './url-state';
export { type DataTableHandle, type UseDataTableOptions, useDataTable } from './use-data-table';
export { type ParamUpdates, type UrlState, useUrlState } from './use-url-state';
