import { describe, expect, it } from 'vitest';
import { isRepeatOf, REPEAT_WINDOW_MS } from '../../app/requests/rules';
import { signalRow } from './signal-fixture';

const NOW = new Date('2026-01-01T00:10:00Z').getTime();
const JOB_ADDED = NOW - 60 * 60_000;

const finished = (
  signal: 'cancel' | 'pause' | 'resume',
  agoMs: number,
  over: Parameters<typeof signalRow>[1] = {},
) =>
  signalRow(signal, {
    status: 'completed',
    createdAt: new Date(NOW - agoMs - 30),
    completedAt: new Date(NOW - agoMs),
    ...over,
  });

describe('isRepeatOf: a request refused by the job state that repeats a signal acted on moments ago', () => {
  it('a cancel whose cancel just cancelled the job, or removed it', () => {
    expect(isRepeatOf('cancel', 'cancelled', finished('cancel', 40), JOB_ADDED, NOW)).toBe(true);
    expect(isRepeatOf('cancel', 'gone', finished('cancel', 40), null, NOW)).toBe(true);
    // The job's state read as unknown: it vanished between the lookup and the state read.
    expect(isRepeatOf('cancel', 'unknown', finished('cancel', 40), JOB_ADDED, NOW)).toBe(true);
  });

  it('a pause whose pause parked the job; a resume whose resume set it going again', () => {
    expect(isRepeatOf('pause', 'paused', finished('pause', 40), JOB_ADDED, NOW)).toBe(true);
    expect(isRepeatOf('resume', 'active', finished('resume', 40), JOB_ADDED, NOW)).toBe(true);
    expect(isRepeatOf('resume', 'waiting', finished('resume', 40), JOB_ADDED, NOW)).toBe(true);
  });

  it('a signal the job’s own end made unnecessary answers a repeat on the finished job', () => {
    const superseded = finished('cancel', 40, {
      status: 'superseded',
      outcome: { reason: 'job completed first' },
    });
    expect(isRepeatOf('cancel', 'completed', superseded, JOB_ADDED, NOW)).toBe(true);
    // ...but not a pause on a job that is simply paused: that refusal stands.
    const pauseSuperseded = finished('pause', 40, { status: 'superseded' });
    expect(isRepeatOf('pause', 'paused', pauseSuperseded, JOB_ADDED, NOW)).toBe(false);
  });

  it('no repeat: too long ago, another kind, still open, or a state the signal did not cause', () => {
    expect(
      isRepeatOf('cancel', 'cancelled', finished('cancel', REPEAT_WINDOW_MS + 1), JOB_ADDED, NOW),
    ).toBe(false);
    expect(isRepeatOf('cancel', 'cancelled', finished('pause', 40), JOB_ADDED, NOW)).toBe(false);
    expect(
      isRepeatOf(
        'cancel',
        'cancelled',
        signalRow('cancel', { status: 'delivered' }),
        JOB_ADDED,
        NOW,
      ),
    ).toBe(false);
    expect(isRepeatOf('cancel', 'completed', finished('cancel', 40), JOB_ADDED, NOW)).toBe(false);
    expect(isRepeatOf('pause', 'active', finished('pause', 40), JOB_ADDED, NOW)).toBe(false);
    expect(isRepeatOf('resume', 'paused', finished('resume', 40), JOB_ADDED, NOW)).toBe(false);
    expect(isRepeatOf('cancel', 'cancelled', undefined, JOB_ADDED, NOW)).toBe(false);
  });

  it('a signal of an earlier job with the same custom id is not repeated', () => {
    const old = finished('cancel', 40);
    expect(isRepeatOf('cancel', 'cancelled', old, old.createdAt.getTime() + 1, NOW)).toBe(false);
  });
});
