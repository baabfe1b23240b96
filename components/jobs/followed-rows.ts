import type { JobRow } from '@/app/contracts';

/** The list view a row was asked for in: its filters, page, size and order. */
export function listScope(params: URLSearchParams): string {
  return ['queue', 'state', 'name', 'q', 'page', 'size', 'sort']
    .map((k) => `${k}=${params.get(k) ?? ''}`)
    .join('&');
}

export interface FollowedRow {
  key: string;
  /** The view it was asked for in (null: not pinned anywhere any more). */
  scope: string | null;
  /** The row as last read, and as it was when clicked. */
  row: JobRow | null;
  clicked: JobRow;
}

/**
 * The rows a list shows: its page as loaded, plus each row asked for in this view
 * that the page no longer holds (a cancelled job leaves the default filter), put
 * back where it was (`positions`: the index each key last had) with its state as
 * last read. So the outcome stays where the click was until the view changes.
 */
export function withFollowedRows(
  rows: readonly JobRow[],
  followed: Iterable<FollowedRow>,
  scope: string,
  positions: ReadonlyMap<string, number>,
): { rows: JobRow[]; pinned: Set<string> } {
  const present = new Set(rows.map((r) => r.key));
  const missing = [...followed]
    .filter((f) => f.scope === scope && !present.has(f.key))
    .map((f) => ({ row: f.row ?? f.clicked, at: positions.get(f.key) ?? 0 }))
    .sort((a, b) => a.at - b.at);
  if (missing.length === 0) return { rows: [...rows], pinned: new Set() };
  const out = [...rows];
  for (const m of missing) out.splice(Math.min(m.at, out.length), 0, m.row);
  return { rows: out, pinned: new Set(missing.map((m) => m.row.key)) };
}
