import { describe, expect, it } from 'vitest';
import {
  DEFAULT_JOB_STATES,
  parseJobsSearch,
  stateParam,
  statesFromParam,
} from '../../components/jobs/job-search';
import { JOB_STATES } from '../../worker/job-state';

describe('/jobs search parameters', () => {
  it('defaults to the jobs someone can act on, newest first, 50 a page', () => {
    expect(parseJobsSearch({})).toEqual({
      queue: undefined,
      states: [...DEFAULT_JOB_STATES],
      name: undefined,
      q: undefined,
      sort: { id: 'added', desc: true },
      page: 1,
      pageSize: 50,
    });
    expect(DEFAULT_JOB_STATES).toEqual(
      expect.arrayContaining(['waiting', 'prioritized', 'delayed', 'active', 'paused']),
    );
    expect(DEFAULT_JOB_STATES).not.toContain('completed');
  });

  it('reads every filter of a shared link', () => {
    expect(
      parseJobsSearch({
        queue: 'reports',
        state: 'active,cancelled',
        name: 'send-invoice',
        q: '42',
        sort: 'added.asc',
        page: '3',
        size: '100',
      }),
    ).toEqual({
      queue: 'reports',
      states: ['active', 'cancelled'],
      name: 'send-invoice',
      q: '42',
      sort: { id: 'added', desc: false },
      page: 3,
      pageSize: 100,
    });
  });

  it('never trusts the URL: unknown states, sorts and sizes fall back', () => {
    const s = parseJobsSearch({ state: 'bogus', sort: 'name.asc', size: '7' });
    expect(s.states).toEqual([...DEFAULT_JOB_STATES]);
    expect(s.sort).toEqual({ id: 'added', desc: true });
    expect(s.pageSize).toBe(50);
  });

  it('takes a long name or search whole: a filter cut short would find nothing', () => {
    const name = `report-${'n'.repeat(1993)}`;
    const s = parseJobsSearch({ name, q: 'x'.repeat(500) });
    expect(s.name).toBe(name);
    expect(s.q).toHaveLength(500);
  });

  it('writes the state parameter short: nothing for the default, "all" for all', () => {
    expect(stateParam(DEFAULT_JOB_STATES)).toBeNull();
    expect(stateParam(JOB_STATES)).toBe('all');
    expect(stateParam(['paused', 'active'])).toBe('active,paused');
    expect(stateParam([])).toBeNull();
    expect(statesFromParam('all')).toEqual([...JOB_STATES]);
    expect(statesFromParam(stateParam(['failed', 'completed']))).toEqual(['completed', 'failed']);
  });
});
