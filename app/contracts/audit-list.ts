import type { FacetCounts, FacetValue } from '@/db/audit-list/facets';
import type { Facet } from '@/db/audit-list/filter';
import type { TimeBucket } from '@/db/audit-list/timeline';
import type { JobSignal } from '@/db/schema';
import type { SignalKind } from '@/db/vocabulary';

export type { Facet, FacetCounts, FacetValue, TimeBucket };

/** What the audit table gets from the server. */
export interface SignalsTableData {
  rows: JobSignal[];
  total: number;
  /** False when `total` is PostgreSQL's estimate (more than 20,000 matches). */
  exact: boolean;
}

/** A link of the date drill-down's next level. */
export interface SignalDrill {
  year: number;
  month?: number;
  day?: number;
  label: string;
  count?: number;
}

export interface SignalsChartData {
  points: { at: number; counts: Record<SignalKind, number>; total: number }[];
  from: number;
  until: number;
  bucket: TimeBucket;
  next: SignalDrill[];
}
