'use client';

import { useSearchParams } from 'next/navigation';
import { use, useEffect, useMemo, useRef } from 'react';
import type { JobsPageData } from '@/app/contracts';
import { type Loaded, touchesQueues } from '@/app/contracts';
import { LiveIndicator } from '../live/live-indicator';
import { useLiveRefresh } from '../live/use-live-refresh';
import { ServiceDown } from '../service-down';
import { Alert } from '../ui/alert';
import { formatCount } from '../ui/format';
import { listScope, withFollowedRows } from './followed-rows';
import { JobsTable, useJobsTable } from './jobs-table';
import { JobsToolbar } from './jobs-toolbar';
import { QueueSidebar, sumCounts } from './queue-sidebar';
import { unservedWarning } from './signal-messages';
import { useSignalRequests } from './signal-requests';

function Header({ children }: { children?: React.ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Jobs</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Jobs of every BullMQ queue in Redis. Cancel, pause or resume them; workers act at their
          next checkpoint.
        </p>
      </div>
      {children}
    </div>
  );
}

/**
 * /jobs in the browser: receives the page's data as a promise started by the
 * server page (it suspends inside the page's <Suspense> until it resolves) and
 * re-reads it whenever the live stream reports a change in the queues shown.
 */
export function JobsView({
  promise,
  queue,
}: {
  promise: Promise<Loaded<JobsPageData>>;
  queue: string | null;
}) {
  const status = useLiveRefresh((c) => touchesQueues(c, queue ? [queue] : null));
  const result = use(promise);
  if (!result.ok) {
    return (
      <div className="space-y-4">
        <Header>
          <LiveIndicator status={status} />
        </Header>
        <ServiceDown service={result.service} message={result.message} />
      </div>
    );
  }
  return <JobsLoaded data={result.data} queue={queue ?? undefined} status={status} />;
}

function JobsLoaded({
  data,
  queue,
  status,
}: {
  data: JobsPageData;
  /** The queue the data was loaded for (the URL may already name the next one). */
  queue: string | undefined;
  status: ReturnType<typeof useLiveRefresh>;
}) {
  const { canSignal, followed, setScope } = useSignalRequests();
  const view = listScope(useSearchParams());
  useEffect(() => {
    setScope(view);
    return () => setScope(null);
  }, [view, setScope]);
  // Where each row last was, so a row asked for goes back to its place once the page drops it.
  const positions = useRef(new Map<string, number>());
  const shown = useMemo(() => {
    data.rows.forEach((r, i) => {
      positions.current.set(r.key, i);
    });
    return withFollowedRows(data.rows, followed.values(), view, positions.current);
  }, [data.rows, followed, view]);
  const handle = useJobsTable({ ...data, rows: shown.rows }, queue !== undefined, canSignal);
  const scope = queue ? data.queues.filter((q) => q.name === queue) : data.queues;
  const served = data.queues.find((q) => q.name === queue);
  return (
    <div className="space-y-4">
      <Header>
        <LiveIndicator status={status} />
      </Header>
      <div className="grid gap-6 lg:grid-cols-[15rem_minmax(0,1fr)]">
        <QueueSidebar queues={data.queues} current={queue} url={handle.url} />
        <div className="min-w-0 space-y-3">
          <JobsToolbar url={handle.url} queues={data.queues} counts={sumCounts(scope)} />
          {data.missingQueue ? (
            <Alert tone="warning" title={`Queue ${data.missingQueue} does not exist`}>
              Redis has no{' '}
              <code className="font-mono text-xs">{`${data.prefix}:${data.missingQueue}:meta`}</code>{' '}
              key. Pick a queue from the list, or check the link.
            </Alert>
          ) : served && served.workers === 0 ? (
            <Alert tone="warning">{unservedWarning(served.name)}</Alert>
          ) : null}
          {data.busy ? <Alert tone="warning">{data.busy}</Alert> : null}
          {data.scan && !data.scan.complete ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="scan-note">
              Looked at the first {formatCount(data.scan.looked)} jobs in this view:{' '}
              {formatCount(data.total)} match. Pick a queue or fewer states to look through the
              rest.
            </p>
          ) : null}
          <JobsTable data={data} handle={handle} pinned={shown.pinned} />
        </div>
      </div>
    </div>
  );
}
