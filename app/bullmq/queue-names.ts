/**
 * Which queue names the dashboard lists, and in what order. Producers of any
 * application create queues, so a name may hold anything Redis keys hold.
 */

/**
 * Longest queue name listed, in UTF-16 code units: the longest the pages, the
 * actions and the API accept (`app/requests/schema.ts` caps `queue` at 200 too),
 * so every queue shown can be opened and signalled. Longer ones are skipped and
 * counted, never shown cut (a cut name would open another queue, or none).
 */
export const QUEUE_NAME_MAX = 200;

export type SkipReason = 'too-long' | 'not-utf8' | 'has-colon';

/**
 * Why a raw queue name (the bytes between `<prefix>:` and `:meta`) is not listed,
 * or null when it is. Bytes that are not UTF-8 cannot be named by a string (ioredis
 * would turn them into U+FFFD and address another key); a name with ':' is no
 * BullMQ queue (BullMQ refuses it: such a key is some other key ending in `:meta`);
 * every other character, NUL and control characters included, is listed and
 * escaped where it is shown.
 */
export function skipReason(raw: Buffer): SkipReason | null {
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    return 'not-utf8';
  }
  if (text.includes(':')) return 'has-colon';
  return text.length > QUEUE_NAME_MAX ? 'too-long' : null;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

/** Natural order: `q2` before `q10`; names the collator calls equal fall back to code points. */
export function compareQueueNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
