import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, handleErrors, refusalStatus } from '../../app/lib/api-http';

const req = new Request('http://localhost/api/signals', { method: 'POST' });
afterEach(() => vi.restoreAllMocks());

describe('handleErrors', () => {
  it('maps refusals to 400, 404 and 409', () => {
    expect([
      refusalStatus('invalid'),
      refusalStatus('not_found'),
      refusalStatus('conflict'),
    ]).toEqual([400, 404, 409]);
  });

  it('answers an ApiError with its status and sentence', async () => {
    const res = await handleErrors(req, async () => {
      throw new ApiError(409, 'Job 7 is already paused.');
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: 'Job 7 is already paused.' });
  });

  it('hides an unexpected error behind a generic 500 and logs it in full', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const boom = new Error('relation "x" does not exist at line 3');
    const res = await handleErrors(req, async () => {
      throw boom;
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      error: 'Something went wrong on the server; the error has been logged.',
    });
    expect(log).toHaveBeenCalledWith('[api] POST /api/signals failed', boom);
  });
});
