/**
 * Findings of the security review (docs/security.md) that a route handler shows:
 * CSV cells quoted for every locale's separator, and outages told to strangers
 * without the database's address.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST as authPost } from '../../app/api/auth/[...all]/route';
import { GET as exportCsv } from '../../app/api/signals/export/route';
import { GET as listSignals } from '../../app/api/signals/route';
import { CLIENT_ADDRESS_HEADER } from '../../db/auth-config';
import { fixtures, resetServices, uniqueQueue } from '../helpers';
import { apiRequest, useApiToken } from './api-client';

const fx = fixtures();
beforeAll(async () => {
  await useApiToken('viewer');
});
afterAll(async () => {
  await fx.close();
  await resetServices(1);
});

describe('CSV export', () => {
  it('quotes every cell, so a `;` in a reason never starts a formula cell in a `;` locale', async () => {
    const q = uniqueQueue('csv-semicolon');
    await fx.sql`
      insert into job_signals (queue, job_id, job_name, signal, status, requested_by, reason)
      values (${q}, '1', 'x;=1+1', 'cancel', 'completed', 'ann', ';=1+1'),
             (${q}, '2', 'y', 'cancel', 'completed', 'ann', 'note;=HYPERLINK(1)')`;
    const res = await exportCsv(apiRequest('GET', `/api/signals/export?queue=${q}&sort=id`));
    expect(res.status).toBe(200);
    const lines = (await res.text()).split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      // Every cell is quoted; outside the quotes there are only the commas between them.
      expect(line.replace(/"(?:[^"]|"")*"/g, '')).toMatch(/^,*$/);
    }
    expect(lines[1]).toContain('";=1+1"');
    expect(lines[1]).toContain('"x;=1+1"');
    expect(lines[2]).toContain('"note;=HYPERLINK(1)"');
  });
});

describe('while PostgreSQL is down', () => {
  const DOWN = 'postgres://signal_user:secret@127.0.0.1:1/signal_desk_prod';
  const leaks = /signal_user|127\.0\.0\.1|:1\b|signal_desk_prod|secret|\*\*\*/;

  afterEach(async () => {
    await resetServices(1);
    (globalThis as { signalDeskAuth?: unknown }).signalDeskAuth = undefined;
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('a caller who cannot be told apart from a stranger gets a 503 naming no host, port, user or database', async () => {
    vi.stubEnv('DATABASE_URL', DOWN);
    await resetServices(1);
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await listSignals(
      apiRequest('GET', '/api/signals', undefined, { authorization: 'Bearer sd_not-a-real-token' }),
    );
    expect(res.status).toBe(503);
    const { error } = (await res.json()) as { error: string };
    expect(error).toBe('PostgreSQL is unreachable. Try again when it is back.');
    expect(error).not.toMatch(leaks);
    // The operator still finds where it was looked for, in the log.
    expect(log.mock.calls.flat().join(' ')).toContain('127.0.0.1:1/signal_desk_prod');
  });

  it('the sign-in endpoint answers 503 with the same sentence, not a 500', async () => {
    vi.stubEnv('DATABASE_URL', DOWN);
    await resetServices(1);
    (globalThis as { signalDeskAuth?: unknown }).signalDeskAuth = undefined;
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await authPost(
      new Request('http://localhost:3000/api/auth/sign-in/email', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: 'http://localhost:3000',
          [CLIENT_ADDRESS_HEADER]: '198.51.100.77',
        },
        body: JSON.stringify({ email: 'ann@example.com', password: 'whatever-password' }),
      }),
    );
    expect(res.status).toBe(503);
    const body = (await res.json()) as { message: string };
    expect(body.message).toBe('PostgreSQL is unreachable. Try again when it is back.');
  });
});
