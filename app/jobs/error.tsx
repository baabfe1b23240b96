'use client';

import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { AlertIcon } from '@/components/ui/icons';

/** Unexpected errors (outages of PostgreSQL or Redis are shown by the pages themselves). */
export default function JobsError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <div className="rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <EmptyState
        icon={<AlertIcon className="size-5" />}
        title="This page could not be shown"
        action={<Button onClick={() => retry()}>Try again</Button>}
      >
        Something went wrong on the server{digest ? ` (reference ${digest})` : ''}. The server log
        has the details.
      </EmptyState>
    </div>
  );
}
