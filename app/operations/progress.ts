import type { OperationProgress, OperationView } from '@/app/contracts';
import type { Database } from '@/db/client';
import { type OperationCounts, operationsWithCounts } from '@/db/operations';
import type { SignalOperation } from '@/db/schema';

export function toOperationView(op: SignalOperation): OperationView {
  return {
    id: op.id,
    signal: op.signal,
    queue: op.queue,
    requestedBy: op.requestedBy,
    reason: op.reason,
    name: op.name,
    jobCount: op.jobCount,
    createdAt: op.createdAt.toISOString(),
  };
}

/**
 * An operation's progress from its signals' counts. Jobs neither skipped nor given a
 * new signal already had an open one of the kind: they are `alreadyOpen`.
 */
export function toOperationProgress(
  op: SignalOperation,
  counts: OperationCounts,
  now: Date,
): OperationProgress {
  const s = counts.byStatus;
  const written = s.pending + s.delivered + s.completed + s.superseded;
  const open = s.pending + s.delivered;
  return {
    operation: toOperationView(op),
    written,
    acted: s.completed,
    superseded: s.superseded,
    open,
    alreadyOpen: Math.max(0, op.jobCount - op.skipped.length - written),
    skippedCount: op.skipped.length,
    supersededWhy: [...counts.supersededWhy]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    finishedAt: open === 0 && counts.lastFinishedAt ? counts.lastFinishedAt.toISOString() : null,
    readAt: now.toISOString(),
  };
}

/**
 * Operations' progress by id (unknown ids are left out), in the order asked: the
 * counts only while they run (a toast's poll), why some were superseded with `detail`.
 */
export async function readOperationsProgress(
  db: Database,
  ids: number[],
  options: { detail?: boolean } = {},
): Promise<OperationProgress[]> {
  const found = await operationsWithCounts(db, ids, options);
  const now = new Date();
  return [...new Set(ids)].flatMap((id) => {
    const hit = found.get(id);
    return hit ? [toOperationProgress(hit.operation, hit.counts, now)] : [];
  });
}
