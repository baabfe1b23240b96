'use client';

import { touchesJob } from '@/app/contracts';
import { LiveIndicator } from '../live/live-indicator';
import { useLiveRefresh } from '../live/use-live-refresh';

/** Keeps the job page current: re-reads it when this job or its queue's signals change. */
export function JobLive({ queue, id }: { queue: string; id: string }) {
  const status = useLiveRefresh((c) => touchesJob(c, queue, id));
  return <LiveIndicator status={status} />;
}
