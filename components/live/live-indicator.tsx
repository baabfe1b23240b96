import { cn } from '../ui/cn';
import type { LiveStatus } from './use-live-refresh';

const LOOK: Record<LiveStatus, { dot: string; text: string; title: string }> = {
  live: { dot: 'bg-emerald-500', text: 'Live', title: 'Changes show up by themselves.' },
  connecting: { dot: 'bg-zinc-400', text: 'Connecting…', title: 'Opening the live stream.' },
  reconnecting: {
    dot: 'bg-amber-500',
    text: 'Reconnecting…',
    title:
      'The live stream dropped; the page checks for changes every few seconds until it is back.',
  },
};

/** Whether the page is updating by itself. */
export function LiveIndicator({ status, className }: { status: LiveStatus; className?: string }) {
  const look = LOOK[status];
  return (
    <span
      role="status"
      title={look.title}
      data-live-status={status}
      className={cn(
        'inline-flex items-center gap-1.5 text-xs text-zinc-500 dark:text-zinc-400',
        className,
      )}
    >
      <span
        className={cn('size-2 rounded-full', look.dot, status === 'live' && 'animate-pulse')}
        aria-hidden="true"
      />
      {look.text}
    </span>
  );
}
