/**
 * How long a job id, a job name and a queue name may be, for the buttons, the
 * server actions and the REST API alike: one cap, one wording.
 *
 * BullMQ caps none of them. The cap is on what we can store: `job_signals` indexes
 * `(queue, job_id, signal)` in a btree, and a btree row holds at most 2,704 bytes
 * (PostgreSQL refuses the insert beyond). So the caps are in UTF-8 bytes, not
 * characters: 512 for the queue plus 2,048 for the id leave room for the row's
 * headers. Job names share the id's cap, far above what producers use (ids are
 * UUIDs or slugs, names are words), and still fit in a URL of the /jobs filter.
 */

/** Longest job id or job name, in UTF-8 bytes (2,048 ASCII characters). */
export const KEY_MAX_BYTES = 2048;
/** Longest queue name, in UTF-8 bytes. */
export const QUEUE_MAX_BYTES = 512;

const encoder = new TextEncoder();

/** The UTF-8 length of `s`, as PostgreSQL stores it. */
export function utf8Bytes(s: string): number {
  return encoder.encode(s).length;
}

/** The one sentence (no final period) for a value over its cap: "jobId is longer than 2,048 bytes (UTF-8)". */
export function tooLong(field: string, maxBytes: number): string {
  return `${field} is longer than ${maxBytes.toLocaleString('en')} bytes (UTF-8)`;
}

/** Whether a job id can be signalled at all: short enough for the signals table. */
export const signallableId = (id: string): boolean => utf8Bytes(id) <= KEY_MAX_BYTES;
