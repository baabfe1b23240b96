'use server';

import type { BulkSignalData } from '@/app/contracts';
import { requestBulkSignals } from '@/app/requests/request-bulk';
import { bulkSignalRequestSchema } from '@/app/requests/schema';
import { type ActionResult, safeAction } from '../lib/safe-action';
import { workersServing } from './served';

const run = safeAction(
  'requestBulkSignals',
  bulkSignalRequestSchema,
  async (input, { actor, deps }) => {
    const r = await requestBulkSignals(deps, {
      queue: input.queue,
      signal: input.signal,
      reason: input.reason ?? null,
      requestedBy: actor,
      ...(input.jobIds !== undefined ? { jobIds: input.jobIds } : { name: input.name }),
    });
    if (!r.ok) return { ok: false, error: r.error };
    return {
      ok: true,
      data: {
        operationId: r.operationId,
        jobCount: r.jobCount,
        requested: r.requested,
        existing: r.existing,
        skipped: r.skipped,
        workers: await workersServing(deps.db, input.queue),
      },
    };
  },
);

/**
 * One signal for many jobs of one queue, in one request: `{ queue, signal, reason?,
 * jobIds }` for selected jobs, or `{ queue, signal, reason?, name }` for every
 * queued and running job of that name.
 */
export async function requestBulkSignalsAction(
  input: unknown,
): Promise<ActionResult<BulkSignalData>> {
  return run(input);
}
