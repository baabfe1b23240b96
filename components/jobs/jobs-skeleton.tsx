import { DataTableSkeleton } from '../data-table/data-table-skeleton';
import { Skeleton } from '../ui/skeleton';

export function JobsSkeleton() {
  return (
    <div className="space-y-4">
      <div className="space-y-2">
        <Skeleton className="h-6 w-24" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <div className="grid gap-6 lg:grid-cols-[15rem_minmax(0,1fr)]">
        <div className="hidden space-y-2 lg:block">
          {Array.from({ length: 4 }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
            <Skeleton key={i} className="h-14 w-full" />
          ))}
        </div>
        <DataTableSkeleton columns={9} rows={12} filters={3} />
      </div>
    </div>
  );
}
