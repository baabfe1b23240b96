import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';

export default function OperationNotFound() {
  return (
    <div className="rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <EmptyState
        title="No such operation"
        action={
          <Link
            href="/signals"
            className="text-sm font-medium text-blue-700 hover:underline dark:text-blue-400"
          >
            Go to the signals
          </Link>
        }
      >
        No bulk request has this id. Operation links come from the toast of a bulk request and from
        the answer of POST /api/signals/bulk.
      </EmptyState>
    </div>
  );
}
