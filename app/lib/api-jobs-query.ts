import { ACTIONABLE_STATES, JOB_STATES, type JobStateName } from '@/worker/job-state';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './signal-list-params';

/** `GET /api/jobs` query, parsed. */
export interface JobsApiQuery {
  queue?: string;
  states: JobStateName[];
  name?: string;
  page: number;
  pageSize: number;
}

const KNOWN = ['queue', 'state', 'name', 'page', 'pageSize'];

/**
 * Parses `queue, state, name, page, pageSize`. `state` is a comma-separated list of
 * job states, or `all`; without it the jobs someone can still act on (queued,
 * running, paused), as /jobs shows them.
 */
export function parseJobsApiQuery(
  sp: URLSearchParams,
): { ok: true; query: JobsApiQuery } | { ok: false; error: string } {
  const unknown = [...new Set(sp.keys())].filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0) {
    return {
      ok: false,
      error: `Unknown query parameter: ${unknown.join(', ')}. Known: ${KNOWN.join(', ')}.`,
    };
  }
  const rawStates = sp
    .getAll('state')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  let states: JobStateName[] = [...ACTIONABLE_STATES];
  if (rawStates.includes('all')) states = [...JOB_STATES];
  else if (rawStates.length > 0) {
    const bad = rawStates.find((s) => !(JOB_STATES as readonly string[]).includes(s));
    if (bad)
      return {
        ok: false,
        error: `state must be one of ${JOB_STATES.join(', ')} or all; got "${bad}".`,
      };
    states = [...new Set(rawStates)] as JobStateName[];
  }
  const page = whole(sp.get('page'), 'page', 1, 1_000_000, 1);
  if (typeof page === 'string') return { ok: false, error: page };
  const pageSize = whole(sp.get('pageSize'), 'pageSize', 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
  if (typeof pageSize === 'string') return { ok: false, error: pageSize };
  return {
    ok: true,
    query: {
      queue: sp.get('queue')?.trim() || undefined,
      states,
      name: sp.get('name')?.trim() || undefined,
      page,
      pageSize,
    },
  };
}

/** The number, or the sentence saying why not. */
function whole(
  raw: string | null,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number | string {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    return `${name} must be a whole number from ${min} to ${max}; got "${raw}".`;
  }
  return Number(raw);
}
