import { Progress } from 'radix-ui';
import { cn } from './cn';
import { oneLine } from './format';

export interface ProgressBarProps {
  /** BullMQ progress: a number (0–100) or any JSON value the job reported. */
  value: unknown;
  /** Shown beside the bar, e.g. the job's name for screen readers. */
  label?: string;
  className?: string;
  tone?: 'blue' | 'green' | 'gray' | 'amber' | 'red';
}

const BAR = {
  blue: 'bg-blue-600 dark:bg-blue-500',
  green: 'bg-emerald-600 dark:bg-emerald-500',
  gray: 'bg-zinc-400 dark:bg-zinc-500',
  amber: 'bg-amber-500',
  red: 'bg-red-500',
} as const;

/** A bar for numeric progress; jobs that report an object get it shown compactly instead. */
export function ProgressBar({
  value,
  label = 'Progress',
  className,
  tone = 'blue',
}: ProgressBarProps) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    if (value == null || (typeof value === 'object' && Object.keys(value).length === 0)) {
      return <span className={cn('text-xs text-zinc-400', className)}>—</span>;
    }
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return (
      <span
        className={cn(
          'block max-w-40 truncate font-mono text-xs text-zinc-600 dark:text-zinc-400',
          className,
        )}
        title={oneLine(text, 1000)}
      >
        {/* A job may report any JSON as progress; one line of it is all a cell can show. */}
        {oneLine(text, 120)}
      </span>
    );
  }
  const pct = Math.min(100, Math.max(0, value));
  return (
    <div className={cn('flex min-w-24 items-center gap-2', className)}>
      <Progress.Root
        value={pct}
        max={100}
        aria-label={label}
        className="relative h-1.5 flex-1 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <Progress.Indicator
          className={cn('h-full rounded-full transition-[width] duration-500', BAR[tone])}
          style={{ width: `${pct}%` }}
        />
      </Progress.Root>
      <span className="w-9 text-right text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
        {Math.round(pct)}%
      </span>
    </div>
  );
}
