/**
 * PostgreSQL text and jsonb cannot hold U+0000, yet BullMQ takes it in any queue
 * name, job id, job name or job data. These guards decide, in one place, what to
 * do with such values: ask no query with them (no row can match), or store them
 * with the NUL replaced by U+FFFD.
 */

export const hasNul = (s: string): boolean => s.includes('\u0000');

/** Whether a value can be compared with a text column (a NUL would fail the whole query). */
export const storableKey = (s: string): boolean => !hasNul(s);

/** Text as a text column can store it: each NUL becomes U+FFFD. */
export const storableText = (s: string): string =>
  hasNul(s) ? s.replaceAll('\u0000', '\uFFFD') : s;

/** A value for jsonb: NULs in strings and keys become U+FFFD; `__proto__` stays a key. */
export function storableJson<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map((v) => storableJson(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, storableText(k), {
        value: storableJson(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out as T;
  }
  return value;
}
