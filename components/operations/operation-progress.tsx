import type { OperationProgress } from '@/app/contracts';
import { operationPercent, operationSummary } from '../jobs/follow-messages';
import { cn } from '../ui/cn';
import { formatCount } from '../ui/format';
import { ProgressBar } from '../ui/progress-bar';

function Count({ label, value, tone }: { label: string; value: number; tone?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className={cn('mt-0.5 text-lg font-semibold tabular-nums', tone)}>
        {formatCount(value)}
      </dd>
    </div>
  );
}

/** An operation's bar and counts: acted on, superseded, still open, already open, skipped. */
export function OperationProgressView({ progress: p }: { progress: OperationProgress }) {
  const pct = operationPercent(p);
  const sum = operationSummary(p);
  return (
    <div className="space-y-3" data-operation-progress={p.operation.id} data-open={p.open}>
      <p className="text-sm font-medium" data-operation-summary>
        {sum.title}
      </p>
      <ProgressBar
        value={pct}
        label={`Progress of operation ${p.operation.id}`}
        tone={p.open > 0 ? 'blue' : 'green'}
      />
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
        <Count label="Acted on" value={p.acted} tone="text-emerald-700 dark:text-emerald-400" />
        <Count label="Superseded" value={p.superseded} />
        <Count
          label="Still open"
          value={p.open}
          tone={p.open > 0 ? 'text-amber-700 dark:text-amber-400' : undefined}
        />
        <Count label="Already had one open" value={p.alreadyOpen} />
        <Count label="Skipped" value={p.skippedCount} />
      </dl>
    </div>
  );
}
