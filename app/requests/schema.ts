import { z } from 'zod';
import { hasNul } from '@/db/storable';
import { REASON_MAX, SIGNAL_KINDS } from '@/db/vocabulary';
import { BULK_MAX_IDS } from './rules';

/**
 * PostgreSQL text cannot hold U+0000: a NUL would fail the query (a 500), so it is
 * refused up front as malformed input.
 */
export const noNul = (field: string) =>
  [(s: string) => !hasNul(s), `${field} must not contain a NUL character`] as const;

/** Shared by the server actions and the REST API: same rules, same messages. */
const queueName = z
  .string()
  .trim()
  .min(1, 'queue is required')
  .max(200, 'queue name is too long')
  .refine(...noNul('queue'));
const jobId = z
  .string()
  .trim()
  .min(1, 'jobId is required')
  .max(200, 'jobId is too long')
  .refine(...noNul('jobId'));
const reason = z
  .string()
  .max(REASON_MAX, `reason is longer than ${REASON_MAX} characters`)
  .refine((r) => [...r].length <= REASON_MAX, `reason is longer than ${REASON_MAX} characters`)
  .refine(...noNul('reason'))
  .transform((r) => (r.trim() === '' ? null : r.trim()))
  .nullish();

export const signalRequestSchema = z.strictObject({
  queue: queueName,
  jobId,
  signal: z.enum(SIGNAL_KINDS, { message: `signal must be one of ${SIGNAL_KINDS.join(', ')}` }),
  reason,
});
export type SignalRequestInput = z.infer<typeof signalRequestSchema>;

export const bulkSignalRequestSchema = z
  .strictObject({
    queue: queueName,
    signal: z.enum(SIGNAL_KINDS, { message: `signal must be one of ${SIGNAL_KINDS.join(', ')}` }),
    reason,
    jobIds: z
      .array(jobId)
      .min(1, 'jobIds is empty')
      .max(BULK_MAX_IDS, `at most ${BULK_MAX_IDS} jobIds`)
      .optional(),
    name: z
      .string()
      .trim()
      .min(1, 'name is empty')
      .max(200)
      .refine(...noNul('name'))
      .optional(),
  })
  .refine(
    (b) => (b.jobIds === undefined) !== (b.name === undefined),
    'give exactly one of jobIds or name',
  );
export type BulkSignalRequestInput = z.infer<typeof bulkSignalRequestSchema>;

/** The first problem of a failed parse, as one sentence. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The request is malformed.';
  if (issue.code === 'unrecognized_keys') return `Unknown field: ${issue.keys.join(', ')}.`;
  const path = issue.path.join('.');
  const msg = issue.message.replace(/^Invalid input: /, '');
  return `${path ? `${path}: ` : ''}${msg}`.replace(/\.?$/, '.');
}
