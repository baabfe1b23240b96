import 'server-only';
import { getJobDetail } from '@/app/bullmq/job-detail';
import type { QueueRegistry } from '@/app/bullmq/queue-registry';
import type { JobDetailData, Loaded } from '@/app/contracts';
import type { Database } from '@/db/client';
import { servedQueues, workersLastSeen } from '@/db/heartbeats';
import type { SignalKind } from '@/db/vocabulary';
import { toSignalView } from '../../../contracts';
import { loaded } from '../../../lib/loaded';
import { deps } from '../../../lib/services';
import { toJobRow, waitOf, workersToCheck } from '../../job-rows';

/** One job with its logs and its whole signal timeline; data null when nobody ever heard of it. */
export function loadJobPage(
  queue: string,
  id: string,
  d: { db: Database; queues: QueueRegistry } = deps(),
): Promise<Loaded<JobDetailData | null>> {
  return loaded(async () => {
    const [detail, served] = await Promise.all([getJobDetail(d, queue, id), servedQueues(d.db)]);
    if (!detail) return null;
    const open = new Set<SignalKind>(
      detail.signals
        .filter((s) => s.status === 'pending' || s.status === 'delivered')
        .map((s) => s.signal),
    );
    const latest = detail.signals.at(-1);
    const workers = served.get(queue) ?? 0;
    const job = detail.job.removed ? null : detail.job;
    const seen = await workersLastSeen(
      d.db,
      workersToCheck(detail.signals.map((signal) => ({ job, signal }))),
    );
    const waits = { lastSeen: seen, now: Date.now() };
    return {
      row: toJobRow(detail.job, latest, open, workers, waits),
      job: detail.job,
      signals: detail.signals.map((s) => ({
        ...toSignalView(s),
        wait: waitOf(s, job, workers, waits),
      })),
      logs: detail.logs,
      logCount: detail.logCount,
    };
  });
}
