import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../worker/config';

describe('REDIS_URL', () => {
  it('reads a plain URL with password and database', () => {
    expect(parseRedisUrl('redis://:s3cret@cache.internal:6380/2')).toMatchObject({
      host: 'cache.internal',
      port: 6380,
      password: 's3cret',
      db: 2,
    });
  });

  it('turns rediss:// into TLS', () => {
    expect(parseRedisUrl('rediss://cache:6379').tls).toEqual({});
  });

  it('reads a Sentinel URL: sentinels, master name, password, db', () => {
    expect(parseRedisUrl('redis-sentinel://:pw@s1:26379,s2:26380,s3/mymaster?db=3')).toEqual({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
        { host: 's3', port: 26379 },
      ],
      name: 'mymaster',
      password: 'pw',
      db: 3,
    });
  });

  it('refuses a Sentinel URL without a master name, and unknown schemes', () => {
    expect(() => parseRedisUrl('redis-sentinel://s1:26379')).toThrow(/master name/);
    expect(() => parseRedisUrl('http://cache:6379')).toThrow(/must start with redis:\/\//);
  });
});

describe('redis-cluster:// URLs', () => {
  it('reads the nodes and the password', async () => {
    const { parseClusterUrl } = await import('../../worker/config');
    expect(parseClusterUrl('redis-cluster://:pw@n1:7000,n2:7001,n3')).toEqual({
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
        { host: 'n3', port: 6379 },
      ],
      password: 'pw',
    });
  });
});
