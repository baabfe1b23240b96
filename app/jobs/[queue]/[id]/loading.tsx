import { Skeleton } from '@/components/ui/skeleton';

export default function JobLoading() {
  return (
    <div className="space-y-4" role="status" aria-busy="true" aria-label="Loading the job">
      <Skeleton className="h-4 w-48" />
      <Skeleton className="h-7 w-80 max-w-full" />
      <Skeleton className="h-28 w-full" />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,28rem)]">
        <Skeleton className="h-72 w-full" />
        <Skeleton className="h-72 w-full" />
      </div>
    </div>
  );
}
