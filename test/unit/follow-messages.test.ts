import { describe, expect, it } from 'vitest';
import type { OperationProgress, SignalView } from '../../app/contracts';
import {
  describeWait,
  followLine,
  followToast,
  operationPercent,
  operationSummary,
  waitShort,
} from '../../components/jobs/follow-messages';

const AT = '2026-01-01T00:00:00.000Z';
const plus = (ms: number) => new Date(Date.parse(AT) + ms).toISOString();

function view(over: Partial<SignalView>): SignalView {
  return {
    id: 7,
    signal: 'cancel',
    status: 'pending',
    reason: null,
    requestedBy: 'ann@example.com',
    workerId: null,
    outcome: null,
    createdAt: AT,
    deliveredAt: null,
    completedAt: null,
    ...over,
  };
}

describe('a followed signal, step by step', () => {
  it('requested → delivered → cancelled with the time it took and its cleanup', () => {
    expect(followLine(view({}))).toEqual({ text: 'cancel requested', tone: 'waiting' });
    expect(followLine(view({ status: 'delivered', workerId: 'w-1' }))).toEqual({
      text: 'delivered to w-1',
      tone: 'waiting',
    });
    const done = view({
      status: 'completed',
      workerId: 'w-1',
      completedAt: plus(38),
      outcome: { action: 'cancelled', during: 'checkpoint', cleanup: 'ok' },
    });
    expect(followLine(done)).toEqual({ text: 'cancelled in 38 ms · cleanup ran', tone: 'done' });
    expect(followToast(done, '5', 'q')).toMatchObject({
      title: 'Job 5 cancelled in 38 ms.',
      description: 'Cleanup ran.',
      tone: 'success',
      open: false,
    });
  });

  it('a pause says where the job stopped; a resume where it goes on from', () => {
    const paused = view({
      signal: 'pause',
      status: 'completed',
      completedAt: plus(120),
      outcome: { action: 'parked', at: { step: 41 } },
    });
    expect(followLine(paused).text).toBe('paused in 120 ms · saved {"step":41}');
    const resumed = view({
      signal: 'resume',
      status: 'completed',
      completedAt: plus(2100),
      outcome: { action: 'resumed', from: { step: 41 } },
    });
    expect(followLine(resumed).text).toBe('resumed in 2.1 s · from {"step":41}');
  });

  it('superseded says why, and a removal says the job never started', () => {
    const late = view({
      status: 'superseded',
      completedAt: plus(5),
      outcome: { reason: 'job completed first', state: 'completed' },
    });
    expect(followLine(late)).toEqual({
      text: 'superseded: the job completed first',
      tone: 'skipped',
    });
    expect(followToast(late, '5', 'q')).toMatchObject({
      title: 'Job 5: the cancel was not needed.',
      description: 'The job completed first.',
      tone: 'info',
    });
    const removed = view({
      status: 'completed',
      completedAt: plus(12),
      outcome: { action: 'removed' },
    });
    expect(followLine(removed).text).toBe('cancelled in 12 ms · removed before it started');
  });

  it('a double click: "already cancelled 40 ms ago by …"', () => {
    const done = view({
      status: 'completed',
      completedAt: plus(30),
      outcome: { action: 'cancelled' },
    });
    expect(followToast(done, '5', 'q', { repeatAgoMs: 40 })).toMatchObject({
      title: 'Job 5 was already cancelled 40 ms ago by ann@example.com.',
      tone: 'info',
      open: false,
    });
    expect(followToast(view({}), '5', 'q', { existing: true }).title).toBe(
      'Job 5 already has an open cancel.',
    );
  });

  it('an open signal stays open; a late one says why it waits', () => {
    expect(followToast(view({}), '5', 'q')).toMatchObject({
      title: 'Cancel requested for job 5.',
      tone: 'loading',
      open: true,
    });
    const late = view({ wait: { why: 'no-worker', forMs: 0 } });
    expect(followLine(late).tone).toBe('late');
    expect(followToast(late, '5', 'reports')).toMatchObject({
      tone: 'warning',
      description: 'No Signal Desk worker serves reports: the signal waits until one starts.',
    });
  });
});

describe('why a signal waits, in words', () => {
  it('long and short', () => {
    const w = { why: 'no-checkpoint', forMs: 12_000, workerId: 'w-1' } as const;
    expect(describeWait(w, 'q')).toBe(
      'Delivered to w-1 12 s ago; the job has not reached a checkpoint since.',
    );
    expect(waitShort(w)).toBe('no checkpoint for 12 s');
    expect(
      describeWait({ why: 'holder-gone', forMs: 50_000, workerId: 'w-1', silentMs: 45_000 }, 'q'),
    ).toMatch(/^The worker running the job \(w-1\) has sent no heartbeat for 45 s/);
    expect(describeWait({ why: 'not-taken', forMs: 9_000, workers: 1 }, 'q')).toMatch(
      /1 worker serves q, and none has taken it/,
    );
  });
});

describe('an operation’s progress, in words', () => {
  const progress = (over: Partial<OperationProgress>): OperationProgress => ({
    operation: {
      id: 3,
      signal: 'cancel',
      queue: 'reports',
      requestedBy: 'ann',
      reason: null,
      name: null,
      jobCount: 300,
      createdAt: AT,
    },
    written: 297,
    acted: 100,
    superseded: 20,
    open: 177,
    alreadyOpen: 1,
    skippedCount: 2,
    supersededWhy: [],
    finishedAt: null,
    readAt: plus(900),
    ...over,
  });

  it('while running: how many of how many, and what is left', () => {
    const p = progress({});
    expect(operationPercent(p)).toBe(40);
    expect(operationSummary(p)).toEqual({
      title: 'Cancel in reports: 120 of 297 jobs done.',
      counts: '100 cancelled · 20 superseded · 177 still open · 1 already had one open · 2 skipped',
      tone: 'loading',
    });
  });

  it('at its end: done, with the time it took', () => {
    const p = progress({ acted: 277, open: 0, finishedAt: plus(1400) });
    expect(operationPercent(p)).toBe(100);
    expect(operationSummary(p).title).toBe('Cancel in reports: 297 jobs done in 1.4 s.');
    expect(operationSummary(p).tone).toBe('warning'); // two were skipped
  });

  it('nothing written: says so', () => {
    const p = progress({
      written: 0,
      acted: 0,
      superseded: 0,
      open: 0,
      alreadyOpen: 0,
      skippedCount: 300,
    });
    expect(operationSummary(p).title).toBe('Cancel in reports: nothing new to do for 300 jobs.');
    expect(operationPercent(p)).toBe(100);
  });
});
