import Link from 'next/link';
import type { Loaded, QueueOverview, QueuesPageData, SetQueuePaused } from '@/app/contracts';
import { JOB_STATES, type JobStateName } from '@/app/contracts';
import { ServiceDown } from '../service-down';
import { Badge } from '../ui/badge';
import { EmptyState } from '../ui/empty-state';
import { formatCount, formatDuration, plural } from '../ui/format';
import { printable } from '../ui/printable';
import { RelativeTime } from '../ui/relative-time';
import { StateBadge } from '../ui/state-badge';
import { QueuePauseButton } from './queue-pause-button';
import { QueuesLive } from './queues-live';
import { QueuesPager, QueuesSearch } from './queues-search';

const STATES: readonly JobStateName[] = JOB_STATES;

// The job page's path (job-actions' jobHref lives in a client module a server component cannot call).
const jobHref = (queue: string, id: string) =>
  `/jobs/${encodeURIComponent(queue)}/${encodeURIComponent(id)}`;

const card =
  'rounded-xl border border-zinc-200 bg-white p-4 shadow-xs dark:border-zinc-800 dark:bg-zinc-900';
const label = 'text-xs font-semibold tracking-wide text-zinc-500 uppercase';

/** One page of the discovered queues: jobs per state, workers, open signals, signal timings. */
export async function QueuesOverview({
  promise,
  setQueuePaused,
}: {
  promise: Promise<Loaded<QueuesPageData>>;
  /** Given to admins only: the queue-level Pause / Resume. */
  setQueuePaused?: SetQueuePaused;
}) {
  const loaded = await promise;
  if (!loaded.ok) return <ServiceDown service={loaded.service} message={loaded.message} />;
  const data = loaded.data;
  if (data.discovered === 0) {
    return (
      <EmptyState title="No queues yet">
        Queues appear here once a BullMQ application has created one in Redis (any
        <code className="mx-1">bull:*:meta</code>key). Start the sample workers with
        <code className="mx-1">npm run worker</code>.
        <Skipped data={data} />
      </EmptyState>
    );
  }
  return (
    <>
      <QueuesLive />
      <QueuesSearch data={data} />
      {data.queues.length === 0 ? (
        <EmptyState title={`No queue name contains "${printable(data.search)}"`}>
          <Link href="/queues" className="font-medium underline">
            Show all {formatCount(data.discovered)} queues
          </Link>
        </EmptyState>
      ) : (
        <ul className="grid gap-4 xl:grid-cols-2" aria-label="Queues">
          {data.queues.map((q) => (
            <li key={q.name} className={card} data-queue={q.name}>
              <QueueCard q={q} setQueuePaused={setQueuePaused} />
            </li>
          ))}
        </ul>
      )}
      <QueuesPager data={data} />
      <Skipped data={data} />
    </>
  );
}

function Skipped({ data }: { data: QueuesPageData }) {
  if (data.skipped.length === 0) return null;
  return (
    <p className="text-xs text-zinc-500" data-testid="queues-skipped">
      Not listed: {data.skipped.map((s) => `${plural(s.count, 'key')} with ${s.reason}`).join('; ')}
      .
    </p>
  );
}

