import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import { Suspense } from 'react';
import { DataTableSkeleton } from '@/components/data-table/data-table-skeleton';
import type { SearchParamsRecord } from '@/components/data-table/url-state';
import { SignalFacets } from '@/components/signals/signal-facets';
import { SignalsChart } from '@/components/signals/signals-chart';
import { SignalsTable } from '@/components/signals/signals-table';
import { SignalsToolbar } from '@/components/signals/signals-toolbar';
import { Alert } from '@/components/ui/alert';
import { InvalidFilters } from '@/components/ui/invalid-filters';
import { Skeleton } from '@/components/ui/skeleton';
import { requirePageRole } from '../lib/session';
import { loadSignalFacets, loadSignalsChart, loadSignalsTable } from './load';
import { parseSignalsPage, toApiParams } from './page-params';

export const metadata: Metadata = { title: 'Signals' };

function queryOf(params: SearchParamsRecord): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of [v ?? []].flat()) qs.append(k, x);
  return qs.toString();
}

/**
 * /signals: every signal ever requested, as Django's admin changelist shows a
 * table: filters with counts, search, date drill-down, sorting, paging and CSV
 * export, all in the URL. The rows, the counts and the chart load side by side,
 * each in its own <Suspense>, so the rows never wait for the counts.
 */
export default async function SignalsPage({
  searchParams,
}: {
  searchParams: Promise<SearchParamsRecord>;
}) {
  // Reads PostgreSQL on every request; never prerendered at build time.
  await connection();
  const params = await searchParams;
  const query = queryOf(params);
  await requirePageRole('viewer', query ? `/signals?${query}` : '/signals');
  const parsed = parseSignalsPage(params);
  if (!parsed.ok) {
    return (
      <InvalidFilters error={parsed.error} resetHref="/signals" resetLabel="Show all signals" />
    );
  }
  const p = parsed.params;
  const table = loadSignalsTable(p);
  const facets = loadSignalFacets(p);
  const chart = loadSignalsChart(p);
  const exportQuery = toApiParams(params);
  exportQuery.delete('page');
  exportQuery.delete('pageSize');
  return (
    <div className="space-y-4">
      <header className="space-y-1">
        <h1 className="text-xl font-semibold tracking-tight">Signals</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Every cancel, pause and resume ever requested: who asked, why, which worker acted and what
          it did. Times are UTC.
        </p>
      </header>
      <SignalsToolbar exportHref={`/api/signals/export?${exportQuery}`} />
      {p.filter.operation !== undefined ? (
        <Alert
          tone="info"
          title={`The signals of operation #${p.filter.operation}`}
          action={
            <Link href="/signals" className="font-medium underline">
              Show all signals
            </Link>
          }
        >
          Only the signals this bulk request wrote.{' '}
          <Link href={`/operations/${p.filter.operation}`} className="font-medium underline">
            Its progress and what it skipped
          </Link>
          .
        </Alert>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-[14rem_minmax(0,1fr)]">
        <aside>
          <Suspense fallback={<FacetsSkeleton />}>
            <SignalFacets promise={facets} query={query} />
          </Suspense>
        </aside>
        <div className="min-w-0 space-y-4">
          <Suspense fallback={<Skeleton className="h-56 w-full rounded-xl" />}>
            <SignalsChart promise={chart} query={query} drill={p.drill} />
          </Suspense>
          <Suspense fallback={<DataTableSkeleton columns={13} rows={12} filters={0} />}>
            <SignalsTable promise={table} />
          </Suspense>
        </div>
      </div>
    </div>
  );
}

function FacetsSkeleton() {
  return (
    <div className="space-y-5">
      {Array.from({ length: 4 }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <Skeleton key={i} className="h-28 w-full" />
      ))}
    </div>
  );
}
