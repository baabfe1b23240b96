import 'server-only';
import type { QueueRegistry } from '@/app/bullmq/queue-registry';
import type { Loaded, OperationPageData } from '@/app/contracts';
import { waitOf, workersToCheck } from '@/app/jobs/job-rows';
import type { Database } from '@/db/client';
import { servedQueues, workersLastSeen } from '@/db/heartbeats';
import { openSignalsOfOperation, operationsWithCounts } from '@/db/operations';
import { readJobFacts } from '@/worker/job-facts';
import { loaded } from '../../lib/loaded';
import { deps } from '../../lib/services';
import { toOperationProgress } from '../progress';

/** How many of an operation's open signals its page lists, oldest first. */
const WAITING_SHOWN = 20;

/**
 * One operation: its progress (one grouped count), what it skipped, and its oldest
 * open signals with why each waits. Data null for an id no operation has.
 */
export function loadOperationPage(
  id: number,
  d: { db: Database; queues: QueueRegistry } = deps(),
): Promise<Loaded<OperationPageData | null>> {
  return loaded(async () => {
    const hit = (await operationsWithCounts(d.db, [id], { detail: true })).get(id);
    if (!hit) return null;
    const { operation, counts } = hit;
    const progress = toOperationProgress(operation, counts, new Date());
    const open = progress.open > 0 ? await openSignalsOfOperation(d.db, id, WAITING_SHOWN) : [];
    let waiting: OperationPageData['waiting'] = [];
    if (open.length > 0 && (await d.queues.exists(operation.queue))) {
      const [jobs, served] = await Promise.all([
        readJobFacts(
          d.queues.get(operation.queue),
          open.map((s) => s.jobId),
        ),
        servedQueues(d.db),
      ]);
      const viewOf = (jobId: string) => jobs.get(jobId) ?? null;
      const lastSeen = await workersLastSeen(
        d.db,
        workersToCheck(open.map((signal) => ({ job: viewOf(signal.jobId), signal }))),
      );
      const waits = { lastSeen, now: Date.now() };
      const workers = served.get(operation.queue) ?? 0;
      waiting = open.map((s) => ({
        id: s.id,
        jobId: s.jobId,
        status: s.status === 'delivered' ? 'delivered' : 'pending',
        wait: waitOf(s, viewOf(s.jobId), workers, waits),
      }));
    }
    return { ...progress, skipped: operation.skipped, waiting };
  });
}
