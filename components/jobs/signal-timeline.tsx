import Link from 'next/link';
import type { ReactNode } from 'react';
import type { SignalView } from '@/app/contracts';
import { cn } from '../ui/cn';
import { EmptyState } from '../ui/empty-state';
import { formatCount, formatDuration, plural, toMillis } from '../ui/format';
import { LargeJson } from '../ui/large-value';
import { RelativeTime } from '../ui/relative-time';
import { SignalBadge } from '../ui/signal-badge';
import { describeWait } from './follow-messages';
import { auditHref, valueHref } from './job-hrefs';
import { describeOutcome } from './outcome';
import { describeRemovedChildren } from './outcome-children';
import { TIMELINE_MAX, TIMELINE_STEP } from './timeline-window';

/** An outcome up to this size is shown whole; a larger one (a removal keeps the job's data) is cut. */
const OUTCOME_WHOLE_BYTES = 4 * 1024;
const OUTCOME_HEAD_BYTES = 2 * 1024;

/**
 * Whether the outcome holds nothing the sentence above it does not say (a
 * superseded signal's reason, a bare action): then no JSON view is rendered, which
 * keeps a long timeline light.
 */
function saidInWords(s: SignalView): boolean {
  const keys = Object.keys(s.outcome ?? {});
  const said = s.status === 'superseded' ? ['reason'] : ['action'];
  return keys.every((k) => said.includes(k));
}

/** The job a timeline belongs to: for links, and for what a scheduler's run says. */
interface TimelineJob {
  queue: string;
  id: string;
  schedulerId: string | null;
}

interface Step {
  label: string;
  at: string | null;
  tone: 'done' | 'waiting' | 'late' | 'skipped';
  body?: ReactNode;
}

function stepsOf(s: SignalView, workers: number, job: TimelineJob): Step[] {
  const steps: Step[] = [
    {
      label: 'Requested',
      at: s.createdAt,
      tone: 'done',
      body: (
        <>
          by <span className="font-medium text-zinc-900 dark:text-zinc-100">{s.requestedBy}</span>
          {s.reason ? (
            <span className="mt-0.5 block text-zinc-700 italic dark:text-zinc-300">
              “{s.reason}”
            </span>
          ) : (
            <span className="text-zinc-500"> · no reason given</span>
          )}
        </>
      ),
    },
  ];
  if (s.deliveredAt)
    steps.push({
      label: 'Delivered',
      at: s.deliveredAt,
      tone: 'done',
      body: (
        <>
          to worker <code className="font-mono text-xs break-all">{s.workerId ?? 'unknown'}</code>
        </>
      ),
    });
  if (s.completedAt) {
    steps.push({
      label: s.status === 'completed' ? 'Completed' : 'Superseded',
      at: s.completedAt,
      tone: s.status === 'completed' ? 'done' : 'skipped',
      body: (
        <>
          {describeOutcome(s)}
          {describeRemovedChildren(s) ? <> {describeRemovedChildren(s)}</> : null}
          {s.outcome && !saidInWords(s) ? (
            <LargeJson
              value={s.outcome}
              openDepth={0}
              label="outcome"
              href={valueHref(job.queue, job.id, 'outcome', s.id)}
              wholeMax={OUTCOME_WHOLE_BYTES}
              head={OUTCOME_HEAD_BYTES}
              className="mt-1.5"
            />
          ) : null}
        </>
      ),
    });
  } else if (s.wait) {
    // Past the time a worker takes: say why it waits.
    steps.push({
      label: s.status === 'pending' ? 'Waiting for a worker' : 'Worker acting',
      at: null,
      tone: 'late',
      body: <span data-signal-wait={s.wait.why}>{describeWait(s.wait, job.queue)}</span>,
    });
  } else if (s.status === 'pending') {
    steps.push({
      label: 'Waiting for a worker',
      at: null,
      tone: 'waiting',
      body:
        workers > 0
          ? 'A Signal Desk worker serving this queue picks it up within seconds.'
          : 'No Signal Desk worker serves this queue right now; the signal waits until one starts.',
    });
  } else {
    steps.push({
      label: 'Worker acting',
      at: null,
      tone: 'waiting',
      body:
        s.signal === 'cancel' && job.schedulerId
          ? 'This scheduler run is marked to be skipped: it ends as cancelled when it starts, without running its processor.'
          : 'It acts at the job’s next checkpoint.',
    });
  }
  return steps;
}

