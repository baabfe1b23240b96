import type { JobSignal, SignalKind } from '@/db/schema';
import type { TimeBucket } from '@/db/signal-timeline';

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
