'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useEffectEvent, useRef, useState, useTransition } from 'react';
import type { LiveChange } from '@/app/contracts';
import { type LiveStatus, subscribeLive } from './live-stream';

export type { LiveStatus } from './live-stream';

export interface LiveRefreshOptions {
  /** At most one refresh per this many ms, however many events arrive. */
  minIntervalMs?: number;
  /** While the stream is down, refresh this often instead. */
  fallbackPollMs?: number;
}

/**
 * Re-renders the page (router.refresh) when the live stream reports a change that
 * `matches` it. Bursts are merged into one refresh at most every `minIntervalMs`,
 * never two at once, and none while the tab is hidden (one on return). When the
 * stream drops, EventSource reconnects by itself; meanwhile the page polls, and
 * it refreshes once on reconnect to catch up.
 */
export function useLiveRefresh(
  matches: (change: LiveChange) => boolean,
  { minIntervalMs = 700, fallbackPollMs = 5000 }: LiveRefreshOptions = {},
): LiveStatus {
  const router = useRouter();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [isPending, startTransition] = useTransition();
  const state = useRef({
    last: 0,
    timer: 0 as unknown as ReturnType<typeof setTimeout> | 0,
    dirty: false,
    pending: false,
  });

  useEffect(() => {
    state.current.pending = isPending;
    if (!isPending && state.current.dirty) schedule();
  });

  const refresh = () => {
    const s = state.current;
    s.dirty = false;
    s.last = Date.now();
    startTransition(() => router.refresh());
  };

  const schedule = useEffectEvent(() => {
    const s = state.current;
    s.dirty = true;
    if (s.timer || s.pending || document.hidden) return;
    const wait = Math.max(0, s.last + minIntervalMs - Date.now());
    s.timer = setTimeout(() => {
      s.timer = 0;
      if (!s.pending && !document.hidden) refresh();
    }, wait);
  });

  const onChange = useEffectEvent((change: LiveChange) => {
    if (matches(change)) schedule();
  });

  useEffect(() => {
    const unsubscribe = subscribeLive({ onChange: (c) => onChange(c), onStatus: setStatus });
    const onVisible = () => {
      if (!document.hidden && state.current.dirty) schedule();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      unsubscribe();
      clearTimeout(state.current.timer || undefined);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);

  useEffect(() => {
    if (status === 'live') return;
    const poll = setInterval(() => schedule(), fallbackPollMs);
    return () => clearInterval(poll);
  }, [status, fallbackPollMs]);

  return status;
}
