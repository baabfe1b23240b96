import type { ReactNode } from 'react';
import type { SignalView } from '@/app/contracts';
import { cn } from '../ui/cn';
import { EmptyState } from '../ui/empty-state';
import { formatDuration, toMillis } from '../ui/format';
import { JsonView } from '../ui/json-view';
import { RelativeTime } from '../ui/relative-time';
import { SignalBadge } from '../ui/signal-badge';
import { describeWait } from './follow-messages';
import { describeOutcome } from './outcome';

interface Step {
  label: string;
  at: string | null;
  tone: 'done' | 'waiting' | 'late' | 'skipped';
  body?: ReactNode;
}

function stepsOf(s: SignalView, workers: number, queue: string): Step[] {
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
          {s.outcome && Object.keys(s.outcome).length > 0 ? (
            <JsonView value={s.outcome} openDepth={0} label="outcome" className="mt-1.5" />
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
      body: <span data-signal-wait={s.wait.why}>{describeWait(s.wait, queue)}</span>,
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
      body: 'It acts at the job’s next checkpoint.',
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

function Entry({ s, workers, queue }: { s: SignalView; workers: number; queue: string }) {
  const steps = stepsOf(s, workers, queue);
  return (
    <li
      className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
      data-signal-id={s.id}
    >
      <div className="mb-3 flex items-center justify-between gap-2">
        <SignalBadge signal={s.signal} status={s.status} />
        <span className="text-xs text-zinc-500">#{s.id}</span>
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

/** Every signal of a job, oldest first: requested, delivered, completed or superseded, with the time between steps. */
export function SignalTimeline({
  signals,
  workers,
  queue,
}: {
  signals: SignalView[];
  workers: number;
  queue: string;
}) {
  if (signals.length === 0) {
    return (
      <EmptyState title="No signals yet" className="py-8">
        Cancel, pause or resume this job with the buttons above; each request and what the worker
        did with it shows up here.
      </EmptyState>
    );
  }
  return (
    <ol className="space-y-3" aria-label="Signal timeline">
      {signals.map((s) => (
        <Entry key={s.id} s={s} workers={workers} queue={queue} />
      ))}
    </ol>
  );
}
