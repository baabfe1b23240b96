import { describe, expect, it } from 'vitest';
import {
  decideCheckpoint,
  parkedMarker,
  planParkedStart,
  savedState,
} from '../../worker/toolkit/checkpoint-plan';
import { signalRow } from './signal-fixture';

describe('decideCheckpoint', () => {
  it('goes on when nothing is open', () => {
    expect(decideCheckpoint([], false)).toEqual({ kind: 'go-on' });
  });

  it('cancel beats pause, resume and shutdown', () => {
    const cancel = signalRow('cancel');
    const open = [signalRow('pause'), cancel, signalRow('resume')];
    expect(decideCheckpoint(open, true)).toEqual({ kind: 'cancel', cancel });
  });

  it('a pause parks; a pause at shutdown still parks', () => {
    const pause = signalRow('pause');
    expect(decideCheckpoint([pause], false)).toEqual({ kind: 'park', pause });
    expect(decideCheckpoint([pause], true)).toEqual({ kind: 'park', pause });
  });

  it('shutdown without a pause hands the job back', () => {
    expect(decideCheckpoint([], true)).toEqual({ kind: 'hand-back' });
    expect(decideCheckpoint([signalRow('resume')], true)).toEqual({ kind: 'hand-back' });
  });

  it('a resume that meets a pause cancels it out; alone it has nothing to resume', () => {
    const pause = signalRow('pause');
    const resume = signalRow('resume');
    expect(decideCheckpoint([pause, resume], false)).toEqual({
      kind: 'cancel-pause',
      pause,
      resume,
    });
    expect(decideCheckpoint([resume], false)).toEqual({ kind: 'refuse-resume', resume });
  });
});

describe('planParkedStart', () => {
  it('completes the resumes, and records the parking pause only when a resume came', () => {
    const pause = signalRow('pause');
    const resume = signalRow('resume');
    expect(planParkedStart(pause.id, [pause, resume])).toEqual({
      recoveredPause: pause,
      resumes: [resume],
    });
    // Parked but not recorded, and never resumed: the pause stays open and parks again.
    expect(planParkedStart(pause.id, [pause])).toEqual({ recoveredPause: undefined, resumes: [] });
    expect(planParkedStart(pause.id, [resume])).toEqual({
      recoveredPause: undefined,
      resumes: [resume],
    });
  });
});

describe('saved state', () => {
  it('keeps the last saved state when a checkpoint gives none, even a saved undefined-ish null', () => {
    expect(savedState(undefined, undefined)).toEqual({ state: undefined, hasState: false });
    expect(savedState(undefined, { page: 3 })).toEqual({ state: { page: 3 }, hasState: true });
    expect(savedState({ state: null, hasState: true }, undefined)).toEqual({
      state: null,
      hasState: true,
    });
    expect(savedState({ state: { page: 1 }, hasState: true }, { page: 2 })).toEqual({
      state: { page: 2 },
      hasState: true,
    });
  });

  it('a parked marker names the pause, who asked and why', () => {
    const pause = signalRow('pause', { requestedBy: 'bob', reason: 'maintenance' });
    expect(parkedMarker(undefined, pause, { page: 4 }, 1000)).toEqual({
      paused: { at: 1000, signalId: pause.id, requestedBy: 'bob', reason: 'maintenance' },
      state: { page: 4 },
      hasState: true,
    });
  });
});
