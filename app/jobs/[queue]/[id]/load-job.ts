import 'server-only';
import type { JobDetailData } from '@/components/jobs/types';
import type { Loaded } from '@/components/service-down';
import type { Database } from '@/db/client';
import type { SignalKind } from '@/db/schema';
import { servedQueues } from '@/db/signals';
import { getJobDetail } from '@/worker/job-detail';
import type { QueueRegistry } from '@/worker/queues';
import { loaded } from '../../../lib/loaded';
import { deps } from '../../../lib/services';
import { toJobRow, toSignalView } from '../../views';

/** One job with its logs and its whole signal timeline; data null when nobody ever heard of it. */
export function loadJobDetail(
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
    return {
      row: toJobRow(detail.job, latest, open, served.get(queue) ?? 0),
      job: detail.job,
      signals: detail.signals.map(toSignalView),
      logs: detail.logs,
      logCount: detail.logCount,
    };
  });
}
