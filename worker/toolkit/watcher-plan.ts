/**
 * What a notification on `job_signals` makes a worker process read, as pure
 * functions. The payload is only a hint (the insert trigger's, or a hand-back's):
 * `{ queues, minId }`, the queues the statement touched and the smallest id it
 * wrote. The rows are the truth; a hint can only narrow the read.
 */

export interface Hint {
  /** Absent when the trigger dropped the list (too long for NOTIFY): every process reads. */
  queues?: string[];
  minId?: number;
}

/** The hint in a payload, or null when it says nothing usable (then: read everything). */
export function parseHint(payload: string): Hint | null {
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    return null;
  }
  if (!raw || typeof raw !== 'object') return null;
  const { queues, minId } = raw as { queues?: unknown; minId?: unknown };
  const hint: Hint = {};
  if (Array.isArray(queues)) hint.queues = queues.filter((q): q is string => typeof q === 'string');
  else if (queues !== undefined && queues !== null) return null;
  if (typeof minId === 'number' && Number.isSafeInteger(minId) && minId > 0) hint.minId = minId;
  return hint;
}

export type ReadPlan = { kind: 'full' } | { kind: 'changes'; from: number };

/**
 * The read a notification calls for, or null when it names none of `served`.
 * A read of changes starts past `highWater` (the highest id read so far), or at the
 * hint's `minId` if lower: a transaction that commits after one with higher ids
 * still has its rows read.
 */
export function readPlan(
  hint: Hint | null,
  served: ReadonlySet<string>,
  highWater: number,
): ReadPlan | null {
  if (!hint) return { kind: 'full' };
  if (hint.queues && !hint.queues.some((q) => served.has(q))) return null;
  const from = Math.min(hint.minId ?? highWater + 1, highWater + 1);
  return { kind: 'changes', from };
}
