import { z } from 'zod';
import { KEY_MAX_BYTES, QUEUE_MAX_BYTES, tooLong, utf8Bytes } from '@/app/contracts/limits';
import { hasNul } from '@/db/storable';
import { REASON_MAX, SIGNAL_KINDS } from '@/db/vocabulary';
import { BULK_MAX_IDS } from './rules';

/**
 * PostgreSQL text cannot hold U+0000: a NUL would fail the query (a 500), so it is
 * refused up front as malformed input.
 */
export const noNul = (field: string) =>
  [(s: string) => !hasNul(s), `${field} must not contain a NUL character`] as const;

/** At most `maxBytes` of UTF-8 (app/contracts/limits: the one cap and its wording). */
const capped = (field: string, maxBytes: number) =>
  [(s: string) => utf8Bytes(s) <= maxBytes, tooLong(field, maxBytes)] as const;

/**
 * Shared by the server actions and the REST API: same rules, same messages. Queue
 * names, job ids and job names are BullMQ's free text, taken exactly as given (BullMQ
 * tells " 42" from "42"): only the caps of app/contracts/limits apply.
 */
export const queueName = z
  .string()
  .min(1, 'queue is required')
  .refine(...capped('queue', QUEUE_MAX_BYTES))
  .refine(...noNul('queue'));
const jobId = z
  .string()
  .min(1, 'jobId is required')
  .refine(...capped('jobId', KEY_MAX_BYTES))
  .refine(...noNul('jobId'));
/** A job name, as cancel-by-name and its count take it. */
export const jobName = z
  .string()
  .min(1, 'name is required')
  .refine(...capped('name', KEY_MAX_BYTES))
  .refine(...noNul('name'));
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
    name: jobName.optional(),
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
