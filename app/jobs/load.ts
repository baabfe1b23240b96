import 'server-only';
import { listJobs, queueCounts } from '@/app/bullmq/job-list';
import type { QueueRegistry } from '@/app/bullmq/queue-registry';
import type { JobsPageData, Loaded } from '@/app/contracts';
import type { JobsSearch } from '@/components/jobs/job-search';
import type { Database } from '@/db/client';
import { servedQueues, workersLastSeen } from '@/db/heartbeats';
import { latestSignals, openKindsByJob } from '@/db/job-signals';
import { jobKey } from '@/db/vocabulary';
import { loaded } from '../lib/loaded';
import { deps } from '../lib/services';
import { toJobRow, workersToCheck } from './job-rows';

type Deps = { db: Database; queues: QueueRegistry };

/**
 * One page of /jobs: the jobs (paged through BullMQ's ranges, never all loaded),
 * their latest and open signals, per-queue counts and which queues a Signal Desk
 * worker serves.
 */
export function loadJobsPage(search: JobsSearch, d: Deps = deps()): Promise<Loaded<JobsPageData>> {
  return loaded(async () => {
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
        },
        d.db,
      ),
      queueCounts(d.queues, undefined, d.db),
      servedQueues(d.db),
      search.queue ? d.queues.exists(search.queue).then((found) => !found) : false,
    ]);
    const refs = page.jobs.map((j) => ({ queue: j.queue, jobId: j.id }));
    const [latest, open] = await Promise.all([
      latestSignals(d.db, refs),
      openKindsByJob(d.db, refs),
    ]);
    // Why late signals wait: the heartbeats of the workers holding those jobs (none: no query).
    const holders = workersToCheck(
      page.jobs.map((j) => ({ job: j, signal: latest.get(jobKey(j.queue, j.id)) })),
    );
    const seen = await workersLastSeen(d.db, holders);
    const waits = { lastSeen: seen, now: Date.now() };
    const rows = page.jobs.map((j) => {
      const key = jobKey(j.queue, j.id);
      const workers = served.get(j.queue) ?? 0;
      return toJobRow(j, latest.get(key), open.get(key) ?? new Set(), workers, waits);
    });
    return {
      rows,
      total: page.total,
      queues: counts.map((c) => ({
        name: c.queue,
        counts: c.counts,
        workers: served.get(c.queue) ?? 0,
      })),
      missingQueue: missing && search.queue ? search.queue : null,
      prefix: d.queues.prefix,
    };
  });
}
