'use client';

import { DataTableSearch, useUrlState } from '../data-table';
import { Button } from '../ui/button';
import { Input } from '../ui/input';

/**
 * Search (job id, job name, reason, requester), a from / to range (UTC days), the
 * CSV export of everything the filters match, and a reset. All in the URL.
 */
export function SignalsToolbar({ exportHref }: { exportHref: string }) {
  const url = useUrlState();
  const p = url.params;
  const filtered = [...p.keys()].some((k) => !['page', 'size', 'sort'].includes(k));
  return (
    <div className="flex flex-wrap items-end gap-2">
      <DataTableSearch
        className="w-full sm:w-72"
        label="Search job id, name, reason, requester"
        value={p.get('q') ?? ''}
        onChange={(q) => url.setParams({ q })}
      />
      <label className="flex flex-col text-xs text-zinc-600 dark:text-zinc-400">
        From (UTC)
        <Input
          type="date"
          className="h-8 w-40"
          value={p.get('from') ?? ''}
          onChange={(e) => url.setParams({ from: e.target.value })}
        />
      </label>
      <label className="flex flex-col text-xs text-zinc-600 dark:text-zinc-400">
        To (UTC, inclusive)
        <Input
          type="date"
          className="h-8 w-40"
          value={p.get('to') ?? ''}
          onChange={(e) => url.setParams({ to: e.target.value })}
        />
      </label>
      <div className="ml-auto flex gap-2">
        {filtered ? (
          <Button variant="ghost" size="sm" onClick={() => url.setParams(resetAll(p))}>
            Reset filters
          </Button>
        ) : null}
        <Button asChild variant="secondary" size="sm">
          <a href={exportHref} download data-testid="signals-export">
            Export CSV
          </a>
        </Button>
      </div>
    </div>
  );
}

function resetAll(p: URLSearchParams): Record<string, null> {
  const out: Record<string, null> = {};
  for (const k of p.keys()) if (k !== 'size' && k !== 'sort') out[k] = null;
  return out;
}
