/**
 * The /jobs view as the URL says it, parsed the same way by the server page (to
 * query) and the client table (to show the filters):
 * ?queue=reports&state=active,paused&name=send-invoice&q=42&sort=added.asc&page=2&size=100
 */
import { ACTIONABLE_STATES, JOB_STATES, type JobStateName } from '@/app/contracts';
import {
  firstParam,
  parseList,
  parsePage,
  parsePageSize,
  parseSort,
  type SearchParamsRecord,
  type SortParam,
} from '../data-table/url-state';

export interface JobsSearch {
  queue?: string;
  states: JobStateName[];
  /** Exact job name. */
  name?: string;
  /** Substring of the id or the name. */
  q?: string;
  sort: SortParam;
  page: number;
  pageSize: number;
}

export const JOB_PAGE_SIZES = [20, 50, 100] as const;
export const DEFAULT_JOB_PAGE_SIZE = 50;
/** BullMQ keeps jobs in lists and sorted sets by arrival: the only order it can page by. */
export const JOB_SORTABLE = ['added'] as const;
export const DEFAULT_JOB_SORT: SortParam = { id: 'added', desc: true };
/** By default: the jobs someone can still act on. */
export const DEFAULT_JOB_STATES: readonly JobStateName[] = ACTIONABLE_STATES;

/**
 * Filters are taken whole: a name or id is BullMQ's free text (up to 2,048 bytes
 * where a signal must be stored, see app/contracts/limits), and a filter cut short
 * finds nothing while the API finds the job. They only compare in memory; the
 * URL's own length bounds them.
 */
const text = (v: string | undefined) => v || undefined;

/** `state=all`, a comma list, or (absent, empty, all unknown) the default set. */
export function statesFromParam(value: string | null | undefined): JobStateName[] {
  if (value === 'all') return [...JOB_STATES];
  const list = parseList(value, JOB_STATES);
  return list.length > 0 ? list : [...DEFAULT_JOB_STATES];
}

/** The `state` parameter for a set of states: null for the default set, 'all' for all. */
export function stateParam(states: readonly JobStateName[]): string | null {
  const set = new Set(states);
  if (set.size === 0) return null;
  if (set.size === DEFAULT_JOB_STATES.length && DEFAULT_JOB_STATES.every((s) => set.has(s)))
    return null;
  if (set.size === JOB_STATES.length) return 'all';
  return JOB_STATES.filter((s) => set.has(s)).join(',');
}

export function parseJobsSearch(params: SearchParamsRecord): JobsSearch {
  return {
    queue: text(firstParam(params, 'queue')),
    states: statesFromParam(firstParam(params, 'state')),
    name: text(firstParam(params, 'name')),
    q: text(firstParam(params, 'q')),
    sort: parseSort(firstParam(params, 'sort'), JOB_SORTABLE, DEFAULT_JOB_SORT),
    page: parsePage(firstParam(params, 'page')),
    pageSize: parsePageSize(firstParam(params, 'size'), JOB_PAGE_SIZES, DEFAULT_JOB_PAGE_SIZE),
  };
}
