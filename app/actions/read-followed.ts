'use server';

import { z } from 'zod';
import type { FollowedData } from '@/app/contracts';
import { readFollowed } from '@/app/jobs/followed';
import { type ActionResult, safeAction } from '../lib/safe-action';

/** Most signals and operations one view follows at once (older ones are let go). */
const FOLLOW_MAX_SIGNALS = 50;
const FOLLOW_MAX_OPERATIONS = 10;

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const schema = z.strictObject({
  signals: z.array(id).max(FOLLOW_MAX_SIGNALS, `at most ${FOLLOW_MAX_SIGNALS} signals`),
  operations: z.array(id).max(FOLLOW_MAX_OPERATIONS, `at most ${FOLLOW_MAX_OPERATIONS} operations`),
});

const run = safeAction(
  'readFollowed',
  schema,
  async (input, { deps }) => ({
    ok: true,
    data: await readFollowed(deps, input.signals, input.operations),
  }),
  { role: 'viewer' },
);

/** Re-reads the signals and operations a view follows after a click (`{ signals, operations }`, ids). */
export async function readFollowedAction(input: unknown): Promise<ActionResult<FollowedData>> {
  return run(input);
}
