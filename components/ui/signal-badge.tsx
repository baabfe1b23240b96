import type { SignalKind, SignalStatus } from '@/app/contracts';
import { cn } from './cn';

const KIND: Record<SignalKind, string> = {
  cancel: 'text-red-700 dark:text-red-300',
  pause: 'text-orange-700 dark:text-orange-300',
  resume: 'text-emerald-700 dark:text-emerald-300',
};

const STATUS: Record<SignalStatus, string> = {
  pending: 'bg-amber-50 ring-amber-600/30 dark:bg-amber-950/60 dark:ring-amber-400/30',
  delivered: 'bg-blue-50 ring-blue-600/30 dark:bg-blue-950/60 dark:ring-blue-400/30',
  completed: 'bg-emerald-50 ring-emerald-600/25 dark:bg-emerald-950/60 dark:ring-emerald-400/30',
  superseded: 'bg-zinc-100 ring-zinc-500/25 dark:bg-zinc-800 dark:ring-zinc-400/25',
};

/** "cancel · pending": the signal's kind and where it is in its lifecycle. */
export function SignalBadge({
  signal,
  status,
  className,
}: {
  signal: SignalKind;
  status: SignalStatus;
  className?: string;
}) {
  const open = status === 'pending' || status === 'delivered';
  return (
    <span
      data-signal-badge={`${signal}:${status}`}
      className={cn(
        'inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset',
        STATUS[status],
        className,
      )}
    >
      {open ? (
        <span
          className="size-1.5 animate-pulse rounded-full bg-current opacity-70"
          aria-hidden="true"
        />
      ) : null}
      <span className={KIND[signal]}>{signal}</span>
      {/* Spaces kept in the text so it reads (and copies) as "cancel · pending". */}
      <span className="text-zinc-400">{' · '}</span>
      <span
        className={
          status === 'superseded'
            ? 'text-zinc-500 dark:text-zinc-400'
            : 'text-zinc-700 dark:text-zinc-200'
        }
      >
        {status}
      </span>
    </span>
  );
}
