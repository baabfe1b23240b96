/**
 * How many of a job's signals its page shows: the newest TIMELINE_STEP, and
 * TIMELINE_STEP more per "show older", up to TIMELINE_MAX; older ones are in the
 * audit list, which pages by key however long the history. `?signals=` in the URL,
 * so a view can be shared and a live refresh keeps it.
 */
export const TIMELINE_STEP = 50;
export const TIMELINE_MAX = 200;

/** `?signals=120` → 150: whole steps from TIMELINE_STEP to TIMELINE_MAX; anything else the default. */
export function timelineLimit(raw: string | string[] | undefined): number {
  const value = Array.isArray(raw) ? raw[0] : raw;
  const n = Number(value);
  if (!value || !Number.isFinite(n) || n <= TIMELINE_STEP) return TIMELINE_STEP;
  return Math.min(TIMELINE_MAX, Math.ceil(n / TIMELINE_STEP) * TIMELINE_STEP);
}
