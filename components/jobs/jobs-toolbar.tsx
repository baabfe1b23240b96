'use client';

import type { QueueSummary } from '@/app/contracts';
import { JOB_STATES, type JobStateName } from '@/app/contracts';
import { DataTableFacetFilter, DataTableSearch, type UrlState } from '../data-table';
import { Button } from '../ui/button';
import { Select } from '../ui/input';
import { DEFAULT_JOB_STATES, stateParam, statesFromParam } from './job-search';
import { useSignalRequests } from './signal-requests';

export interface JobsToolbarProps {
  url: UrlState;
  queues: QueueSummary[];
  counts: Record<JobStateName, number>;
}

/** Filters of /jobs (queue, state, name, search), all written to the URL. */
export function JobsToolbar({ url, queues, counts }: JobsToolbarProps) {
  const { cancelByName, canSignal } = useSignalRequests();
  const p = url.params;
  const queue = p.get('queue') ?? '';
  const name = p.get('name') ?? '';
  const states = statesFromParam(p.get('state'));
  const filtered = Boolean(queue || name || p.get('q') || p.get('state'));
  const served = queues.find((q) => q.name === queue)?.workers ?? 0;
  const scope = queue ? queues.filter((q) => q.name === queue) : queues;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <DataTableSearch
        className="w-full sm:w-60"
        label="Search by id or name"
        value={p.get('q') ?? ''}
        onChange={(q) => url.setParams({ q })}
      />
      <DataTableSearch
        className="w-full sm:w-48"
        label="Job name (exact)"
        value={name}
        onChange={(n) => url.setParams({ name: n })}
      />
      <Select
        aria-label="Queue"
        className="lg:hidden"
        value={queue}
        onChange={(e) => url.setParams({ queue: e.target.value || null })}
      >
        <option value="">All queues</option>
        {queues.map((q) => (
          <option key={q.name} value={q.name}>
            {q.name}
          </option>
        ))}
      </Select>
      <DataTableFacetFilter<JobStateName>
        title="State"
        options={JOB_STATES.map((s) => ({
          value: s,
          count: counts[s] ?? 0,
          approximate: scope.some((q) => q.approximate.includes(s)),
        }))}
        selected={states}
        defaultSelected={DEFAULT_JOB_STATES}
        presets={[{ label: 'All states', values: JOB_STATES }]}
        onChange={(next) => url.setParams({ state: stateParam(next) })}
      />
      {filtered ? (
        <Button
          variant="ghost"
          size="sm"
          onClick={() => url.setParams({ queue: null, name: null, q: null, state: null })}
        >
          Reset filters
        </Button>
      ) : null}
      {canSignal && queue && name ? (
        <Button
          variant="danger-ghost"
          size="sm"
          className="ml-auto"
          onClick={() => cancelByName(queue, name, served)}
        >
          Cancel all named {name}…
        </Button>
      ) : null}
    </div>
  );
}
