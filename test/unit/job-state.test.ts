import { describe, expect, it } from 'vitest';
import { nameState } from '../../worker/job-state';
import { isParked, MARKER_KEY, readMarker, stripMarker, withMarker } from '../../worker/marker';

describe('nameState', () => {
  it('names BullMQ states as BullMQ does', () => {
    for (const raw of [
      'waiting',
      'prioritized',
      'delayed',
      'waiting-children',
      'active',
      'completed',
      'failed',
    ]) {
      expect(nameState(raw, { data: {} })).toBe(raw);
    }
    expect(nameState('wait', { data: {} })).toBe('unknown');
  });

  it('a delayed job with the marker is paused; one without is delayed', () => {
    const parked = withMarker({ a: 1 }, { paused: { at: 1, signalId: 2 } });
    expect(nameState('delayed', { data: parked })).toBe('paused');
    expect(nameState('delayed', { data: { a: 1 } })).toBe('delayed');
  });

  it("a job failed by a cancel is cancelled: from the toolkit's record, never from the error text", () => {
    const record = withMarker({ a: 1 }, { cancelled: { signalId: 3, at: 1, attemptsMade: 0 } });
    expect(nameState('failed', { data: record })).toBe('cancelled');
    // A processor's own error that happens to start with "cancelled" is a failure.
    expect(nameState('failed', { data: { a: 1 } })).toBe('failed');
  });
});

describe('the parked-job marker', () => {
  it('round-trips on object data and keeps the producer data apart', () => {
    const m = { paused: { at: 5, signalId: 7 }, state: { page: 3 }, hasState: true };
    const data = withMarker({ pages: 10 }, m);
    expect(readMarker(data)).toEqual(m);
    expect(isParked(data)).toBe(true);
    expect(stripMarker(data)).toEqual({ pages: 10 });
    expect(withMarker(data, undefined)).toEqual({ pages: 10 });
  });

  it('wraps data that cannot carry a key, and unwraps it again', () => {
    for (const raw of [null, 42, 'text', [1, 2]]) {
      const data = withMarker(raw, { state: 1, hasState: true });
      expect(Object.keys(data as object)).toEqual([MARKER_KEY]);
      expect(stripMarker(data)).toEqual(raw);
      expect(isParked(data)).toBe(false);
    }
  });

  it('ignores a marker key that is not an object', () => {
    expect(readMarker({ [MARKER_KEY]: 'x' })).toBeUndefined();
    expect(readMarker(undefined)).toBeUndefined();
  });
});
