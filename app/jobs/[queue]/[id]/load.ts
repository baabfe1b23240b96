import 'server-only';
import { getJobDetail } from '@/app/bullmq/job-detail';
import { readRelations } from '@/app/bullmq/job-relations';
import type { QueueRegistry } from '@/app/bullmq/queue-registry';
import type { JobDetailData, Loaded } from '@/app/contracts';
import type { Database } from '@/db/client';
import { servedQueues, workersLastSeen } from '@/db/heartbeats';
import type { SignalKind } from '@/db/vocabulary';
import { toSignalView } from '../../../contracts';
import { loaded } from '../../../lib/loaded';
import { deps } from '../../../lib/services';
import { toJobRow, waitOf, workersToCheck } from '../../job-rows';

/** `job.log` lines the page reads (the newest); the rest are a download away. */
const LOG_LIMIT = 500;

/**
 * One job with its logs, its scheduler and flow ties, and the newest `signalLimit`
 * signals of its timeline; data null when nobody ever heard of it.
 */
export function loadJobPage(
  queue: string,
  id: string,
  signalLimit: number,
  d: { db: Database; queues: QueueRegistry } = deps(),
): Promise<Loaded<JobDetailData | null>> {
  return loaded(async () => {
    const [detail, served] = await Promise.all([
      getJobDetail(d, queue, id, { limit: signalLimit }),
      servedQueues(d.db),
    ]);
    if (!detail) return null;
    const { bullJob, history } = detail;
    const workers = served.get(queue) ?? 0;
    const job = detail.job.removed ? null : detail.job;
    const [relations, logs, seen] = await Promise.all([
      readRelations(d.queues.get(queue), bullJob),
      bullJob
        ? d.queues.get(queue).getJobLogs(id, -LOG_LIMIT, -1, true)
        : { logs: [] as string[], count: 0 },
      // Why late signals wait: the heartbeats of the workers involved (none open: no query).
      workersLastSeen(d.db, workersToCheck(detail.open.map((signal) => ({ job, signal })))),
    ]);
    const waits = { lastSeen: seen, now: Date.now() };
    const open = new Set<SignalKind>(detail.open.map((s) => s.signal));
    const row = toJobRow(detail.job, history.signals.at(-1), open, workers, waits);
    // The row reaches the browser as a client component's props: its latest signal's
    // outcome (a removal's keeps the job's whole data) stays on the server.
    if (row.latestSignal) row.latestSignal = { ...row.latestSignal, outcome: null };
    return {
      row,
      job: detail.job,
      relations,
      signals: history.signals.map((s) => ({
        ...toSignalView(s),
        wait: waitOf(s, job, workers, waits),
      })),
      signalTotal: history.total,
      signalLimit,
      logs: logs.logs,
      logCount: logs.count,
    };
  });
}
