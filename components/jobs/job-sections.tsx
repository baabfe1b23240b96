import type { ReactNode } from 'react';
import type { JobRow, JobView } from '@/app/contracts';
import { cn } from '../ui/cn';
import { formatCount, formatDuration, plural } from '../ui/format';
import { ProgressBar } from '../ui/progress-bar';
import { RelativeTime } from '../ui/relative-time';
import { StateBadge } from '../ui/state-badge';

export function Section({
  title,
  aside,
  children,
  className,
}: {
  title: string;
  aside?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <section
      aria-labelledby={id}
      className={cn(
        'rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900',
        className,
      )}
    >
      <div className="mb-3 flex items-baseline justify-between gap-2">
        <h2 id={id} className="text-sm font-semibold">
          {title}
        </h2>
        {aside ? <div className="text-xs text-zinc-500">{aside}</div> : null}
      </div>
      {children}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-0.5 truncate text-sm">{children}</dd>
    </div>
  );
}

/** State, progress, attempts, timestamps and the worker, at a glance. */
export function JobFacts({ job, row }: { job: JobView; row: JobRow }) {
  const end = job.finishedOn ?? null;
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-4 rounded-xl border border-zinc-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-5 dark:border-zinc-800 dark:bg-zinc-900">
      <Fact label="State">
        <StateBadge state={job.state} />
      </Fact>
      <Fact label="Progress">
        <ProgressBar
          value={job.progress}
          label="Progress"
          tone={job.state === 'paused' ? 'amber' : 'blue'}
        />
      </Fact>
      <Fact label="Attempts">
        <span className="tabular-nums">
          {formatCount(job.attemptsMade)} of {formatCount(row.maxAttempts)} made
          {job.attemptsStarted > job.attemptsMade
            ? ` · ${formatCount(job.attemptsStarted)} started`
            : ''}
        </span>
      </Fact>
      <Fact label="Queue">{job.queue}</Fact>
      <Fact label="Worker">
        {job.processedBy ? (
          <code className="font-mono text-xs" title={job.processedBy}>
            {job.processedBy}
          </code>
        ) : (
          <span
            className="text-zinc-400"
            title="BullMQ records a worker only when the worker has a name"
          >
            not recorded
          </span>
        )}
      </Fact>
      <Fact label="Added">
        <RelativeTime value={job.timestamp} />
      </Fact>
      <Fact label="Started">
        <RelativeTime value={job.processedOn} fallback="not yet" />
      </Fact>
      <Fact label="Finished">
        <RelativeTime value={end} fallback="not yet" />
      </Fact>
      <Fact label="Ran for">
        {job.processedOn && end ? (
          formatDuration(end - job.processedOn)
        ) : (
          <span className="text-zinc-400">—</span>
        )}
      </Fact>
      <Fact label="Delay">
        {typeof job.opts.delay === 'number' && job.opts.delay > 0 && !job.parked ? (
          formatDuration(job.opts.delay)
        ) : (
          <span className="text-zinc-400">none</span>
        )}
      </Fact>
    </dl>
  );
}

/** The failure, with its stack trace, folded. */
export function JobError({ job }: { job: JobView }) {
  if (!job.failedReason && job.stacktrace.length === 0) return null;
  const cancelled = job.state === 'cancelled';
  return (
    <Section title={cancelled ? 'Why it ended' : 'Error'}>
      <p
        className={cn(
          'rounded-md px-3 py-2 font-mono text-xs break-words',
          cancelled
            ? 'bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200'
            : 'bg-red-50 text-red-800 dark:bg-red-950/50 dark:text-red-200',
        )}
      >
        {job.failedReason}
      </p>
      {job.stacktrace.length > 0 ? (
        <details className="mt-3">
          <summary className="cursor-pointer text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
            Stack trace (
            {job.stacktrace.length === 1 ? '1 attempt' : `${job.stacktrace.length} attempts`})
          </summary>
          <div className="mt-2 space-y-2">
            {job.stacktrace.map((trace, i) => (
              <pre
                // biome-ignore lint/suspicious/noArrayIndexKey: one trace per attempt, in order
                key={i}
                className="overflow-x-auto rounded-md bg-zinc-50 p-3 font-mono text-xs leading-5 dark:bg-zinc-950"
              >
                {trace}
              </pre>
            ))}
          </div>
        </details>
      ) : null}
    </Section>
  );
}

/** `job.log` lines, oldest first, numbered. */
export function JobLogs({ logs, count }: { logs: string[]; count: number }) {
  return (
    <Section
      title="Logs"
      aside={
        count > logs.length
          ? `last ${formatCount(logs.length)} of ${formatCount(count)} lines`
          : plural(count, 'line')
      }
    >
      {logs.length === 0 ? (
        <p className="text-sm text-zinc-500">
          This job wrote no log lines. Processors add them with{' '}
          <code className="font-mono text-xs">job.log(…)</code>.
        </p>
      ) : (
        <ol className="max-h-96 overflow-auto rounded-md bg-zinc-50 py-2 font-mono text-xs leading-5 dark:bg-zinc-950">
          {logs.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: log lines are positional
            <li key={i} className="flex gap-3 px-3 hover:bg-zinc-100 dark:hover:bg-zinc-900">
              <span className="w-8 shrink-0 text-right text-zinc-400 select-none">
                {count - logs.length + i + 1}
              </span>
              <span className="break-all whitespace-pre-wrap">{line}</span>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
