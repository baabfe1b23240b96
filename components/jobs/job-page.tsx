import Link from 'next/link';
import type { JobDetailData } from '@/app/contracts';
import { Alert } from '../ui/alert';
import { JsonView } from '../ui/json-view';
import { RelativeTime } from '../ui/relative-time';
import { SignalBadge } from '../ui/signal-badge';
import { StateBadge } from '../ui/state-badge';
import { JobActions } from './job-actions';
import { JobLive } from './job-live';
import { JobError, JobFacts, JobLogs, Section } from './job-sections';
import { unservedWarning } from './signal-messages';
import { SignalTimeline } from './signal-timeline';
import { SignalWaitNote } from './signal-wait-note';

const isEmpty = (v: unknown) =>
  v == null || (typeof v === 'object' && Object.keys(v as object).length === 0);

/** /jobs/[queue]/[id]: one job, its data, logs and error, and its whole signal timeline. */
export function JobPage({ data }: { data: JobDetailData }) {
  const { job, row, signals } = data;
  const latest = row.latestSignal;
  const jobsOfQueue = `/jobs?queue=${encodeURIComponent(job.queue)}`;
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500">
        <ol className="flex flex-wrap items-center gap-1.5">
          <li>
            <Link
              href="/jobs"
              className="hover:text-zinc-900 hover:underline dark:hover:text-zinc-100"
            >
              Jobs
            </Link>
          </li>
          <li aria-hidden="true">/</li>
          <li>
            <Link
              href={jobsOfQueue}
              className="hover:text-zinc-900 hover:underline dark:hover:text-zinc-100"
            >
              {job.queue}
            </Link>
          </li>
          <li aria-hidden="true">/</li>
          <li aria-current="page" className="font-mono text-zinc-700 dark:text-zinc-300">
            {job.id}
          </li>
        </ol>
      </nav>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 space-y-1.5">
          <h1 className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xl font-semibold tracking-tight">
            <span className="break-all">{job.name}</span>
            <span className="font-mono text-base font-normal text-zinc-500">#{job.id}</span>
          </h1>
          <div className="flex flex-wrap items-center gap-2" data-testid="job-status">
            <StateBadge state={job.state} />
            {latest ? <SignalBadge signal={latest.signal} status={latest.status} /> : null}
            {latest?.wait ? <SignalWaitNote wait={latest.wait} queue={job.queue} /> : null}
            <JobLive queue={job.queue} id={job.id} />
          </div>
        </div>
        <JobActions job={row} size="sm" withMenu={false} />
      </header>

      {job.removed ? (
        <Alert tone="info" title="Removed from its queue by a cancel">
          Redis no longer holds this job: a cancel removed it before it started. What you see is
          rebuilt from the signal&apos;s outcome.
        </Alert>
      ) : null}
      {job.parked ? (
        <Alert tone="warning" title="Paused">
          Parked <RelativeTime value={job.parked.at} /> by signal #{job.parked.signalId}. Resume it
          to continue{isEmpty(job.resumeState) ? '' : ` from ${JSON.stringify(job.resumeState)}`}.
        </Alert>
      ) : null}
      {row.workers === 0 && row.actions.length > 0 ? (
        <Alert tone="warning">{unservedWarning(job.queue)}</Alert>
      ) : null}

      <JobFacts job={job} row={row} />

      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,28rem)]">
        <div className="min-w-0 space-y-4">
          <JobError job={job} />
          <Section title="Data">
            <JsonView value={job.data} label="job data" />
          </Section>
          {job.state === 'completed' ? (
            <Section title="Return value">
              <JsonView value={job.returnvalue} label="return value" />
            </Section>
          ) : null}
          <JobLogs logs={data.logs} count={data.logCount} />
          <Section title="Options">
            {isEmpty(job.opts) ? (
              <p className="text-sm text-zinc-500">No options were stored for this job.</p>
            ) : (
              <JsonView value={job.opts} openDepth={1} label="job options" />
            )}
          </Section>
        </div>
        <Section
          title="Signal timeline"
          aside={
            signals.length > 0
              ? `${signals.length} ${signals.length === 1 ? 'signal' : 'signals'}, oldest first`
              : undefined
          }
        >
          <SignalTimeline signals={signals} workers={row.workers} queue={job.queue} />
        </Section>
      </div>
    </div>
  );
}
