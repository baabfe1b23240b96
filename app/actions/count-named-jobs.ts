'use server';

import { z } from 'zod';
import { findJobIdsByName } from '@/app/bullmq/job-names';
import { ScanBusyError } from '@/app/bullmq/scan-gate';
import type { NamedJobsCount } from '@/app/contracts';
import { jobName, queueName } from '@/app/requests/schema';
import { type ActionResult, safeAction } from '../lib/safe-action';
import { workersServing } from './served';

// The same fields, caps and wording as the cancel-by-name request it counts for.
const schema = z.strictObject({ queue: queueName, name: jobName });

const run = safeAction(
  'countNamedJobs',
  schema,
  async (input, { deps, actor }) => {
    if (!(await deps.queues.exists(input.queue)))
      return { ok: false, error: `Queue ${input.queue} does not exist.` };
    // The same states and scan that a cancel-by-name request uses, so the number matches;
    // one caller runs one such scan at a time (the scan gate).
    let ids: string[];
    try {
      ids = await findJobIdsByName(
        deps.queues.get(input.queue),
        deps.queues.connection,
        input.name,
        ['waiting', 'prioritized', 'delayed', 'active'],
        actor,
      );
    } catch (err) {
      if (err instanceof ScanBusyError) return { ok: false, error: err.message };
      throw err;
    }
    return {
      ok: true,
      data: { count: ids.length, workers: await workersServing(deps.db, input.queue) },
    };
  },
  { role: 'viewer' },
);

/** How many jobs "Cancel all jobs named X" would touch, for its confirmation. */
export async function countNamedJobsAction(input: unknown): Promise<ActionResult<NamedJobsCount>> {
  return run(input);
}
