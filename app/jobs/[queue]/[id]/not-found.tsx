import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';

export default function JobNotFound() {
  return (
    <div className="rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <EmptyState
        title="No such job"
        action={
          <Link
            href="/jobs"
            className="text-sm font-medium text-blue-700 hover:underline dark:text-blue-400"
          >
            Back to the jobs
          </Link>
        }
      >
        Redis has no job with this id in this queue, and no signal ever named it. Finished jobs may
        have been removed by their queue&apos;s removeOnComplete or removeOnFail settings.
      </EmptyState>
    </div>
  );
}
