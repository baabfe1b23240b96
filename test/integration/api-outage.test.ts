import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET as listSignals, POST as postSignal } from '../../app/api/signals/route';
import { resetServices } from '../helpers';
import { answer, apiRequest, useApiToken } from './api-client';

beforeAll(async () => {
  await useApiToken('admin');
});

// The handlers' and actions' clients are opened from the environment each test stubs.
afterEach(async () => {
  await resetServices(1);
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('API during an outage', () => {
  it('503 naming Redis (not where it runs) when Redis is unreachable', async () => {
    vi.stubEnv('REDIS_URL', 'redis://127.0.0.1:1');
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const r = await answer(
      await postSignal(
        apiRequest('POST', '/api/signals', { queue: 'q', jobId: '1', signal: 'cancel' }),
      ),
    );
    expect(r).toEqual({
      status: 503,
      body: { error: 'Redis is unreachable. Try again when it is back.' },
    });
    expect(log).toHaveBeenCalled();
  });

  it('503 naming PostgreSQL (not where it runs) when PostgreSQL is unreachable', async () => {
    vi.stubEnv('DATABASE_URL', 'postgres://postgres:secret@127.0.0.1:1/signal_desk');
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await listSignals(apiRequest('GET', '/api/signals'));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({
      error: 'PostgreSQL is unreachable. Try again when it is back.',
    });
  });
});
