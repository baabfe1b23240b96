import type { ReactNode } from 'react';
import type { JobRow, JobView } from '@/app/contracts';
import { boundLines, boundText } from '../ui/bounded';
import { cn } from '../ui/cn';
import { formatCount, formatDuration, oneLine, plural } from '../ui/format';
import { CutTextNote, WholeValueLinks } from '../ui/large-value';
import { ProgressBar } from '../ui/progress-bar';
import { RelativeTime } from '../ui/relative-time';
import { StateBadge } from '../ui/state-badge';
import { valueHref } from './job-hrefs';

/** The failure reason shown; the rest is a link away. */
const REASON_BYTES = 4 * 1024;
/** Each attempt's stack trace shown, and all of them together. */
const TRACE_BYTES = 16 * 1024;
const TRACES_BYTES = 48 * 1024;
/** Each log line shown, and the newest lines that fit together. */
const LOG_LINE_BYTES = 2 * 1024;
const LOGS_BYTES = 64 * 1024;

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
      <Fact label="Queue">
        <span title={job.queue}>{oneLine(job.queue)}</span>
      </Fact>
      <Fact label="Worker">
        {job.processedBy ? (
          <code className="font-mono text-xs" title={job.processedBy}>
            {oneLine(job.processedBy)}
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

/** The failure, with its stack traces folded; each cut to a readable size, all of them a link away. */
export function JobError({ job }: { job: JobView & { removed?: boolean } }) {
  if (!job.failedReason && job.stacktrace.length === 0) return null;
  const cancelled = job.state === 'cancelled';
  const reason = boundText(job.failedReason ?? '', REASON_BYTES);
  const traces = boundTraces(job.stacktrace);
  return (
    <Section title={cancelled ? 'Why it ended' : 'Error'}>
      <p
        className={cn(
          'max-h-48 overflow-auto rounded-md px-3 py-2 font-mono text-xs break-words whitespace-pre-wrap',
          cancelled
            ? 'bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200'
            : 'bg-red-50 text-red-800 dark:bg-red-950/50 dark:text-red-200',
        )}
      >
        {reason.text}
        {reason.cut ? '…' : ''}
      </p>
      {job.removed ? null : (
        <CutTextNote
          shown={reason}
          href={valueHref(job.queue, job.id, 'failedReason')}
          label="the failure reason"
        />
      )}
      {job.stacktrace.length > 0 ? (
        <details className="mt-3" data-testid="stack-traces">
          <summary className="cursor-pointer text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
            Stack trace ({plural(job.stacktrace.length, 'attempt')})
          </summary>
          <div className="mt-2 space-y-2">
            {traces.shown.map((trace, i) => (
              <pre
                // biome-ignore lint/suspicious/noArrayIndexKey: one trace per attempt, in order
                key={i}
                className="max-h-96 overflow-auto rounded-md bg-zinc-50 p-3 font-mono text-xs leading-5 dark:bg-zinc-950"
              >
                {trace}
              </pre>
            ))}
            {traces.cut ? (
              <p className="flex flex-wrap gap-x-3 text-xs text-zinc-600 dark:text-zinc-400">
                <span>
                  Cut: {traces.left > 0 ? `${plural(traces.left, 'older trace')} left out; ` : ''}
                  the traces are longer than shown.
                </span>
                <WholeValueLinks
                  href={valueHref(job.queue, job.id, 'stacktrace')}
                  label="the stack traces"
                />
              </p>
            ) : null}
          </div>
        </details>
      ) : null}
    </Section>
  );
}

/** The newest traces within TRACES_BYTES, each within TRACE_BYTES. */
function boundTraces(all: string[]): { shown: string[]; left: number; cut: boolean } {
  const lines = boundLines(all.map(String), TRACE_BYTES, TRACES_BYTES);
  const shown = lines.lines.map((t, i) =>
    t.length < (all[lines.skipped + i]?.length ?? 0) ? `${t}\n…` : t,
  );
  return { shown, left: lines.skipped, cut: lines.skipped > 0 || lines.cutLine };
}

/** `job.log` lines, oldest first, numbered: the newest that fit, each cut to a readable length. */
export function JobLogs({
  logs,
  count,
  href,
}: {
  logs: string[];
  count: number;
  /** Where all of them are served; null when Redis no longer has the job. */
  href: string | null;
}) {
  const shown = boundLines(logs, LOG_LINE_BYTES, LOGS_BYTES);
  const first = count - logs.length + shown.skipped;
  const cut = count > shown.lines.length || shown.cutLine;
  return (
    <Section
      title="Logs"
      aside={
        count > shown.lines.length
          ? `last ${formatCount(shown.lines.length)} of ${formatCount(count)} lines`
          : plural(count, 'line')
      }
    >
      {shown.lines.length === 0 ? (
        <p className="text-sm text-zinc-500">
          This job wrote no log lines. Processors add them with{' '}
          <code className="font-mono text-xs">job.log(…)</code>.
        </p>
      ) : (
        <ol className="max-h-96 overflow-auto rounded-md bg-zinc-50 py-2 font-mono text-xs leading-5 dark:bg-zinc-950">
          {shown.lines.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: log lines are positional
            <li key={i} className="flex gap-3 px-3 hover:bg-zinc-100 dark:hover:bg-zinc-900">
              <span className="w-12 shrink-0 text-right text-zinc-400 tabular-nums select-none">
                {formatCount(first + i + 1)}
              </span>
              <span className="min-w-0 break-all whitespace-pre-wrap">{line}</span>
            </li>
          ))}
        </ol>
      )}
      {cut && href ? (
        <p className="mt-2 flex flex-wrap gap-x-3 text-xs text-zinc-600 dark:text-zinc-400">
          <span>
            {count > shown.lines.length ? 'Older lines are left out' : 'Long lines are cut'}.
          </span>
          <WholeValueLinks href={href} label="the logs" />
        </p>
      ) : null}
    </Section>
  );
}
