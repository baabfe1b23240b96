import Link from 'next/link';
import type { JobDetailData } from '@/app/contracts';
import { Alert } from '../ui/alert';
import { boundText } from '../ui/bounded';
import { oneLine } from '../ui/format';
import { LargeJson } from '../ui/large-value';
import { RelativeTime } from '../ui/relative-time';
import { SignalBadge } from '../ui/signal-badge';
import { StateBadge } from '../ui/state-badge';
import { CopyButton, TruncatedText } from '../ui/truncated-text';
import { JobActions } from './job-actions';
import { valueHref } from './job-hrefs';
import { JobLive } from './job-live';
import { JobError, JobFacts, JobLogs, Section } from './job-sections';
import { FlowSection, ScheduleAlert } from './job-ties';
import { unservedWarning } from './signal-messages';
import { SignalTimeline, TimelineAside } from './signal-timeline';
import { SignalWaitNote } from './signal-wait-note';

const isEmpty = (v: unknown) =>
  v == null || (typeof v === 'object' && Object.keys(v as object).length === 0);

const CRUMB = 'hover:text-zinc-900 hover:underline dark:hover:text-zinc-100';

/**
 * /jobs/[queue]/[id]: one job, its data, logs and error, its schedule or flow, and
 * the newest part of its signal timeline. Large values are shown cut (decided here,
 * on the server), with links to all of them.
 */
export function JobPage({ data }: { data: JobDetailData }) {
  const { job, row, signals, relations } = data;
  const latest = row.latestSignal;
  const jobsOfQueue = `/jobs?queue=${encodeURIComponent(job.queue)}`;
  const href = (field: 'data' | 'returnvalue' | 'opts') =>
    // A removed job's data lives in its cancel's outcome, which the route also serves.
    job.removed && field !== 'data' ? null : valueHref(job.queue, job.id, field);
  const resume = isEmpty(job.resumeState)
    ? null
    : boundText(JSON.stringify(job.resumeState) ?? '', 300);
  return (
    <div className="min-w-0 space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500">
        <ol className="flex min-w-0 items-center gap-1.5">
          <li className="shrink-0">
            <Link href="/jobs" className={CRUMB}>
              Jobs
            </Link>
          </li>
          <li aria-hidden="true">/</li>
          <li className="max-w-[30%] shrink-0 truncate">
            <Link href={jobsOfQueue} className={CRUMB} title={job.queue}>
              {oneLine(job.queue)}
            </Link>
          </li>
          <li aria-hidden="true">/</li>
          <li aria-current="page" className="min-w-0 font-mono text-zinc-700 dark:text-zinc-300">
            <TruncatedText text={job.id} copyLabel="job id" />
          </li>
        </ol>
      </nav>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 flex-1 space-y-1.5">
          <h1 className="min-w-0 text-xl font-semibold tracking-tight">
            <span className="flex min-w-0 items-start gap-1">
              <span className="line-clamp-2 min-w-0 break-all" title={job.name}>
                {oneLine(job.name, 400)}
              </span>
              {job.name.length > 80 ? <CopyButton text={job.name} label="job name" /> : null}
            </span>
            <span
              className="block max-w-full truncate font-mono text-base font-normal text-zinc-500"
              title={job.id}
            >
              #{oneLine(job.id)}
            </span>
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
          <span className="break-words">
            Parked <RelativeTime value={job.parked.at} /> by signal #{job.parked.signalId}. Resume
            it to continue{resume ? ` from ${resume.text}${resume.cut ? '…' : ''}` : ''}.
          </span>
        </Alert>
      ) : null}
      <ScheduleAlert relations={relations} />
      {row.workers === 0 && row.actions.length > 0 ? (
        <Alert tone="warning">{unservedWarning(job.queue)}</Alert>
      ) : null}

      <JobFacts job={job} row={row} />

      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,28rem)]">
        <div className="min-w-0 space-y-4">
          <JobError job={job} />
          <FlowSection relations={relations} />
          <Section title="Data">
            <LargeJson value={job.data} label="job data" href={href('data')} />
          </Section>
          {job.state === 'completed' ? (
            <Section title="Return value">
              <LargeJson value={job.returnvalue} label="return value" href={href('returnvalue')} />
            </Section>
          ) : null}
          <JobLogs
            logs={data.logs}
            count={data.logCount}
            href={job.removed ? null : valueHref(job.queue, job.id, 'logs')}
          />
          <Section title="Options">
            {isEmpty(job.opts) ? (
              <p className="text-sm text-zinc-500">No options were stored for this job.</p>
            ) : (
              <LargeJson value={job.opts} openDepth={1} label="job options" href={href('opts')} />
            )}
          </Section>
        </div>
        <Section
          title="Signal timeline"
          aside={<TimelineAside shown={signals.length} total={data.signalTotal} />}
        >
          <SignalTimeline
            signals={signals}
            total={data.signalTotal}
            limit={data.signalLimit}
            workers={row.workers}
            job={{ queue: job.queue, id: job.id, schedulerId: job.schedulerId }}
          />
        </Section>
      </div>
    </div>
  );
}
