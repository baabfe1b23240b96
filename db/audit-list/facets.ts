import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { jobSignals } from '../schema';
import { SIGNAL_KINDS, SIGNAL_STATUSES } from '../vocabulary';
import { daysAnswer, daysFacet, daysFacets } from './days';
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
 * Django's facets do), in a handful of statements whatever the number of values:
 * - queue and kind come exactly from the per-day counts when the filters allow
 *   (one grouped statement for both when neither has a filter of its own);
 * - a matching set of at most COUNT_CAP rows is counted exactly in one bounded
 *   read (one read serves every facet that has no filter of its own);
 * - a larger set gets estimates from the planner's statistics (the most common
 *   values and their frequencies, as the planner itself would estimate each
 *   value) in one statement, and its small groups counted exactly in one more.
 */
export async function signalFacets(db: Database, filter: SignalFilter): Promise<FacetCounts> {
  const out = {} as FacetCounts;
  const shared: Facet[] = [];
  const jobs: Promise<void>[] = [];
  const fromDays = (['queue', 'signal'] as const).filter((f) =>
    daysAnswer({ ...filter, [f]: undefined }),
  );
  if (fromDays.length === 2 && !filter.queue?.length && !filter.signal?.length) {
    jobs.push(
      daysFacets(db, filter).then((both) => {
        for (const f of fromDays)
          out[f] = finish(
            f,
            both[f].map((v) => ({ ...v, exact: true })),
          );
      }),
    );
  } else {
    for (const facet of fromDays) {
      jobs.push(
        daysFacet(db, { ...filter, [facet]: undefined }, facet).then((vals) => {
          out[facet] = finish(
            facet,
            vals.map((v) => ({ ...v, exact: true })),
          );
        }),
      );
    }
  }
  for (const facet of FACETS) {
    if ((fromDays as readonly Facet[]).includes(facet)) continue;
    if (!filter[facet]?.length) shared.push(facet);
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
  const lists = await estimated(db, facets, base, Math.max(guess, COUNT_CAP + 1));
  return Object.fromEntries(facets.map((f) => [f, finish(f, lists[f] ?? [])]));
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

/**
 * Each value's share of the base set from the planner's statistics (pg_stats: the
 * most common values and their frequencies; the rest share what is left evenly),
 * times the base set's estimated size: what one EXPLAIN per value would say, in
 * one statement. Groups estimated under REFINE_BELOW are then counted exactly, all
 * facets in one more statement.
 */
async function estimated(
  db: Database,
  facets: Facet[],
  base: SQL | undefined,
  baseRows: number,
): Promise<Partial<Record<Facet, FacetValue[]>>> {
  const [stats, values] = await Promise.all([columnStats(db, facets), valuesOf(db, facets)]);
  const out: Partial<Record<Facet, FacetValue[]>> = {};
  const small: { facet: Facet; values: string[] }[] = [];
  for (const facet of facets) {
    const candidates = values[facet] ?? [];
    const st = stats.get(NAMES[facet]);
    const share = shareOf(st, candidates.length);
    const list = candidates.map(
      (value): FacetValue => ({
        value,
        count: Math.round(baseRows * share(value)),
        exact: false,
      }),
    );
    out[facet] = list;
    const tiny = list.filter((v) => v.count < REFINE_BELOW).map((v) => v.value);
    if (tiny.length > 0) small.push({ facet, values: tiny });
  }
  if (small.length === 0) return out;
  const refined = await smallGroups(db, base, small);
  for (const { facet, values: tiny } of small) {
    const counts = refined.get(facet);
    // Many small groups can add up past the cap: then they keep their estimates.
    if (!counts) continue;
    for (const v of out[facet] ?? [])
      if (tiny.includes(v.value))
        Object.assign(v, { count: counts.get(v.value) ?? 0, exact: true });
  }
  return out;
}

interface ColumnStats {
  values: string[];
  freqs: number[];
  distinct: number;
  nullFrac: number;
}

/** The planner's statistics of some columns (null for a column never analysed). */
async function columnStats(db: Database, facets: Facet[]): Promise<Map<string, ColumnStats>> {
  const cols = facets.map((f) => NAMES[f]);
  const rows = (await db.execute(sql`
    select s.attname as col,
           array_to_json(s.most_common_vals::text::text[]) as vals,
           array_to_json(s.most_common_freqs) as freqs,
           s.n_distinct as nd, s.null_frac as nf, c.reltuples as tuples
    from pg_stats s join pg_class c on c.oid = ${sql.raw("'job_signals'::regclass")}
    where s.schemaname = current_schema() and s.tablename = 'job_signals'
      and s.attname in (${sql.join(
        cols.map((c) => sql`${c}`),
        sql`, `,
      )})`)) as unknown as {
    col: string;
    vals: string[] | null;
    freqs: number[] | null;
    nd: number;
    nf: number;
    tuples: number;
  }[];
  return new Map(
    rows.map((r) => [
      r.col,
      {
        values: r.vals ?? [],
        freqs: (r.freqs ?? []).map(Number),
        distinct: Number(r.nd) >= 0 ? Number(r.nd) : -Number(r.nd) * Math.max(1, Number(r.tuples)),
        nullFrac: Number(r.nf) || 0,
      },
    ]),
  );
}

/** A value's expected share of the rows, as the planner estimates `column = value`. */
function shareOf(st: ColumnStats | undefined, candidates: number): (value: string) => number {
  if (!st || st.values.length === 0) return () => 1 / Math.max(1, candidates);
  const known = new Map(st.values.map((v, i) => [v, st.freqs[i] ?? 0]));
  const rest = Math.max(0, 1 - st.nullFrac - st.freqs.reduce((a, b) => a + b, 0));
  const others = Math.max(1, Math.max(st.distinct, candidates) - st.values.length);
  return (value) => known.get(value) ?? rest / others;
}

/** Exact counts of the named small groups of each facet, one bounded read per facet, one statement. */
async function smallGroups(
  db: Database,
  base: SQL | undefined,
  groups: { facet: Facet; values: string[] }[],
): Promise<Map<Facet, Map<string, number>>> {
  const parts = groups.map(({ facet, values }) => {
    const col = facetColumn[facet];
    const inSmall = sql`${col} in (${sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    )})`;
    return sql`(select ${facet}::text as facet, v, count(*)::int as n from (
      select ${col}::text as v from ${jobSignals} ${whereSql(and2(base, inSmall))} limit ${COUNT_CAP + 1}
    ) s group by v)`;
  });
  const rows = (await db.execute(sql.join(parts, sql` union all `))) as unknown as {
    facet: Facet;
    v: string;
    n: number;
  }[];
  const out = new Map<Facet, Map<string, number>>();
  for (const { facet } of groups) out.set(facet, new Map());
  for (const r of rows) out.get(r.facet)?.set(r.v, Number(r.n));
  for (const [facet, counts] of out) {
    const seen = [...counts.values()].reduce((a, b) => a + b, 0);
    if (seen > COUNT_CAP) out.delete(facet);
  }
  return out;
}

/**
 * The values each facet can take: the enums' members, or the distinct queues and
 * requesters read by loose index scans (one index descent per value), all in one
 * statement.
 */
async function valuesOf(db: Database, facets: Facet[]): Promise<Partial<Record<Facet, string[]>>> {
  const out: Partial<Record<Facet, string[]>> = {};
  const free: Facet[] = [];
  for (const f of facets) {
    if (f === 'status') out[f] = [...SIGNAL_STATUSES];
    else if (f === 'signal') out[f] = [...SIGNAL_KINDS];
    else free.push(f);
  }
  if (free.length === 0) return out;
  const scans = free.map((f) => {
    const col = sql.raw(NAMES[f]);
    return sql`(with recursive r(v) as (
      (select ${col} from ${jobSignals} order by ${col} limit 1)
      union all
      select (select ${col} from ${jobSignals} where ${col} > r.v order by ${col} limit 1)
      from r where r.v is not null
    )
    select ${f}::text as facet, v from r where v is not null limit ${MAX_VALUES})`;
  });
  const rows = (await db.execute(sql.join(scans, sql` union all `))) as unknown as {
    facet: Facet;
    v: string;
  }[];
  for (const f of free) out[f] = [];
  for (const r of rows) out[r.facet]?.push(r.v);
  return out;
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
