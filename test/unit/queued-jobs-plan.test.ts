import { describe, expect, it } from 'vitest';
import type { JobStateName } from '../../worker/job-state';
import { MARKER_KEY } from '../../worker/marker';
import { isClaimable, planQueuedSignals } from '../../worker/toolkit/queued-jobs-plan';
import { signalRow } from './signal-fixture';

const T = new Date('2026-01-01T00:00:00Z').getTime();
type Facts = { timestamp: number; data: unknown; repeatJobKey: string | null };
const jobs = (entries: [string, JobStateName | 'unknown', unknown?][]) =>
  new Map(
    entries.map(([id, state, data]) => [
      id,
      { job: { timestamp: T - 1000, data: data ?? {}, repeatJobKey: null } as Facts, state },
    ]),
  );
const parked = (signalId: number, state?: unknown) => ({
  [MARKER_KEY]: { paused: { at: T, signalId }, state, hasState: state !== undefined },
});

describe('isClaimable', () => {
  it('pending is claimable; delivered only once its claim is stale', () => {
    const now = T + 60_000;
    expect(isClaimable(signalRow('cancel'), 30, now)).toBe(true);
    const fresh = signalRow('cancel', { status: 'delivered', deliveredAt: new Date(now - 10_000) });
    const old = signalRow('cancel', { status: 'delivered', deliveredAt: new Date(now - 31_000) });
    expect(isClaimable(fresh, 30, now)).toBe(false);
    expect(isClaimable(old, 30, now)).toBe(true);
    expect(isClaimable(signalRow('cancel', { status: 'completed' }), 30, now)).toBe(false);
  });
});

