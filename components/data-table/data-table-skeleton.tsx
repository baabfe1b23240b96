import { Skeleton } from '../ui/skeleton';

/** The table's shape while its first data loads, so nothing jumps when it arrives. */
export function DataTableSkeleton({
  columns,
  rows = 10,
  filters = 2,
}: {
  columns: number;
  rows?: number;
  filters?: number;
}) {
  return (
    <div className="space-y-3" role="status" aria-busy="true" aria-label="Loading">
      <div className="flex gap-2">
        <Skeleton className="h-8 w-64" />
        {Array.from({ length: filters }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
          <Skeleton key={i} className="h-8 w-28" />
        ))}
      </div>
      <div className="overflow-hidden rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex gap-4 border-b border-zinc-200 bg-zinc-50/80 px-3 py-3 dark:border-zinc-800 dark:bg-zinc-900">
          {Array.from({ length: columns }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
            <Skeleton key={i} className="h-3 flex-1" />
          ))}
        </div>
        {Array.from({ length: rows }, (_, r) => (
          <div
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
            key={r}
            className="flex h-11 items-center gap-4 border-b border-zinc-100 px-3 last:border-0 dark:border-zinc-800/70"
          >
            {Array.from({ length: columns }, (_, c) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
              <Skeleton key={c} className="h-3 flex-1" />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
