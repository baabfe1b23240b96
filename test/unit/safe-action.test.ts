import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { type ActionEnv, createActionClient } from '../../app/lib/safe-action';
import type { Actor } from '../../app/lib/session';
import type { SignalDeps } from '../../app/requests/request-signal';

const ann: Actor = { kind: 'user', id: 'u1', email: 'ann@example.com', role: 'support' };

function client(actor: Actor | null) {
  const log = vi.fn();
  const env: ActionEnv = { actor: async () => actor, deps: () => ({}) as SignalDeps, log };
  return { safeAction: createActionClient(env), log };
}

const schema = z.strictObject({ n: z.number({ message: 'n must be a number' }) });

describe('safeAction', () => {
  it('runs the body with the parsed input and the actor as requested_by names it', async () => {
    const { safeAction } = client(ann);
    const run = safeAction('double', schema, async ({ n }, ctx) => ({
      ok: true,
      data: { n: n * 2, actor: ctx.actor, role: ctx.role },
    }));
    expect(await run({ n: 2 })).toEqual({
      ok: true,
      data: { n: 4, actor: 'ann@example.com', role: 'support' },
    });
  });

  it('names an API token as token:<name>', async () => {
    const { safeAction } = client({ kind: 'token', id: 1, name: 'ci', role: 'support' });
    const run = safeAction('who', schema, async (_i, ctx) => ({ ok: true, data: ctx.actor }));
    expect(await run({ n: 1 })).toEqual({ ok: true, data: 'token:ci' });
  });

  it('refuses the signed-out before looking at the input', async () => {
    const body = vi.fn();
    const run = client(null).safeAction('x', schema, body);
    expect(await run('garbage')).toEqual({
      ok: false,
      error: 'You are signed out. Sign in again, then retry.',
    });
    expect(body).not.toHaveBeenCalled();
  });

  it('refuses a viewer: signalling needs the support role', async () => {
    const body = vi.fn();
    const run = client({ ...ann, role: 'viewer' }).safeAction('requestSignal', schema, body);
    expect(await run({ n: 1 })).toEqual({
      ok: false,
      error:
        'Your role (viewer) may not cancel, pause or resume jobs; ask an admin for the support role.',
    });
    expect(body).not.toHaveBeenCalled();
  });

  it('keeps admin.* actions for admins', async () => {
    const body = vi.fn();
    const run = client(ann).safeAction('admin.createUser', schema, body);
    expect(await run({ n: 1 })).toEqual({
      ok: false,
      error: 'Your role (support) may not administer Signal Desk; ask an admin for the admin role.',
    });
    const asAdmin = client({ ...ann, role: 'admin' }).safeAction('admin.x', schema, async () => ({
      ok: true,
      data: 1,
    }));
    expect(await asAdmin({ n: 1 })).toEqual({ ok: true, data: 1 });
  });

  it('answers a malformed input with the first problem in words', async () => {
    const run = client(ann).safeAction('x', schema, vi.fn());
    expect(await run({ n: 'two' })).toEqual({ ok: false, error: 'n: n must be a number.' });
    expect(await run({ n: 1, extra: true })).toEqual({ ok: false, error: 'Unknown field: extra.' });
    expect(await run(undefined)).toMatchObject({ ok: false });
  });

  it('passes the body’s refusal through unchanged', async () => {
    const run = client(ann).safeAction('x', schema, async () => ({
      ok: false,
      error: 'Job 7 has already completed; there is nothing to cancel.',
    }));
    expect(await run({ n: 1 })).toEqual({
      ok: false,
      error: 'Job 7 has already completed; there is nothing to cancel.',
    });
  });

  it('names the service that is down', async () => {
    const { safeAction, log } = client(ann);
    const run = safeAction('x', schema, async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
        code: 'ECONNREFUSED',
      });
    });
    const r = await run({ n: 1 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(
      /^PostgreSQL is unreachable\. Nothing was sent; try again when it is back\.$/,
    );
    expect(log).toHaveBeenCalledOnce();
  });

  it('logs an unknown error in full and gives the user a reference, not the details', async () => {
    const { safeAction, log } = client(ann);
    const boom = new Error('secret table name in here');
    const r = await safeAction('x', schema, async () => {
      throw boom;
    })({ n: 1 });
    expect(r.ok).toBe(false);
    const error = r.ok ? '' : r.error;
    expect(error).toMatch(
      /^Something went wrong on the server \(reference [0-9a-f]{8}\)\. The server log has the details\.$/,
    );
    expect(error).not.toContain('secret');
    const ref = error.match(/reference ([0-9a-f]{8})/)?.[1];
    expect(log).toHaveBeenCalledWith(`[action x] failed (ref ${ref})`, boom);
  });
});
