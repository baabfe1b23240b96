'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useEffectEvent, useRef, useState, useTransition } from 'react';
import { LIVE_EVENTS_PATH, type LiveChange } from '@/app/contracts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

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
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let connectedBefore = false;
    const connect = () => {
      source = new EventSource(LIVE_EVENTS_PATH);
      source.addEventListener('ready', () => {
        setStatus('live');
        if (connectedBefore) schedule(); // catch up on what happened while we were away
        connectedBefore = true;
      });
      source.addEventListener('change', (e) => {
        try {
          onChange(JSON.parse((e as MessageEvent<string>).data) as LiveChange);
        } catch {
          schedule();
        }
      });
      source.onerror = () => {
        setStatus('reconnecting');
        // A CLOSED source (the server answered with an error) does not retry by itself.
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          retry = setTimeout(connect, 2000);
        }
      };
    };
    connect();
    const onVisible = () => {
      if (!document.hidden && state.current.dirty) schedule();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearTimeout(retry);
      clearTimeout(state.current.timer || undefined);
      source?.close();
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
