/**
 * How paging and sorting are written in the URL, shared by the server page (which
 * parses them to query) and the client table (which writes them). Pure functions.
 *
 * page=3&size=50&sort=createdAt.desc
 */

export type SearchParamsRecord = Record<string, string | string[] | undefined>;

/** The first value of a parameter, trimmed; undefined when absent or empty. */
export function firstParam(params: SearchParamsRecord, key: string): string | undefined {
  const raw = params[key];
  const v = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return v ? v : undefined;
}

/** A 1-based page number; anything else (0, -2, "x", 1e9) becomes 1. */
export function parsePage(value: string | null | undefined, max = 1_000_000): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : 1;
}

/** One of the offered page sizes, or the default. */
export function parsePageSize(
  value: string | null | undefined,
  options: readonly number[],
  fallback: number,
): number {
  const n = Number(value);
  return options.includes(n) ? n : fallback;
}

export interface SortParam {
  id: string;
  desc: boolean;
}

/** "createdAt.desc" → { id: 'createdAt', desc: true }, when the column may be sorted. */
export function parseSort(
  value: string | null | undefined,
  sortable: readonly string[],
  fallback: SortParam,
): SortParam {
  if (!value) return fallback;
  const dot = value.lastIndexOf('.');
  const id = dot > 0 ? value.slice(0, dot) : value;
  const dir = dot > 0 ? value.slice(dot + 1) : 'asc';
  if (!sortable.includes(id) || (dir !== 'asc' && dir !== 'desc')) return fallback;
  return { id, desc: dir === 'desc' };
}

export function serializeSort(sort: SortParam): string {
  return `${sort.id}.${sort.desc ? 'desc' : 'asc'}`;
}

/** A list parameter: "a,b" → ['a', 'b'], keeping only allowed values, without repeats. */
export function parseList<T extends string>(
  value: string | null | undefined,
  allowed: readonly T[],
): T[] {
  if (!value) return [];
  const wanted = new Set(value.split(',').map((s) => s.trim()));
  return allowed.filter((a) => wanted.has(a));
}
