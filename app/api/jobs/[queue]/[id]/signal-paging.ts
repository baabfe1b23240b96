import type { SignalPaging } from '@/app/bullmq/job-detail';

/** Signals in one answer of `GET /api/jobs/:queue/:id` unless `signalsLimit` says otherwise. */
export const SIGNALS_DEFAULT = 100;
/** The most `signalsLimit` may ask for (the same as the list endpoints' pageSize). */
export const SIGNALS_MAX = 500;

const KNOWN = ['signalsLimit', 'signalsBefore'];

/**
 * `?signalsLimit=&signalsBefore=`: how many of a job's signals, and older than which
 * (the `signalsNext` of the previous answer). The sentence saying what is wrong otherwise.
 */
export function parseSignalPaging(sp: URLSearchParams): SignalPaging | string {
  const unknown = [...new Set(sp.keys())].filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0)
    return `Unknown query parameter: ${unknown.join(', ')}. Known: ${KNOWN.join(', ')}.`;
  const limit = whole(sp.get('signalsLimit'), 'signalsLimit', 1, SIGNALS_MAX);
  if (typeof limit === 'string') return limit;
  const before = whole(sp.get('signalsBefore'), 'signalsBefore', 1, Number.MAX_SAFE_INTEGER);
  if (typeof before === 'string') return before;
  return { limit: limit ?? SIGNALS_DEFAULT, ...(before !== null ? { before } : {}) };
}

function whole(raw: string | null, name: string, min: number, max: number): number | null | string {
  if (raw === null || raw === '') return null;
  if (!/^\d{1,16}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    return max === Number.MAX_SAFE_INTEGER
      ? `${name} must be a signal id (a whole number, the signalsNext of an earlier answer); got "${raw}".`
      : `${name} must be a whole number from ${min} to ${max}; got "${raw}".`;
  }
  return Number(raw);
}
