import { describe, expect, it } from 'vitest';
import { type LiveChange, touchesJob, touchesQueues } from '../../app/contracts';
import { describeOutcome } from '../../components/jobs/outcome';
import { bulkToast, effectOf } from '../../components/jobs/signal-messages';

describe('signal messages', () => {
  it('says what a cancel or pause will do to a job in its state', () => {
    expect(effectOf('cancel', 'active')).toMatch(/next checkpoint.*never retried/);
    expect(effectOf('cancel', 'waiting')).toBe('It is removed from the queue before it starts.');
    expect(effectOf('pause', 'active')).toMatch(/parks at its next checkpoint/);
  });

  it('reports a bulk request: how many were requested, how many skipped and why', () => {
    const t = bulkToast({
      signal: 'cancel',
      queue: 'reports',
      requested: 3,
      existing: 1,
      skipped: [{ jobId: '9', reason: 'Job 9 has already completed; there is nothing to cancel.' }],
      workers: 2,
    });
    expect(t.title).toBe('Cancel requested for 3 jobs; 1 skipped.');
    expect(t.description).toBe(
      '1 job already had an open cancel; nothing new was written for it. Job 9 has already completed; there is nothing to cancel.',
    );
    expect(t.tone).toBe('warning');
  });

  it('lists at most three skip reasons', () => {
    const skipped = ['1', '2', '3', '4', '5'].map((jobId) => ({
      jobId,
      reason: `Job ${jobId} is already paused.`,
    }));
    const t = bulkToast({
      signal: 'pause',
      queue: 'q',
      requested: 0,
      existing: 0,
      skipped,
      workers: 1,
    });
    expect(t.title).toBe('No pause requested: all 5 jobs skipped.');
    expect(t.description).toContain('…and 2 more skipped.');
    expect(t.tone).toBe('error');
  });

  it('describes outcomes in words', () => {
    expect(
      describeOutcome({
        status: 'completed',
        outcome: { action: 'cancelled', during: 'checkpoint', at: { step: 4 }, cleanup: 'ok' },
      }),
    ).toBe('Cancelled at a checkpoint at {"step":4}. Cleanup ran.');
    expect(describeOutcome({ status: 'completed', outcome: { action: 'removed' } })).toBe(
      'Removed from the queue before it started.',
    );
    expect(
      describeOutcome({
        status: 'superseded',
        outcome: { reason: 'job completed before a checkpoint acted on the signal' },
      }),
    ).toBe('Nothing to act on: job completed before a checkpoint acted on the signal.');
    expect(describeOutcome({ status: 'pending', outcome: null })).toBeNull();
  });
});

describe('live change matching', () => {
  const change = (over: Partial<LiveChange>): LiveChange => ({
    all: false,
    queues: [],
    jobs: [],
    moreJobs: false,
    signalQueues: [],
    ...over,
  });

  it('refreshes a queue view for job events or signals of its queue only', () => {
    expect(touchesQueues(change({ queues: ['a'] }), ['a'])).toBe(true);
    expect(touchesQueues(change({ signalQueues: ['a'] }), ['a'])).toBe(true);
    expect(touchesQueues(change({ queues: ['b'] }), ['a'])).toBe(false);
    expect(touchesQueues(change({ queues: ['b'] }), null)).toBe(true);
    expect(touchesQueues(change({ all: true }), ['a'])).toBe(true);
  });

  it('refreshes a job page for its own job, its queue’s signals, or a cut-short batch', () => {
    expect(touchesJob(change({ queues: ['a'], jobs: [['a', '1']] }), 'a', '1')).toBe(true);
    expect(touchesJob(change({ queues: ['a'], jobs: [['a', '2']] }), 'a', '1')).toBe(false);
    expect(
      touchesJob(change({ queues: ['a'], jobs: [['a', '2']], moreJobs: true }), 'a', '1'),
    ).toBe(true);
    expect(touchesJob(change({ signalQueues: ['a'] }), 'a', '1')).toBe(true);
  });
});
