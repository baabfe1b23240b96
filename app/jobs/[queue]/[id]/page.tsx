import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { JobPage } from '@/components/jobs/job-page';
import { SignalRequestsProvider } from '@/components/jobs/signal-requests';
import { timelineLimit } from '@/components/jobs/timeline-window';
import { ServiceDown } from '@/components/service-down';
import { oneLine } from '@/components/ui/format';
import { hasRole } from '../../../lib/session';
import { viewerAccess } from '../../access';
import { signalActions } from '../../signal-actions';
import { loadJobPage } from './load';

type Params = Promise<{ queue: string; id: string }>;

/** Route params arrive percent-encoded for some characters; ids may themselves contain '%'. */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  // Unlike the page's, these params arrive decoded already (Next.js 16.4).
  const { queue, id } = await params;
  return { title: `Job ${oneLine(id, 80)} · ${oneLine(queue, 80)}` };
}

export default async function JobDetailPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: Promise<{ signals?: string | string[] }>;
}) {
  await connection();
  const p = await params;
  const queue = decode(p.queue);
  const id = decode(p.id);
  const signals = timelineLimit((await searchParams).signals);
  const access = await viewerAccess(`/jobs/${p.queue}/${p.id}`);
  const result = access.ok ? await loadJobPage(queue, id, signals) : access;
  if (!result.ok) {
    return (
      <div className="space-y-4">
        <h1 className="text-xl font-semibold tracking-tight">
          Job {id} <span className="font-normal text-zinc-500">in {queue}</span>
        </h1>
        <ServiceDown service={result.service} message={result.message} />
      </div>
    );
  }
  if (!result.data) notFound();
  return (
    <SignalRequestsProvider
      actions={signalActions}
      canSignal={access.ok && hasRole(access.data, 'support')}
    >
      <JobPage data={result.data} />
    </SignalRequestsProvider>
  );
}
