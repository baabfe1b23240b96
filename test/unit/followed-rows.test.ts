import { describe, expect, it } from 'vitest';
import type { JobRow } from '../../app/contracts';
import { listScope, withFollowedRows } from '../../components/jobs/followed-rows';

const row = (id: string, state: JobRow['state'] = 'active'): JobRow => ({
  key: `q:${id}`,
  queue: 'q',
  id,
  name: 'job',
  state,
  progress: 0,
  attemptsMade: 0,
  maxAttempts: 1,
  addedAt: 0,
  startedAt: null,
  finishedAt: null,
  latestSignal: null,
  actions: [],
  workers: 1,
  schedulerId: null,
  parent: null,
});

const VIEW = listScope(new URLSearchParams('queue=q'));

describe('withFollowedRows', () => {
  it('puts a row asked for back where it was once the page drops it, with its state as last read', () => {
    const positions = new Map([
      ['q:1', 0],
      ['q:2', 1],
      ['q:3', 2],
    ]);
    const followed = [{ key: 'q:2', scope: VIEW, row: row('2', 'cancelled'), clicked: row('2') }];
    const out = withFollowedRows([row('1'), row('3')], followed, VIEW, positions);
    expect(out.rows.map((r) => [r.id, r.state])).toEqual([
      ['1', 'active'],
      ['2', 'cancelled'],
      ['3', 'active'],
    ]);
    expect([...out.pinned]).toEqual(['q:2']);
  });

  it('shows the row as clicked until the first read', () => {
    const followed = [{ key: 'q:2', scope: VIEW, row: null, clicked: row('2') }];
    const out = withFollowedRows([row('1')], followed, VIEW, new Map([['q:2', 5]]));
    expect(out.rows.map((r) => r.id)).toEqual(['1', '2']);
  });

  it('adds nothing for a row the page still holds, or one asked for in another view', () => {
    const other = listScope(new URLSearchParams('queue=q&state=paused'));
    expect(other).not.toBe(VIEW);
    const followed = [
      { key: 'q:1', scope: VIEW, row: row('1', 'paused'), clicked: row('1') },
      { key: 'q:9', scope: other, row: row('9', 'cancelled'), clicked: row('9') },
      { key: 'q:8', scope: null, row: row('8', 'cancelled'), clicked: row('8') },
    ];
    const out = withFollowedRows([row('1')], followed, VIEW, new Map());
    expect(out.rows.map((r) => [r.id, r.state])).toEqual([['1', 'active']]);
    expect(out.pinned.size).toBe(0);
  });
});
