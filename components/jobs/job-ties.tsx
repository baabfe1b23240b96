import Link from 'next/link';
import type { JobRef, JobRelations } from '@/app/contracts';
import { Alert } from '../ui/alert';
import { formatCount, oneLine } from '../ui/format';
import { RelativeTime } from '../ui/relative-time';
import { jobHref } from './job-hrefs';
import { Section } from './job-sections';
import { describeChildren, describeSchedule, refName } from './tie-messages';

const LINK =
  'font-mono text-xs text-blue-700 underline-offset-2 hover:underline dark:text-blue-400';

/** A link to a job of this dashboard, or its key when it lives under another prefix. */
export function JobRefLink({ job }: { job: JobRef }) {
  const name = refName(job);
  if (job.queue === null)
    return (
      <code className="font-mono text-xs break-all" title={name}>
        {oneLine(name, 120)}
      </code>
    );
  return (
    <Link
      href={jobHref(job.queue, job.id)}
      className={`${LINK} break-all`}
      title={name}
      prefetch={false}
    >
      {oneLine(name, 120)}
    </Link>
  );
}

/** The schedule of a scheduler's run: what it is, when it runs next, what a signal does. */
export function ScheduleAlert({ relations }: { relations: JobRelations }) {
  const s = relations.scheduler;
  if (!s) return null;
  return (
    <Alert tone="info" title={`Run of job scheduler ${oneLine(s.id, 120)}`}>
      <span data-testid="job-schedule">
        {s.exists ? (
          <>
            Runs {describeSchedule(s)}
            {s.name ? (
              <>
                {' '}
                as <span className="font-medium">{oneLine(s.name, 120)}</span>
              </>
            ) : null}
            ; next run {s.next ? <RelativeTime value={s.next} /> : <span>none scheduled</span>}
            {s.iterations !== null
              ? ` · ${formatCount(s.iterations)}${s.limit !== null ? ` of ${formatCount(s.limit)}` : ''} runs so far`
              : ''}
            .{' '}
          </>
        ) : (
          'The scheduler has been removed since this run was scheduled. '
        )}
        Cancel skips this run only: it ends as cancelled when it starts, without running its
        processor. Pausing one run is not offered; to hold the schedule, pause the queue (admins, on
        Queues) or remove the scheduler.
      </span>
    </Alert>
  );
}

/** A flow's parent and children, with links. */
export function FlowSection({ relations }: { relations: JobRelations }) {
  const { parent, children } = relations;
  if (!parent && !children) return null;
  return (
    <Section title="Flow">
      <dl className="space-y-3 text-sm" data-testid="job-flow">
        {parent ? (
          <div>
            <dt className="text-xs text-zinc-500">Parent</dt>
            <dd className="mt-0.5">
              <JobRefLink job={parent} />
              <p className="mt-0.5 text-xs text-zinc-500">
                It waits for this job. Cancelling this job while queued lets the parent go on
                without it; pausing it keeps the parent waiting.
              </p>
            </dd>
          </div>
        ) : null}
        {children ? (
          <div>
            <dt className="text-xs text-zinc-500">Children</dt>
            <dd className="mt-0.5 space-y-1.5">
              <p>{describeChildren(children)}.</p>
              <ul className="max-h-48 space-y-0.5 overflow-auto">
                {children.shown.map((c) => (
                  <li key={c.key} className="min-w-0">
                    <JobRefLink job={c} />
                  </li>
                ))}
              </ul>
              {children.shown.length < children.total ? (
                <p className="text-xs text-zinc-500">
                  The first {formatCount(children.shown.length)} of {formatCount(children.total)}{' '}
                  are listed.
                </p>
              ) : null}
              <p className="text-xs text-zinc-500">
                Cancelling this job removes it and all its children, in every queue.
              </p>
            </dd>
          </div>
        ) : null}
      </dl>
    </Section>
  );
}
