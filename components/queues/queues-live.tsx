'use client';

import { useLiveRefresh } from '../live/use-live-refresh';

/** Re-reads /queues when jobs or signals change anywhere (at most every 2 s). */
export function QueuesLive() {
  useLiveRefresh(() => true, { minIntervalMs: 2000 });
  return null;
}
