import { BIG_FIELDS, type BigField } from '@/app/bullmq/job-read';
import { ACTIONABLE_STATES, JOB_STATES, type JobStateName } from '@/worker/job-state';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './signal-list-params';

/** `GET /api/jobs` query, parsed. */
export interface JobsApiQuery {
  queue?: string;
  states: JobStateName[];
  name?: string;
  /** Substring of the id or the name, case-insensitive. */
  search?: string;
  page: number;
  pageSize: number;
  /** Big fields each job carries (none unless asked: a page of big jobs would be megabytes). */
  include: BigField[];
}

const KNOWN = ['queue', 'state', 'name', 'search', 'include', 'page', 'pageSize'];

/**
 * Parses `queue, state, name, search, include, page, pageSize`. `state` is a
 * comma-separated list of job states, or `all`; without it the jobs someone can
 * still act on (queued, running, paused), as /jobs shows them. `include` is a
 * comma-separated list of `data`, `returnvalue`, `stacktrace`.
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
  const include = sp
    .getAll('include')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const badField = include.find((f) => !(BIG_FIELDS as readonly string[]).includes(f));
  if (badField)
    return {
      ok: false,
      error: `include must be a comma-separated list of ${BIG_FIELDS.join(', ')}; got "${badField}".`,
    };
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
      search: sp.get('search')?.trim() || undefined,
      page,
      pageSize,
      include: [...new Set(include)] as BigField[],
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
