import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { actorFromHeaders, actorName } from '../../app/lib/session';
import { createAccount } from '../../db/accounts';
import { getAuth } from '../../db/auth';
import { CLIENT_ADDRESS_HEADER } from '../../db/auth-config';
import { createApiToken, revokeApiToken } from '../../db/tokens';
import { setUserDisabled } from '../../db/users';
import { fixtures } from '../helpers';

const fx = fixtures();
afterAll(() => fx.close());

const BASE = 'http://localhost:3000';
const PASSWORD = 'correct-horse-battery';

function signIn(email: string, password: string, ip = '203.0.113.7') {
  return getAuth().handler(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: BASE, [CLIENT_ADDRESS_HEADER]: ip },
      body: JSON.stringify({ email, password }),
    }),
  );
}

async function newUser(role: 'viewer' | 'support' | 'admin' = 'support') {
  const email = `u-${randomUUID().slice(0, 8)}@example.com`;
  const user = await createAccount(getAuth(), fx.db, { email, role, password: PASSWORD });
  return user;
}

const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

describe('sign-in and sessions', () => {
  it('a good password signs in with an httpOnly, SameSite session cookie and names the user', async () => {
    const user = await newUser('support');
    const res = await signIn(user.email, PASSWORD);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^signal-desk\.session_token=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    // Plain http here; BETTER_AUTH_URL with https makes it Secure.
    expect(setCookie).not.toMatch(/Secure/i);
    const actor = await actorFromHeaders(new Headers({ cookie: cookieOf(res) }));
    expect(actor).toMatchObject({ kind: 'user', email: user.email, role: 'support' });
    expect(actorName(actor!)).toBe(user.email);
    const audit = await fx.sql`select action, ip from audit_events where target = ${user.email}`;
    expect(audit.map((a) => a.action)).toEqual(['sign-in']);
    expect(audit[0]?.ip).toBe('203.0.113.7');
  });

  // The limits on failed sign-ins have their own file: sign-in-limits.test.ts.

  it('disabling a user ends its sessions at once and refuses new sign-ins', async () => {
    const user = await newUser();
    const res = await signIn(user.email, PASSWORD);
    const cookie = cookieOf(res);
    expect(await actorFromHeaders(new Headers({ cookie }))).not.toBeNull();
    await setUserDisabled(fx.db, user.id, true);
    expect(await actorFromHeaders(new Headers({ cookie }))).toBeNull();
    const again = await signIn(user.email, PASSWORD);
    expect(again.status).toBe(403);
    expect(await again.json()).toMatchObject({
      message: 'This account is disabled. Ask an admin.',
    });
  });
});

describe('API tokens', () => {
  it('a bearer token acts with its role and name until revoked; only its hash is stored', async () => {
    const name = `svc-${randomUUID().slice(0, 6)}`;
    const { token, row } = await createApiToken(fx.db, {
      name,
      role: 'support',
      createdBy: 'admin@example.com',
    });
    const stored = await fx.sql`select token_hash from api_tokens where id = ${row.id}`;
    expect(stored[0]?.token_hash).not.toContain(token);
    const actor = await actorFromHeaders(new Headers({ authorization: `Bearer ${token}` }));
    expect(actor).toMatchObject({ kind: 'token', name, role: 'support' });
    expect(actorName(actor!)).toBe(`token:${name}`);
    const used = await fx.sql`select last_used_at from api_tokens where id = ${row.id}`;
    expect(used[0]?.last_used_at).not.toBeNull();
    await revokeApiToken(fx.db, row.id);
    expect(await actorFromHeaders(new Headers({ authorization: `Bearer ${token}` }))).toBeNull();
    expect(
      await actorFromHeaders(new Headers({ authorization: 'Bearer sd_not-a-token' })),
    ).toBeNull();
  });
});
