'use client';

import { useSyncExternalStore } from 'react';
import { cn } from './cn';
import { formatExact, formatRelative, toMillis } from './format';

// One clock for every RelativeTime on the page, ticking every 10 s.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 10_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

// On the server the module lives for days: read the clock per render (to the second, so
// repeated reads in one render agree). In the browser, hydration uses the page-load time.
const serverNow = () =>
  typeof window === 'undefined' ? Math.floor(Date.now() / 1000) * 1000 : now;

export interface RelativeTimeProps {
  value: Date | string | number | null | undefined;
  /** Shown when there is no value. */
  fallback?: string;
  className?: string;
}

/**
 * "3 min. ago", with the exact time (to the millisecond, with the zone) on hover
 * and for assistive technology. Server and browser clocks differ by a little, so
 * the text is allowed to change at hydration.
 */
export function RelativeTime({ value, fallback = '—', className }: RelativeTimeProps) {
  const current = useSyncExternalStore(subscribe, () => now, serverNow);
  const ms = toMillis(value);
  if (ms === null) return <span className={cn('text-zinc-400', className)}>{fallback}</span>;
  const exact = formatExact(ms);
  return (
    <time
      dateTime={new Date(ms).toISOString()}
      title={exact}
      className={cn('whitespace-nowrap', className)}
      suppressHydrationWarning
    >
      {formatRelative(ms, current)}
    </time>
  );
}