describe('planQueuedSignals', () => {
  it('supersedes signals of jobs that are gone, finished, or newer than the signal', () => {
    const gone = signalRow('cancel', { jobId: 'gone' });
    const done = signalRow('pause', { jobId: 'done' });
    const reused = signalRow('cancel', { jobId: 'new', createdAt: new Date(T - 5000) });
    const plan = planQueuedSignals(
      'q',
      [gone, done, reused],
      jobs([
        ['done', 'completed'],
        ['new', 'waiting'],
      ]),
      [],
    );
    expect(plan.plans).toEqual([]);
    expect(plan.finishes.map((f) => [f.id, f.status, f.outcome.reason])).toEqual([
      [gone.id, 'superseded', 'job no longer exists'],
      [done.id, 'superseded', 'job completed first'],
      [reused.id, 'superseded', 'signal is older than the job (job id reused)'],
    ]);
  });

  it('removes queued and paused jobs on cancel; leaves running ones to their holder', () => {
    const a = signalRow('cancel', { jobId: 'a' });
    const b = signalRow('cancel', { jobId: 'b' });
    const c = signalRow('cancel', { jobId: 'c' });
    const plan = planQueuedSignals(
      'q',
      [a, b, c],
      jobs([
        ['a', 'delayed'],
        ['b', 'paused', parked(1)],
        ['c', 'active'],
      ]),
      [],
    );
    expect(plan.plans.map((p) => [p.signal.id, p.act, p.state])).toEqual([
      [a.id, 'remove', 'delayed'],
      [b.id, 'remove', 'paused'],
    ]);
    expect(plan.finishes).toEqual([]);
  });

  it('parks a delayed job at once, leaves a waiting one to the worker that picks it up', () => {
    const d = signalRow('pause', { jobId: 'd' });
    const w = signalRow('pause', { jobId: 'w' });
    const plan = planQueuedSignals(
      'q',
      [d, w],
      jobs([
        ['d', 'delayed'],
        ['w', 'waiting'],
      ]),
      [d, w],
    );
    expect(plan.plans.map((p) => [p.signal.jobId, p.act])).toEqual([['d', 'park']]);
  });

  it('a pause beside an open cancel is superseded by it', () => {
    const cancel = signalRow('cancel', {
      jobId: 'x',
      status: 'delivered',
      deliveredAt: new Date(),
    });
    const pause = signalRow('pause', { jobId: 'x' });
    const plan = planQueuedSignals('q', [pause], jobs([['x', 'delayed']]), [cancel, pause]);
    expect(plan.finishes).toEqual([
      {
        id: pause.id,
        status: 'superseded',
        outcome: { reason: 'job is being cancelled', by: cancel.id },
      },
    ]);
  });

  it('a pause for a paused job: the one that parked it is recorded, another is superseded', () => {
    const parking = signalRow('pause', { jobId: 'p' });
    const again = signalRow('pause', { jobId: 'p' });
    const plan = planQueuedSignals(
      'q',
      [parking, again],
      jobs([['p', 'paused', parked(parking.id, { page: 2 })]]),
      [parking, again],
    );
    expect(plan.finishes).toEqual([
      {
        id: parking.id,
        status: 'completed',
        outcome: { action: 'parked', at: { page: 2 }, recovered: true },
      },
      { id: again.id, status: 'superseded', outcome: { reason: 'job is already paused' } },
    ]);
  });

  it('resume: promotes a paused job, cancels an open pause out, refuses a job that is not paused', () => {
    const r1 = signalRow('resume', { jobId: 'paused' });
    const r2 = signalRow('resume', { jobId: 'pausing' });
    const pause = signalRow('pause', { jobId: 'pausing' });
    const r3 = signalRow('resume', { jobId: 'plain' });
    const plan = planQueuedSignals(
      'q',
      [r1, r2, r3],
      jobs([
        ['paused', 'paused', parked(99)],
        ['pausing', 'waiting'],
        ['plain', 'waiting'],
      ]),
      [r1, r2, pause, r3],
    );
    expect(plan.plans.map((p) => [p.signal.id, p.act, p.pause?.id])).toEqual([
      [r1.id, 'promote', undefined],
      [r2.id, 'cancel-pause', pause.id],
    ]);
    expect(plan.finishes).toEqual([
      {
        id: r3.id,
        status: 'superseded',
        outcome: { reason: 'job is not paused', state: 'waiting' },
      },
    ]);
  });

  it('a cancel whose job failed as cancelled is recorded late', () => {
    const s = signalRow('cancel', { jobId: 'k' });
    const plan = planQueuedSignals('q', [s], jobs([['k', 'cancelled']]), [s]);
    expect(plan.finishes).toEqual([
      { id: s.id, status: 'completed', outcome: { action: 'cancelled', recordedLate: true } },
    ]);
  });

  it("a scheduler's run is marked, not removed, and only once; a pause of it is superseded", () => {
    const cancel = signalRow('cancel', { jobId: 'repeat:nightly:1' });
    const pause = signalRow('pause', { jobId: 'repeat:hourly:1' });
    const facts = (data: unknown, key: string) => ({
      job: { timestamp: T - 1000, data, repeatJobKey: key },
      state: 'delayed' as const,
    });
    const plan = planQueuedSignals(
      'q',
      [cancel, pause],
      new Map([
        ['repeat:nightly:1', facts({}, 'nightly')],
        ['repeat:hourly:1', facts({}, 'hourly')],
      ]),
      [cancel, pause],
    );
    expect(plan.plans.map((p) => [p.signal.id, p.act])).toEqual([[cancel.id, 'mark-cancel']]);
    expect(plan.finishes).toMatchObject([{ id: pause.id, status: 'superseded' }]);
    const marked = {
      [MARKER_KEY]: { cancelAtStart: { signalId: cancel.id, requestedBy: 'ann', reason: null } },
    };
    const again = planQueuedSignals(
      'q',
      [cancel],
      new Map([['repeat:nightly:1', facts(marked, 'nightly')]]),
      [cancel],
    );
    expect(again).toEqual({ plans: [], finishes: [] });
  });

  it('a cancel whose job another cancel ended is superseded by it', () => {
    const first = signalRow('cancel', { jobId: 'k' });
    const second = signalRow('cancel', { jobId: 'k' });
    const data = { [MARKER_KEY]: { cancelled: { signalId: first.id, at: T, attemptsMade: 0 } } };
    const plan = planQueuedSignals('q', [second], jobs([['k', 'cancelled', data]]), [second]);
    expect(plan.finishes).toEqual([
      {
        id: second.id,
        status: 'superseded',
        outcome: { reason: 'job was cancelled', state: 'cancelled', by: first.id },
      },
    ]);
  });
});
