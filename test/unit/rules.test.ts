import { describe, expect, it } from 'vitest';
import { KEY_MAX_BYTES } from '../../app/contracts/limits';
import { checkSignal } from '../../app/requests/rules';
import type { SignalKind } from '../../db/vocabulary';

const none = new Set<SignalKind>();
const run = 'repeat:nightly-sync:1796180400000';

describe("checkSignal: a job scheduler's run", () => {
  it('refuses a pause, saying why and what to do instead', () => {
    expect(checkSignal('pause', run, 'delayed', none, { schedulerId: 'nightly-sync' })).toEqual({
      ok: false,
      code: 'conflict',
      error:
        `Job ${run} is a run of job scheduler nightly-sync and cannot be paused: pausing one run ` +
        'would hold it for years while the scheduler reports it as its next run. Pause the queue ' +
        '(admins, on /queues) or remove the scheduler instead; to skip only this run, cancel it.',
    });
    expect(checkSignal('pause', run, 'active', none, { schedulerId: 'nightly-sync' })?.code).toBe(
      'conflict',
    );
  });

  it('allows a cancel (it skips this run) and refuses what it refuses for any job', () => {
    expect(checkSignal('cancel', run, 'delayed', none, { schedulerId: 'nightly-sync' })).toBeNull();
    expect(
      checkSignal('resume', run, 'delayed', none, { schedulerId: 'nightly-sync' })?.error,
    ).toBe(`Job ${run} is not paused (it is delayed); only a paused job can be resumed.`);
    expect(
      checkSignal('cancel', run, 'completed', none, { schedulerId: 'nightly-sync' })?.error,
    ).toBe(`Job ${run} has already completed; there is nothing to cancel.`);
  });

  it('treats a job without a scheduler as before', () => {
    expect(checkSignal('pause', '42', 'delayed', none)).toBeNull();
    expect(checkSignal('pause', '42', 'delayed', none, { schedulerId: null })).toBeNull();
  });
});

describe('checkSignal: flows', () => {
  it('refuses to pause a parent waiting for its children, and lets a child be paused', () => {
    expect(checkSignal('pause', 'p', 'waiting-children', none)?.error).toBe(
      'Job p is waiting for its children and cannot be paused.',
    );
    expect(checkSignal('cancel', 'p', 'waiting-children', none)).toBeNull();
    expect(checkSignal('pause', 'c', 'delayed', none)).toBeNull();
  });
});

describe('checkSignal: ids', () => {
  it('refuses a job whose id the signals table cannot index, in the cap wording', () => {
    const long = 'x'.repeat(KEY_MAX_BYTES + 1);
    expect(checkSignal('cancel', long, 'waiting', none)).toEqual({
      ok: false,
      code: 'invalid',
      error:
        'jobId is longer than 2,048 bytes (UTF-8): the signals table cannot index it, so no signal can reach this job.',
    });
    expect(checkSignal('cancel', 'x'.repeat(KEY_MAX_BYTES), 'waiting', none)).toBeNull();
    // Bytes, not characters: 683 euro signs are 2,049 bytes.
    expect(checkSignal('cancel', '€'.repeat(683), 'waiting', none)?.code).toBe('invalid');
  });
});
