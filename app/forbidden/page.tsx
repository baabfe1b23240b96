import Link from 'next/link';

export const dynamic = 'force-dynamic';

export default async function ForbiddenPage({
  searchParams,
}: {
  searchParams: Promise<{ need?: string }>;
}) {
  const { need } = await searchParams;
  const role = need === 'admin' || need === 'support' ? need : 'another';
  return (
    <div className="mx-auto mt-16 max-w-md text-center">
      <h1 className="mb-2 text-xl font-semibold">Not allowed</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        This page needs the <strong>{role}</strong> role. Ask an admin if you need it.
      </p>
      <Link href="/jobs" className="mt-6 inline-block text-sm underline">
        Back to jobs
      </Link>
    </div>
  );
}
