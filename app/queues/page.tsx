import type { Metadata } from 'next';
import { connection } from 'next/server';
import { Suspense } from 'react';
import { QueuesOverview } from '@/components/queues/queues-overview';
import { Skeleton } from '@/components/ui/skeleton';
import { setQueuePaused } from '../actions/admin/queue-control';
import { requirePageRole } from '../lib/session';
import { loadQueuesPage, parseQueuesSearch } from './load';

export const metadata: Metadata = { title: 'Queues' };

/** /queues: the queues of the BullMQ prefix, searchable and paged, with their jobs, workers and signals. */
export default async function QueuesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Reads Redis and PostgreSQL on every request; never prerendered at build time.
  await connection();
  const search = parseQueuesSearch(await searchParams);
  const qs = new URLSearchParams();
  if (search.search) qs.set('q', search.search);
  if (search.page > 1) qs.set('page', String(search.page));
  const actor = await requirePageRole('viewer', qs.size > 0 ? `/queues?${qs}` : '/queues');
  const queues = loadQueuesPage(search);
  return (
    <div className="space-y-4">
      <header className="space-y-1">
        <h1 className="text-xl font-semibold tracking-tight">Queues</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Every queue found in Redis: jobs per state, the workers connected, the signals still open,
          and how long signals took from request to completion over the last day.
        </p>
      </header>
      <Suspense
        fallback={
          <div className="grid gap-4 xl:grid-cols-2">
            <Skeleton className="h-48 w-full rounded-xl" />
            <Skeleton className="h-48 w-full rounded-xl" />
          </div>
        }
      >
        <QueuesOverview
          promise={queues}
          setQueuePaused={actor.role === 'admin' ? setQueuePaused : undefined}
        />
      </Suspense>
    </div>
  );
}
