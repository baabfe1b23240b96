import { describe, expect, it } from 'vitest';
import {
  HOLDER_SILENT_MS,
  SIGNAL_LATE_MS,
  type WaitFacts,
  whySignalWaits,
} from '../../app/jobs/signal-wait';

const NOW = new Date('2026-01-01T00:10:00Z').getTime();

/** Facts of a signal asked `ageMs` ago on a running job held by w-1, which beat just now. */
function facts(
  ageMs: number,
  over: Partial<WaitFacts> = {},
  sig: Partial<WaitFacts['signal']> = {},
): WaitFacts {
  return {
    signal: {
      status: 'pending',
      createdAt: NOW - ageMs,
      deliveredAt: null,
      workerId: null,
      ...sig,
    },
    job: { state: 'active', processedBy: 'w-1' },
    queueWorkers: 1,
    lastSeen: new Map([['w-1', NOW - 2_000]]),
    now: NOW,
    ...over,
  };
}

describe('whySignalWaits', () => {
  it('says nothing of a finished signal, or of one still within the time a worker takes', () => {
    expect(whySignalWaits(facts(60_000, {}, { status: 'completed' }))).toBeNull();
    expect(whySignalWaits(facts(60_000, {}, { status: 'superseded' }))).toBeNull();
    expect(whySignalWaits(facts(SIGNAL_LATE_MS - 1))).toBeNull();
    expect(
      whySignalWaits(
        facts(
          SIGNAL_LATE_MS - 1,
          {},
          { status: 'delivered', deliveredAt: NOW - 100, workerId: 'w-1' },
        ),
      ),
    ).toBeNull();
  });

  it('no worker serves the queue: said at once for a queued job', () => {
    expect(
      whySignalWaits(facts(10, { job: { state: 'waiting', processedBy: null }, queueWorkers: 0 })),
    ).toEqual({
      why: 'no-worker',
      forMs: 10,
    });
    // The same when Redis no longer has the job.
    expect(whySignalWaits(facts(10, { job: null, queueWorkers: 0 }))?.why).toBe('no-worker');
  });

  it('the worker holding a running job stopped heartbeating', () => {
    const lastSeen = new Map([['w-1', NOW - HOLDER_SILENT_MS - 5_000]]);
    expect(whySignalWaits(facts(1_000, { lastSeen }))).toEqual({
      why: 'holder-gone',
      forMs: 1_000,
      workerId: 'w-1',
      silentMs: HOLDER_SILENT_MS + 5_000,
    });
  });

  it('a running job delivered N s ago and still active: no checkpoint since delivery', () => {
    const w = whySignalWaits(
      facts(20_000, {}, { status: 'delivered', deliveredAt: NOW - 12_000, workerId: 'w-1' }),
    );
    expect(w).toEqual({ why: 'no-checkpoint', forMs: 12_000, workerId: 'w-1' });
  });

  it('a running job on a worker that is not a Signal Desk worker', () => {
    const f = facts(SIGNAL_LATE_MS + 1, { job: { state: 'active', processedBy: 'plain-bullmq' } });
    expect(whySignalWaits(f)).toEqual({
      why: 'holder-foreign',
      forMs: SIGNAL_LATE_MS + 1,
      workerId: 'plain-bullmq',
    });
    // ...and with no Signal Desk worker on the queue at all, that is the reason given.
    expect(whySignalWaits({ ...f, queueWorkers: 0 })?.why).toBe('no-worker');
  });

  it('a queued job whose claimer stopped heartbeating, or is slow', () => {
    const queued = { job: { state: 'waiting' as const, processedBy: null } };
    const delivered = { status: 'delivered' as const, deliveredAt: NOW - 8_000, workerId: 'w-2' };
    const gone = new Map([['w-2', NOW - HOLDER_SILENT_MS - 1]]);
    expect(whySignalWaits(facts(8_000, { ...queued, lastSeen: gone }, delivered))?.why).toBe(
      'holder-gone',
    );
    const alive = new Map([['w-2', NOW - 1_000]]);
    expect(whySignalWaits(facts(8_000, { ...queued, lastSeen: alive }, delivered))).toEqual({
      why: 'claim-stuck',
      forMs: 8_000,
      workerId: 'w-2',
    });
  });

  it('workers serve the queue and none took the signal', () => {
    expect(
      whySignalWaits(
        facts(9_000, { job: { state: 'waiting', processedBy: null }, queueWorkers: 3 }),
      ),
    ).toEqual({ why: 'not-taken', forMs: 9_000, workers: 3 });
  });
});
