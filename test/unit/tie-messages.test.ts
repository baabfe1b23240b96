import { describe, expect, it } from 'vitest';
import { refOfKey } from '../../app/bullmq/job-view';
import type { ChildrenView, SchedulerView } from '../../app/contracts';
import { describeRemovedChildren } from '../../components/jobs/outcome-children';
import {
  childEffect,
  describeSchedule,
  parentCancelEffect,
  schedulerCancelEffect,
} from '../../components/jobs/tie-messages';
import { timelineLimit } from '../../components/jobs/timeline-window';

const nightly: SchedulerView = {
  id: 'nightly-sync',
  exists: true,
  name: 'sync',
  pattern: '0 3 * * *',
  every: null,
  tz: 'Europe/Paris',
  next: 1_796_180_400_000,
  iterations: 3,
  limit: null,
  endDate: null,
};

describe('what a signal does to tied jobs, in words', () => {
  it('a scheduler run: cancel skips this run, the schedule goes on', () => {
    expect(describeSchedule(nightly)).toBe('cron 0 3 * * * (Europe/Paris)');
    expect(describeSchedule({ ...nightly, pattern: null, tz: null, every: 300_000 })).toBe(
      'every 5 min',
    );
    expect(schedulerCancelEffect('nightly-sync', nightly)).toBe(
      'This is a run of job scheduler nightly-sync (cron 0 3 * * * (Europe/Paris)). Cancel skips this run: the job stays in the queue until its time, then a Signal Desk worker ends it as cancelled before its processor runs. The schedule goes on and later runs are not affected; to stop the schedule, remove the scheduler.',
    );
    expect(schedulerCancelEffect('gone', null)).toMatch(/^This is a run of job scheduler gone\. /);
  });

  it('a flow parent: its children by count and queue, all removed with it', () => {
    const children: ChildrenView = {
      total: 1_203,
      pending: 1_200,
      processed: 2,
      failed: 1,
      ignored: 0,
      shown: [
        { queue: 'render', id: '1', key: 'bull:render:1' },
        { queue: 'upload', id: '9', key: 'bull:upload:9' },
      ],
    };
    expect(parentCancelEffect(children)).toBe(
      "It is a flow parent with 1,203 children (1,200 still to run, 2 completed, 1 failed) in render and upload and more. Cancelling removes it and all of them, in every queue; open signals on those children end superseded. The children are listed in the cancel's outcome.",
    );
  });

  it('a flow child: what happens to its parent', () => {
    const parent = { queue: 'reports', id: 'p1', key: 'bull:reports:p1' };
    expect(childEffect('cancel', parent, 'waiting')).toBe(
      'It is a child of reports/p1 in a flow. Removed from its queue, it no longer holds its parent back: the parent goes on without it.',
    );
    expect(childEffect('cancel', parent, 'active')).toMatch(
      /failParentOnFailure or ignoreDependencyOnFailure/,
    );
    expect(childEffect('pause', parent, 'active')).toBe(
      'It is a child of reports/p1 in a flow. Its parent keeps waiting for it while it is paused.',
    );
  });

  it("a parent's cancel outcome names the children removed with it", () => {
    const outcome = {
      action: 'removed',
      children: {
        count: 120,
        jobs: Array.from({ length: 100 }, (_, i) => ({ queue: 'render', id: String(i) })),
      },
    };
    expect(describeRemovedChildren({ status: 'completed', outcome })).toBe(
      'Its 120 children were removed with it: render/0, render/1, render/2 and 117 more.',
    );
    expect(
      describeRemovedChildren({
        status: 'completed',
        outcome: { children: { count: 1, jobs: [{ queue: 'q', id: '7' }] } },
      }),
    ).toBe('Its child was removed with it: q/7.');
    expect(
      describeRemovedChildren({ status: 'completed', outcome: { action: 'removed' } }),
    ).toBeNull();
  });

  it('reads flow keys: queue up to the first colon after the prefix, ids may hold colons', () => {
    expect(refOfKey('bull:reports:repeat:x:1', 'bull')).toEqual({
      queue: 'reports',
      id: 'repeat:x:1',
      key: 'bull:reports:repeat:x:1',
    });
    expect(refOfKey('other:reports:1', 'bull')).toEqual({
      queue: null,
      id: 'other:reports:1',
      key: 'other:reports:1',
    });
  });
});

describe('the timeline window', () => {
  it('shows the newest 50, more in steps of 50 up to 200', () => {
    expect(timelineLimit(undefined)).toBe(50);
    expect(timelineLimit('x')).toBe(50);
    expect(timelineLimit('100')).toBe(100);
    expect(timelineLimit('120')).toBe(150);
    expect(timelineLimit(['9999'])).toBe(200);
  });
});