const DOT = {
  done: 'bg-emerald-500 ring-emerald-100 dark:ring-emerald-950',
  waiting: 'animate-pulse bg-amber-500 ring-amber-100 dark:ring-amber-950',
  late: 'bg-amber-600 ring-amber-200 dark:ring-amber-900',
  skipped: 'bg-zinc-400 ring-zinc-100 dark:ring-zinc-800',
};

function Entry({ s, workers, job }: { s: SignalView; workers: number; job: TimelineJob }) {
  const steps = stepsOf(s, workers, job);
  return (
    <li
      className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
      data-signal-id={s.id}
    >
      <div className="mb-3 flex items-center justify-between gap-2">
        <SignalBadge signal={s.signal} status={s.status} />
        <span className="text-xs text-zinc-500 tabular-nums">#{s.id}</span>
      </div>
      <ol className="space-y-0">
        {steps.map((step, i) => {
          const prev = steps[i - 1];
          const from = toMillis(prev?.at);
          const to = toMillis(step.at);
          return (
            <li key={step.label} className="relative pb-3 pl-6 last:pb-0" data-step={step.label}>
              {i < steps.length - 1 ? (
                <span
                  className="absolute top-3 bottom-0 left-[5px] w-px bg-zinc-200 dark:bg-zinc-700"
                  aria-hidden="true"
                />
              ) : null}
              <span
                className={cn(
                  'absolute top-1.5 left-0 size-[11px] rounded-full ring-4',
                  DOT[step.tone],
                )}
                aria-hidden="true"
              />
              <div className="flex flex-wrap items-baseline gap-x-2">
                <span className="text-sm font-medium">{step.label}</span>
                {step.at ? (
                  <RelativeTime value={step.at} className="text-xs text-zinc-500" />
                ) : null}
                {from !== null && to !== null ? (
                  <span className="text-xs text-zinc-500 tabular-nums" data-elapsed>
                    +{formatDuration(to - from)}
                  </span>
                ) : null}
              </div>
              {step.body ? (
                <div className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">{step.body}</div>
              ) : null}
            </li>
          );
        })}
      </ol>
    </li>
  );
}

/** "50 of 5,000 signals, oldest first" beside the timeline's title. */
export function TimelineAside({ shown, total }: { shown: number; total: number }) {
  if (total === 0) return null;
  return shown < total
    ? `the newest ${formatCount(shown)} of ${plural(total, 'signal')}, oldest first`
    : `${plural(total, 'signal')}, oldest first`;
}

/**
 * A job's newest signals, oldest first: requested, delivered, completed or
 * superseded, with the time between steps. Long histories show the newest
 * TIMELINE_STEP, "show older" adds as many again up to TIMELINE_MAX, and the audit
 * list (paged by key) holds the rest.
 */
export function SignalTimeline({
  signals,
  total,
  limit,
  workers,
  job,
}: {
  signals: SignalView[];
  total: number;
  /** How many the page asked for (the `signals` URL parameter). */
  limit: number;
  workers: number;
  job: TimelineJob;
}) {
  if (signals.length === 0) {
    return (
      <EmptyState title="No signals yet" className="py-8">
        Cancel, pause or resume this job with the buttons above; each request and what the worker
        did with it shows up here.
      </EmptyState>
    );
  }
  const older = total - signals.length;
  const next = Math.min(limit + TIMELINE_STEP, TIMELINE_MAX);
  return (
    <div className="space-y-3">
      {older > 0 ? (
        <p
          className="flex flex-wrap items-baseline justify-between gap-2 rounded-lg bg-zinc-50 px-3 py-2 text-xs text-zinc-600 dark:bg-zinc-950 dark:text-zinc-400"
          data-testid="older-signals"
        >
          <span>{plural(older, 'older signal')} not shown.</span>
          <span className="flex gap-3">
            {limit < TIMELINE_MAX ? (
              <Link
                href={`?signals=${next}`}
                scroll={false}
                replace
                className="font-medium text-blue-700 hover:underline dark:text-blue-400"
              >
                Show {formatCount(Math.min(older, next - limit))} older
              </Link>
            ) : null}
            <Link
              href={auditHref(job.queue, job.id)}
              className="font-medium text-blue-700 hover:underline dark:text-blue-400"
            >
              All {formatCount(total)} in the audit list
            </Link>
          </span>
        </p>
      ) : null}
      <ol className="space-y-3" aria-label="Signal timeline">
        {signals.map((s) => (
          <Entry key={s.id} s={s} workers={workers} job={job} />
        ))}
      </ol>
    </div>
  );
}
