import 'server-only';
import { type JobListPage, listJobs, queueCounts } from '@/app/bullmq/job-list';
import type { QueueRegistry } from '@/app/bullmq/queue-registry';
import { ScanBusyError } from '@/app/bullmq/scan-gate';
import type { JobsPageData, Loaded } from '@/app/contracts';
import type { JobsSearch } from '@/components/jobs/job-search';
import type { Database } from '@/db/client';
import { servedQueues, workersLastSeen } from '@/db/heartbeats';
import { latestSignals, openKindsByJob } from '@/db/job-signals';
import { jobKey } from '@/db/vocabulary';
import { loaded } from '../lib/loaded';
import { deps } from '../lib/services';
import { actorName, currentActor } from '../lib/session';
import { toJobRow, workersToCheck } from './job-rows';

type Deps = { db: Database; queues: QueueRegistry };

/**
 * One page of /jobs: the jobs (paged through BullMQ's ranges, never all loaded),
 * their latest and open signals, per-queue counts and which queues a Signal Desk
 * worker serves. A name or search filter looks through a bounded number of jobs
 * (the page says how many); when the viewer's searches are all busy, the page
 * says so instead of queueing another.
 */
export function loadJobsPage(search: JobsSearch, d: Deps = deps()): Promise<Loaded<JobsPageData>> {
  return loaded(async () => {
    const actor = await currentActor();
    const [page, counts, served, missing] = await Promise.all([
      listJobs(
        d.queues,
        {
          queue: search.queue,
          states: search.states,
          name: search.name,
          search: search.q,
          order: search.sort.desc ? 'desc' : 'asc',
          page: search.page,
          pageSize: search.pageSize,
          caller: actor ? actorName(actor) : undefined,
        },
        d.db,
      ).catch((err: unknown): JobListPage | ScanBusyError => {
        if (err instanceof ScanBusyError) return err;
        throw err;
      }),
      queueCounts(d.queues, undefined, d.db),
      servedQueues(d.db),
      search.queue ? d.queues.exists(search.queue).then((found) => !found) : false,
    ]);
    const list = page instanceof ScanBusyError ? null : page;
    const refs = (list?.jobs ?? []).map((j) => ({ queue: j.queue, jobId: j.id }));
    const [latest, open] = await Promise.all([
      latestSignals(d.db, refs),
      openKindsByJob(d.db, refs),
    ]);
    // Why late signals wait: the heartbeats of the workers holding those jobs (none: no query).
    const jobs = list?.jobs ?? [];
    const holders = workersToCheck(
      jobs.map((j) => ({ job: j, signal: latest.get(jobKey(j.queue, j.id)) })),
    );
    const seen = await workersLastSeen(d.db, holders);
    const waits = { lastSeen: seen, now: Date.now() };
    const rows = jobs.map((j) => {
      const key = jobKey(j.queue, j.id);
      const workers = served.get(j.queue) ?? 0;
      return toJobRow(j, latest.get(key), open.get(key) ?? new Set(), workers, waits);
    });
    return {
      rows,
      total: list?.total ?? 0,
      queues: counts.map((c) => ({
        name: c.queue,
        counts: c.counts,
        approximate: c.approximate,
        workers: served.get(c.queue) ?? 0,
      })),
      missingQueue: missing && search.queue ? search.queue : null,
      prefix: d.queues.prefix,
      scan: list?.scan ?? null,
      busy: page instanceof ScanBusyError ? page.message : null,
    };
  });
}