function QueueCard({
  q,
  setQueuePaused,
}: {
  q: QueueOverview;
  setQueuePaused: SetQueuePaused | undefined;
}) {
  const total = STATES.reduce((n, s) => n + (q.counts[s] ?? 0), 0);
  const headingId = `queue-${encodeURIComponent(q.name)}`;
  const approx = new Set(q.approximate);
  return (
    <article aria-labelledby={headingId} className="space-y-4">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={headingId} className="min-w-0 truncate font-semibold" title={printable(q.name)}>
          <Link href={`/jobs?queue=${encodeURIComponent(q.name)}`} className="hover:underline">
            {printable(q.name)}
          </Link>
        </h2>
        <span className="flex items-center gap-2 text-xs text-zinc-500">
          {q.paused ? <Badge tone="amber">queue paused</Badge> : null}
          {approx.size > 0 ? '≈ ' : ''}
          {plural(total, 'job')}
          {setQueuePaused ? (
            <QueuePauseButton queue={q.name} paused={q.paused} setQueuePaused={setQueuePaused} />
          ) : null}
        </span>
      </header>
      <dl className="flex flex-wrap gap-1.5">
        {STATES.filter((s) => (q.counts[s] ?? 0) > 0 || s === 'waiting' || s === 'active').map(
          (s) => (
            <div key={s} className="flex items-center gap-1">
              <dt>
                <StateBadge state={s} />
              </dt>
              <dd
                className="text-sm tabular-nums"
                title={
                  approx.has(s)
                    ? 'Estimated from the newest failed jobs: this queue has too many to read them all.'
                    : undefined
                }
              >
                {approx.has(s) ? '≈ ' : ''}
                {formatCount(q.counts[s] ?? 0)}
              </dd>
            </div>
          ),
        )}
      </dl>
      <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)_minmax(0,1fr)]">
        <section>
          <h3 className={label}>Workers</h3>
          <Workers q={q} />
        </section>
        <section>
          <h3 className={label}>Open signals</h3>
          <OpenSignals q={q} />
        </section>
        <section>
          <h3 className={label}>Requested → completed</h3>
          {q.completed24h === 0 ? (
            <p className="mt-1 text-sm text-zinc-500">None completed in the last 24 h.</p>
          ) : (
            <dl className="mt-1 space-y-0.5 text-sm">
              <div className="flex justify-between gap-2">
                <dt className="text-zinc-600 dark:text-zinc-400">median</dt>
                <dd className="tabular-nums" data-testid="median">
                  {formatDuration((q.medianSeconds ?? 0) * 1000)}
                </dd>
              </div>
              <div className="flex justify-between gap-2">
                <dt className="text-zinc-600 dark:text-zinc-400">slowest</dt>
                <dd className="tabular-nums">{formatDuration((q.slowestSeconds ?? 0) * 1000)}</dd>
              </div>
              <p className="text-xs text-zinc-500">
                {plural(q.completed24h, 'signal')} completed in the last 24 h
              </p>
            </dl>
          )}
        </section>
      </div>
    </article>
  );
}

function Workers({ q }: { q: QueueOverview }) {
  return (
    <div className="mt-1 space-y-1 text-sm">
      {q.workers.length === 0 ? (
        <p className="text-amber-700 dark:text-amber-400">No worker connected.</p>
      ) : (
        <ul className="space-y-0.5">
          {q.workers.slice(0, 6).map((w) => (
            <li
              key={w.id}
              className="truncate"
              title={`${w.addr} · connected ${formatDuration(w.age * 1000)} · idle ${formatDuration(w.idle * 1000)}`}
            >
              <span className="font-mono text-xs">{w.name || w.addr}</span>
              <span className="ml-1 text-xs text-zinc-500">
                idle {formatDuration(w.idle * 1000)}
              </span>
            </li>
          ))}
          {q.workers.length > 6 ? (
            <li className="text-xs text-zinc-500">and {q.workers.length - 6} more</li>
          ) : null}
        </ul>
      )}
      <p className="text-xs text-zinc-500">
        {q.signalWorkers > 0
          ? `${plural(q.signalWorkers, 'Signal Desk process', 'Signal Desk processes')} acting on signals`
          : 'No Signal Desk worker: signals wait until one runs.'}
      </p>
    </div>
  );
}

function OpenSignals({ q }: { q: QueueOverview }) {
  if (q.open === 0) return <p className="mt-1 text-sm text-zinc-500">None.</p>;
  return (
    <div className="mt-1 space-y-1 text-sm">
      <p>
        <Link
          href={`/signals?queue=${encodeURIComponent(q.name)}&status=pending,delivered`}
          className="font-medium text-blue-700 hover:underline dark:text-blue-400"
        >
          {plural(q.open, 'open signal')}
        </Link>
        {q.oldestOpenAt ? (
          <span className="text-xs text-zinc-500">
            {' '}
            · oldest <RelativeTime value={q.oldestOpenAt} />
          </span>
        ) : null}
      </p>
      <ul className="space-y-0.5">
        {q.openSignals.map((s) => (
          <li key={s.id} className="flex flex-wrap items-center gap-x-1.5 text-xs">
            <Badge tone={s.status === 'pending' ? 'amber' : 'blue'}>
              {s.signal} · {s.status}
            </Badge>
            <Link
              href={jobHref(s.queue, s.jobId)}
              className="font-mono text-blue-700 hover:underline dark:text-blue-400"
            >
              {s.jobId}
            </Link>
            <RelativeTime value={s.createdAt} className="text-zinc-500" />
          </li>
        ))}
      </ul>
    </div>
  );
}
