import { afterEach, describe, expect, it, vi } from 'vitest';
import { requestBulkSignalsAction } from '../../app/actions/request-bulk-signals';
import { requestSignalAction } from '../../app/actions/request-signal';
import { resetServices } from '../helpers';
import { caller, signInAs } from './actions-helpers';

vi.mock('next/headers', () => ({ headers: async () => caller.headers }));

// The handlers' and actions' clients are opened from the environment each test stubs.
afterEach(async () => {
  await resetServices(1);
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('server actions during an outage', () => {
  it('name Redis when Redis is unreachable', async () => {
    signInAs('ann@example.com');
    vi.stubEnv('REDIS_URL', 'redis://127.0.0.1:1');
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await requestSignalAction({ queue: 'q', jobId: '1', signal: 'cancel' })).toEqual({
      ok: false,
      error: 'Redis is unreachable. Nothing was sent; try again when it is back.',
    });
    expect(await requestBulkSignalsAction({ queue: 'q', signal: 'cancel', name: 'x' })).toEqual({
      ok: false,
      error: 'Redis is unreachable. Nothing was sent; try again when it is back.',
    });
    expect(log).toHaveBeenCalled();
  });

  it('name PostgreSQL (not where it runs) when PostgreSQL is unreachable', async () => {
    signInAs('ann@example.com');
    vi.stubEnv('DATABASE_URL', 'postgres://postgres:secret@127.0.0.1:1/signal_desk');
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await requestSignalAction({ queue: 'q', jobId: '1', signal: 'pause' })).toEqual({
      ok: false,
      error: 'PostgreSQL is unreachable. Nothing was sent; try again when it is back.',
    });
  });
});
