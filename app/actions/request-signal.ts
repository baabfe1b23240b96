'use server';

import type { RequestSignalData } from '@/app/contracts';
import { requestSignal } from '@/app/requests/request-signal';
import { signalRequestSchema } from '@/app/requests/schema';
import { toSignalView } from '../contracts';
import { type ActionResult, safeAction } from '../lib/safe-action';
import { workersServing } from './served';

const run = safeAction('requestSignal', signalRequestSchema, async (input, { actor, deps }) => {
  const r = await requestSignal(deps, {
    queue: input.queue,
    jobId: input.jobId,
    signal: input.signal,
    reason: input.reason ?? null,
    requestedBy: actor,
  });
  if (!r.ok) return { ok: false, error: r.error };
  return {
    ok: true,
    data: {
      signal: toSignalView(r.signal),
      created: r.created,
      workers: await workersServing(deps.db, input.queue),
      finishedAgoMs:
        !r.created && r.signal.completedAt ? Date.now() - r.signal.completedAt.getTime() : null,
    },
  };
});

/** Cancel, pause or resume one job: `{ queue, jobId, signal, reason? }`. */
export async function requestSignalAction(
  input: unknown,
): Promise<ActionResult<RequestSignalData>> {
  return run(input);
}
