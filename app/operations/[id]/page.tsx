import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { OperationPage } from '@/components/operations/operation-page';
import { ServiceDown } from '@/components/service-down';
import { viewerAccess } from '../../jobs/access';
import { loadOperationPage } from './load';

type Params = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Operation ${(await params).id}` };
}

/** /operations/[id]: one bulk request, followed live to its end. */
export default async function OperationDetailPage({ params }: { params: Params }) {
  await connection();
  const { id: raw } = await params;
  const access = await viewerAccess(`/operations/${raw}`);
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
  if (access.ok && id <= 0) notFound();
  const result = access.ok ? await loadOperationPage(id) : access;
  if (!result.ok) {
    return (
      <div className="space-y-4">
        <h1 className="text-xl font-semibold tracking-tight">Operation {raw}</h1>
        <ServiceDown service={result.service} message={result.message} />
      </div>
    );
  }
  if (!result.data) notFound();
  return <OperationPage data={result.data} />;
}
