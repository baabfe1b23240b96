import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveClientAddress, trustedProxyHops } from '../../app/lib/client-address';

describe('the client address', () => {
  afterEach(() => vi.restoreAllMocks());

  it('with no trusted proxy: the socket, whatever X-Forwarded-For says', () => {
    expect(resolveClientAddress('192.0.2.7', '203.0.113.1', 0)).toBe('192.0.2.7');
    expect(resolveClientAddress('::ffff:192.0.2.7', undefined, 0)).toBe('192.0.2.7');
    expect(resolveClientAddress('2001:DB8::1', undefined, 0)).toBe('2001:db8::1');
    expect(resolveClientAddress(undefined, '203.0.113.1', 0)).toBeNull();
  });

  it('behind n proxies: n entries from the right of [X-Forwarded-For…, socket]', () => {
    // One proxy (10.0.0.2) heard the client 192.0.2.7; the client forged the left entries.
    expect(resolveClientAddress('10.0.0.2', 'forged, 1.1.1.1, 192.0.2.7', 1)).toBe('192.0.2.7');
    // Two proxies: a CDN heard 192.0.2.7, the load balancer 10.0.0.9 heard the CDN.
    expect(resolveClientAddress('10.0.0.2', ['1.1.1.1, 192.0.2.7', '10.0.0.9'], 2)).toBe(
      '192.0.2.7',
    );
    // Fewer entries than hops (a request that bypassed a proxy): the leftmost one written.
    expect(resolveClientAddress('10.0.0.2', undefined, 1)).toBe('10.0.0.2');
    expect(resolveClientAddress('10.0.0.2', '192.0.2.7', 3)).toBe('192.0.2.7');
  });

  it('reads ports and brackets some proxies write; anything else is no address', () => {
    expect(resolveClientAddress('10.0.0.2', '192.0.2.7:51234', 1)).toBe('192.0.2.7');
    expect(resolveClientAddress('10.0.0.2', '[2001:db8::7]:443', 1)).toBe('2001:db8::7');
    expect(resolveClientAddress('10.0.0.2', 'unknown', 1)).toBeNull();
    expect(resolveClientAddress('10.0.0.2', '<script>', 1)).toBeNull();
  });

  it('SIGNAL_DESK_TRUSTED_PROXY_HOPS: a whole number up to 10, else none trusted (and said so)', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(trustedProxyHops(undefined)).toBe(0);
    expect(trustedProxyHops('')).toBe(0);
    expect(trustedProxyHops('2')).toBe(2);
    expect(log).not.toHaveBeenCalled();
    for (const bad of ['-1', '1.5', 'yes', '11']) expect(trustedProxyHops(bad)).toBe(0);
    expect(log).toHaveBeenCalledTimes(4);
  });
});
