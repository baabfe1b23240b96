import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { jobSignals } from '../schema';
import { SIGNAL_KINDS, SIGNAL_STATUSES } from '../vocabulary';
import { daysAnswer, daysFacet } from './days';
import { FACETS, type Facet, facetColumn, type SignalFilter, signalWhere } from './filter';
import { COUNT_CAP, estimateRows } from './list';

export interface FacetValue {
  value: string;
  count: number;
  /** False for the planner's estimate of a group of REFINE_BELOW rows or more. */
  exact: boolean;
}
export type FacetCounts = Record<Facet, FacetValue[]>;

/** Estimated groups smaller than this are counted exactly: "≈ 0 pending" would mislead. */
const REFINE_BELOW = 1_000;
/** Queues or requesters listed at most. */
const MAX_VALUES = 200;

const NAMES: Record<Facet, string> = {
  status: 'status',
  signal: 'signal',
  queue: 'queue',
  requestedBy: 'requested_by',
};

const whereSql = (where: SQL | undefined) => (where ? sql`where ${where}` : sql``);
const and2 = (a: SQL | undefined, b: SQL) => (a ? sql`${a} and ${b}` : b);

/**
 * Counts per value of each facet, each with the other facets' filters applied (as
 * Django's facets do), so no request aggregates the whole table:
 * - queue and kind come exactly from the per-day counts when the filters allow;
 * - a matching set of at most COUNT_CAP rows is counted exactly in one bounded
 *   read (one read serves every facet that has no filter of its own);
 * - a larger set gets the planner's estimate per value, groups estimated under
 *   REFINE_BELOW counted exactly.
 */
export async function signalFacets(db: Database, filter: SignalFilter): Promise<FacetCounts> {
  const out = {} as FacetCounts;
  const shared: Facet[] = [];
  const jobs: Promise<void>[] = [];
  for (const facet of FACETS) {
    const others: SignalFilter = { ...filter, [facet]: undefined };
    if ((facet === 'queue' || facet === 'signal') && daysAnswer(others)) {
      jobs.push(
        daysFacet(db, others, facet).then((vals) => {
          out[facet] = finish(
            facet,
            vals.map((v) => ({ ...v, exact: true })),
          );
        }),
      );
    } else if (!filter[facet]?.length) shared.push(facet);
    else jobs.push(facetOf(db, filter, [facet]).then((r) => void Object.assign(out, r)));
  }
  if (shared.length > 0)
    jobs.push(facetOf(db, filter, shared).then((r) => void Object.assign(out, r)));
  await Promise.all(jobs);
  return out;
}

/** Facets that share one base set: `filter` without the facets' own filters. */
async function facetOf(
  db: Database,
  filter: SignalFilter,
  facets: Facet[],
): Promise<Partial<FacetCounts>> {
  const [first] = facets;
  const base = signalWhere(filter, facets.length === 1 ? first : undefined);
  const guess = await estimateRows(db, sql`select 1 from ${jobSignals} ${whereSql(base)}`);
  // A set the planner puts well above the cap is not read at all.
  if (guess <= 2 * COUNT_CAP) {
    const exact = await groupCounts(db, facets, base);
    if (exact) {
      return Object.fromEntries(facets.map((f) => [f, finish(f, exact[f] ?? [])]));
    }
  }
  const lists = await Promise.all(facets.map((f) => estimated(db, f, base)));
  return Object.fromEntries(facets.map((f, i) => [f, finish(f, lists[i] ?? [])]));
}

/**
 * Exact counts per value of several facets from one read of at most COUNT_CAP + 1
 * rows (GROUPING SETS), or null when more rows match than that.
 */
async function groupCounts(db: Database, facets: Facet[], where: SQL | undefined) {
  const cols = sql.raw(facets.map((f) => NAMES[f]).join(', '));
  const sets = sql.raw(facets.map((f) => `(${NAMES[f]})`).join(', '));
  const picks = sql.raw(facets.map((f) => `${NAMES[f]}::text as "${f}"`).join(', '));
  const rows = (await db.execute(sql`
    select ${picks}, count(*)::int as n
    from (select ${cols} from ${jobSignals} ${whereSql(where)} limit ${COUNT_CAP + 1}) s
    group by grouping sets (${sets})`)) as unknown as Record<string, string | number | null>[];
  const out: Partial<Record<Facet, FacetValue[]>> = {};
  for (const r of rows) {
    const facet = facets.find((f) => r[f] !== null);
    if (!facet) continue;
    const list = out[facet] ?? [];
    list.push({ value: String(r[facet]), count: Number(r.n), exact: true });
    out[facet] = list;
  }
  const seen = (out[facets[0] as Facet] ?? []).reduce((n, v) => n + v.count, 0);
  return seen > COUNT_CAP ? null : out;
}

/** The planner's estimate per value, with the small groups counted exactly. */
async function estimated(db: Database, facet: Facet, base: SQL | undefined) {
  const col = facetColumn[facet];
  const candidates = await valuesOf(db, facet);
  const estimates = await Promise.all(
    candidates.map((v) =>
      estimateRows(
        db,
        sql`select 1 from ${jobSignals} ${whereSql(and2(base, sql`${col} = ${v}`))}`,
      ),
    ),
  );
  const small = candidates.filter((_, i) => (estimates[i] ?? 0) < REFINE_BELOW);
  const refined = new Map<string, number>();
  if (small.length > 0) {
    const inSmall = sql`${col} in (${sql.join(
      small.map((v) => sql`${v}`),
      sql`, `,
    )})`;
    // Many small groups can add up past the cap: then they keep their estimates.
    const counts = await groupCounts(db, [facet], and2(base, inSmall));
    if (counts) for (const v of small) refined.set(v, 0);
    for (const v of counts?.[facet] ?? []) refined.set(v.value, v.count);
  }
  return candidates.map(
    (value, i): FacetValue =>
      refined.has(value)
        ? { value, count: refined.get(value) ?? 0, exact: true }
        : { value, count: estimates[i] ?? 0, exact: false },
  );
}

/**
 * The values a facet can take: the enums' members, or the distinct queues and
 * requesters read by a loose index scan (one index descent per value).
 */
async function valuesOf(db: Database, facet: Facet): Promise<string[]> {
  if (facet === 'status') return [...SIGNAL_STATUSES];
  if (facet === 'signal') return [...SIGNAL_KINDS];
  const col = sql.raw(NAMES[facet]);
  const rows = (await db.execute(sql`
    with recursive r(v) as (
      (select ${col} from ${jobSignals} order by ${col} limit 1)
      union all
      select (select ${col} from ${jobSignals} where ${col} > r.v order by ${col} limit 1)
      from r where r.v is not null
    )
    select v from r where v is not null limit ${MAX_VALUES}`)) as unknown as { v: string }[];
  return rows.map((r) => r.v);
}

/** Largest first; enum facets list every member (0 for the absent) in declaration order. */
function finish(facet: Facet, values: FacetValue[]): FacetValue[] {
  const members =
    facet === 'status' ? SIGNAL_STATUSES : facet === 'signal' ? SIGNAL_KINDS : undefined;
  if (members) {
    return members.map(
      (m) => values.find((v) => v.value === m) ?? { value: m, count: 0, exact: true },
    );
  }
  return values
    .filter((v) => v.count > 0)
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
    .slice(0, MAX_VALUES);
}
