/**
 * How Signal Desk marks a parked job: a reserved key in the job's data. The
 * dashboard, the API and the workers agree on it; the toolkit strips it before the
 * user's processor sees `job.data`, and keeps it when the processor updates data.
 */
export const MARKER_KEY = '__signalDesk';

export interface ParkMarker {
  /** Present while the job is parked by a pause signal. */
  paused?: { at: number; signalId: number; requestedBy?: string; reason?: string | null };
  /** The state last saved by `ctx.checkpoint(state)` at a pause; the next run's `ctx.resumeState`. */
  state?: unknown;
  /** Whether a state was saved (a saved state may itself be `undefined`/`null`). */
  hasState?: boolean;
  /** The producer's data when it was not an object and could not carry the key. */
  wrapped?: unknown;
  /**
   * Written by the toolkit before a cancel signal fails the job: Signal Desk's own
   * record that the job was cancelled (the dashboard names it `cancelled` from this,
   * never from the error text). `attemptsMade` tells a restart after a crash (same
   * count: the cancel still holds) from a retry by hand (the count moved on).
   */
  cancelled?: { signalId: number; at: number; attemptsMade: number };
  /**
   * A cancel to carry out when the job starts, before its processor runs: set on a
   * job scheduler's run, which BullMQ will not remove from the queue.
   */
  cancelAtStart?: { signalId: number; requestedBy: string; reason: string | null };
}

/** Parks last at most ten years; five keeps BullMQ's delayed score well inside 2^53. */
export const PARK_DELAY_MS = 5 * 365 * 24 * 60 * 60 * 1000;

export function readMarker(data: unknown): ParkMarker | undefined {
  if (data && typeof data === 'object' && MARKER_KEY in data) {
    const m = (data as Record<string, unknown>)[MARKER_KEY];
    if (m && typeof m === 'object') return m as ParkMarker;
  }
  return undefined;
}

/** The job's data as its producer wrote it, without our marker. */
export function stripMarker<T>(data: T): T {
  if (data && typeof data === 'object' && !Array.isArray(data) && MARKER_KEY in data) {
    const { [MARKER_KEY]: marker, ...rest } = data as Record<string, unknown>;
    if (marker && typeof marker === 'object' && 'wrapped' in marker) {
      return (marker as { wrapped: unknown }).wrapped as T;
    }
    return rest as T;
  }
  return data;
}

/** Data with the marker set (or removed when `marker` is undefined). */
export function withMarker<T>(data: T, marker: ParkMarker | undefined): T {
  const base = stripMarker(data);
  if (!marker) return base;
  if (base === null || base === undefined || typeof base !== 'object' || Array.isArray(base)) {
    // Non-object payloads cannot carry a key; park them inside a wrapper object.
    return { [MARKER_KEY]: { ...marker, wrapped: base } } as T;
  }
  return { ...(base as Record<string, unknown>), [MARKER_KEY]: marker } as T;
}

export function isParked(data: unknown): boolean {
  return Boolean(readMarker(data)?.paused);
}
