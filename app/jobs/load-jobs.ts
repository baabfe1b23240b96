import 'server-only';
import type { JobsSearch } from '@/components/jobs/job-search';
import type { JobsPageData } from '@/components/jobs/types';
import type { Loaded } from '@/components/service-down';
import type { Database } from '@/db/client';
import type { SignalKind } from '@/db/schema';
import { latestSignals, openSignalsForJobs, servedQueues } from '@/db/signals';
import { listJobs, queueCounts } from '@/worker/job-list';
import type { JobView } from '@/worker/job-state';
import type { QueueRegistry } from '@/worker/queues';
import { loaded } from '../lib/loaded';
import { deps } from '../lib/services';
import { toJobRow } from './views';

type Deps = { db: Database; queues: QueueRegistry };

/** Open signal kinds per job of the page, one query per queue on it. */
async function openKinds(db: Database, jobs: JobView[]): Promise<Map<string, Set<SignalKind>>> {
  const byQueue = new Map<string, string[]>();
  for (const j of jobs) byQueue.set(j.queue, [...(byQueue.get(j.queue) ?? []), j.id]);
  const lists = await Promise.all(
    [...byQueue].map(([queue, ids]) => openSignalsForJobs(db, queue, ids)),
  );
  const out = new Map<string, Set<SignalKind>>();
  for (const s of lists.flat()) {
    const key = `${s.queue}\u0000${s.jobId}`;
    out.set(key, (out.get(key) ?? new Set<SignalKind>()).add(s.signal));
  }
  return out;
}

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
      openKinds(d.db, page.jobs),
    ]);
    const rows = page.jobs.map((j) => {
      const key = `${j.queue}\u0000${j.id}`;
      return toJobRow(j, latest.get(key), open.get(key) ?? new Set(), served.get(j.queue) ?? 0);
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
