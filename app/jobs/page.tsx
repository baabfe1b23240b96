import type { Metadata } from 'next';
import { connection } from 'next/server';
import { Suspense } from 'react';
import type { SearchParamsRecord } from '@/components/data-table/url-state';
import { parseJobsSearch } from '@/components/jobs/job-search';
import { JobsSkeleton } from '@/components/jobs/jobs-skeleton';
import { JobsView } from '@/components/jobs/jobs-view';
import { SignalRequestsProvider } from '@/components/jobs/signal-requests';
import { hasRole } from '../lib/session';
import { viewerAccess } from './access';
import { loadJobsPage } from './load';
import { signalActions } from './signal-actions';

export const metadata: Metadata = { title: 'Jobs' };

function pathWithQuery(path: string, params: SearchParamsRecord): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of [v ?? []].flat()) qs.append(k, x);
  return qs.size > 0 ? `${path}?${qs}` : path;
}

export default async function JobsPage({
  searchParams,
}: {
  searchParams: Promise<SearchParamsRecord>;
}) {
  // Reads Redis and PostgreSQL on every request; never prerendered at build time.
  await connection();
  const params = await searchParams;
  const access = await viewerAccess(pathWithQuery('/jobs', params));
  const search = parseJobsSearch(params);
  // Started here, awaited by the client view inside <Suspense>: the shell streams at once.
  const data = access.ok ? loadJobsPage(search) : Promise.resolve(access);
  return (
    <SignalRequestsProvider
      actions={signalActions}
      canSignal={access.ok && hasRole(access.data, 'support')}
    >
      <Suspense fallback={<JobsSkeleton />}>
        <JobsView promise={data} queue={search.queue ?? null} />
      </Suspense>
    </SignalRequestsProvider>
  );
}
