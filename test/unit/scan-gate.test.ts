import { describe, expect, it } from 'vitest';
import { ScanBusyError, ScanGate } from '../../app/bullmq/scan-gate';

/** A scan that runs until released. */
function held() {
  let release = () => {};
  const done = new Promise<void>((r) => {
    release = r;
  });
  return { release, scan: () => done };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ScanGate', () => {
  it('runs one scan per caller, queues two more, refuses the next; others are not held up', async () => {
    const gate = new ScanGate(1, 2, 4);
    const a = held();
    const runs = [gate.run('ann', a.scan), gate.run('ann', a.scan), gate.run('ann', a.scan)];
    await tick();
    expect(gate.runningFor('ann')).toBe(1);
    await expect(gate.run('ann', a.scan)).rejects.toBeInstanceOf(ScanBusyError);
    await expect(gate.run('bob', async () => 'bob ran')).resolves.toBe('bob ran');
    a.release();
    await Promise.all(runs);
    expect(gate.runningFor('ann')).toBe(0);
  });

  it('the server runs at most its limit at once, whoever asks, and starts waiters in order', async () => {
    const gate = new ScanGate(1, 2, 2);
    const order: string[] = [];
    const a = held();
    const b = held();
    const ra = gate.run('ann', a.scan);
    const rb = gate.run('bob', b.scan);
    const rc = gate.run('cid', async () => void order.push('cid'));
    const rd = gate.run('dan', async () => void order.push('dan'));
    await tick();
    expect(order).toEqual([]);
    a.release();
    await ra;
    await tick();
    expect(order).toEqual(['cid', 'dan']);
    b.release();
    await Promise.all([rb, rc, rd]);
  });

  it('a failing scan frees its place', async () => {
    const gate = new ScanGate(1, 0, 1);
    await expect(
      gate.run('ann', async () => {
        throw new Error('redis down');
      }),
    ).rejects.toThrow('redis down');
    await expect(gate.run('ann', async () => 1)).resolves.toBe(1);
  });
});
