'use server';

import { z } from 'zod';
import { safeAction } from '@/app/lib/safe-action';
import { recordAudit } from '@/db/admin-audit';

/**
 * Admin: pause or resume a whole queue (BullMQ's queue pause: workers stop
 * taking new jobs; running ones go on). Unlike job signals this acts on Redis
 * directly, so it is for admins only and lands in the admin audit trail.
 */
export const setQueuePaused = safeAction(
  'admin.setQueuePaused',
  z.strictObject({ queue: z.string().trim().min(1).max(200), paused: z.boolean() }),
  async ({ queue, paused }, { actor, deps }) => {
    if (!(await deps.queues.exists(queue)))
      return { ok: false, error: `Queue ${queue} does not exist.` };
    const q = deps.queues.get(queue);
    if (paused) await q.pause();
    else await q.resume();
    await recordAudit(deps.db, {
      actor,
      action: paused ? 'queue-paused' : 'queue-resumed',
      target: queue,
    });
    return { ok: true, data: { queue, paused } };
  },
);
