import { describe, expect, it } from 'vitest';
import { backoffKey, backoffSeconds } from '../../db/sign-in-backoff';

describe('sign-in back-off', () => {
  it('ten failures in a row cost nothing; then a minute, doubling, at most fifteen', () => {
    const waits = Array.from({ length: 16 }, (_, i) => backoffSeconds(i + 1));
    expect(waits).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('counts each familiar browser and address apart from the account’s other clients', () => {
    expect(backoffKey('Ann@Example.com', { kind: 'unfamiliar' })).toBe('account:ann@example.com');
    expect(backoffKey('ann@example.com', { kind: 'device', id: 'd1' })).toBe(
      'device:d1:ann@example.com',
    );
    expect(backoffKey('ann@example.com', { kind: 'address', address: '192.0.2.7' })).toBe(
      'address:192.0.2.7:ann@example.com',
    );
  });
});
