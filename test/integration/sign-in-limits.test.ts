/**
 * Sign-in limits through better-auth's own handler, as the dashboard serves it:
 * per address (better-auth's rate limit, on the address instrumentation.ts stamps)
 * and per account (the back-off), both counted before a password is checked.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../db/accounts';
import { getAuth } from '../../db/auth';
import {
  CLIENT_ADDRESS_HEADER,
  SIGN_IN_ATTEMPTS_PER_ADDRESS,
  SIGN_IN_FREE_FAILURES,
} from '../../db/auth-config';
import { setUserDisabled } from '../../db/users';
import { fixtures } from '../helpers';

const fx = fixtures();
afterAll(() => fx.close());

const BASE = 'http://localhost:3000';
const PASSWORD = 'correct-horse-battery';
const WRONG = 'wrong-password-123';

/** A documentation address (RFC 5737) no other test of this run uses. */
let lastOctets = Math.floor(Math.random() * 50_000);
const freshAddress = () => {
  lastOctets += 1;
  return `198.18.${(lastOctets >> 8) & 255}.${lastOctets & 255}`;
};

function signIn(email: string, password: string, address: string, cookie?: string) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    origin: BASE,
    [CLIENT_ADDRESS_HEADER]: address,
    // What a client may send: never an address the dashboard believes.
    'x-forwarded-for': '203.0.113.250',
  };
  if (cookie) headers.cookie = cookie;
  return getAuth().handler(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email, password }),
    }),
  );
}

async function newUser() {
  const email = `limits-${randomUUID().slice(0, 8)}@example.com`;
  return createAccount(getAuth(), fx.db, { email, role: 'admin', password: PASSWORD });
}

/** The device cookie a successful sign-in leaves in the browser. */
function deviceCookieOf(res: Response): string {
  const set = res.headers.getSetCookie().find((c) => c.includes('known_device='));
  expect(set, 'a device cookie').toBeDefined();
  return (set as string).split(';')[0] as string;
}

const statuses = (rs: Response[]) => rs.map((r) => r.status).sort();

describe('failed sign-ins per account', () => {
  it('thirty parallel wrong passwords: ten are checked, twenty refused before their password is', async () => {
    const user = await newUser();
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => signIn(user.email, WRONG, freshAddress())),
    );
    expect(statuses(answers)).toEqual([
      ...Array(SIGN_IN_FREE_FAILURES).fill(401),
      ...Array(30 - SIGN_IN_FREE_FAILURES).fill(429),
    ]);
    const failed = await fx.sql`
      select count(*)::int as n from audit_events where target = ${user.email} and action = 'sign-in-failed'`;
    expect(failed[0]?.n).toBe(SIGN_IN_FREE_FAILURES);
    const refused = answers.find((r) => r.status === 429) as Response;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({
      message: expect.stringMatching(
        /^Too many failed sign-ins for this account\. Wait \d+ seconds, then try again\.$/,
      ),
    });
  });

  it('ten wrong passwords in a row are answered; the next attempt, even a correct one from a new browser, waits', async () => {
    const user = await newUser();
    for (let i = 1; i <= SIGN_IN_FREE_FAILURES; i++) {
      expect((await signIn(user.email, WRONG, freshAddress())).status, `failure ${i}`).toBe(401);
    }
    const next = await signIn(user.email, PASSWORD, freshAddress());
    expect(next.status).toBe(429);
    expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(30);
  });

  it('failures from elsewhere never keep out a browser that signed in before, nor its address', async () => {
    const user = await newUser();
    const home = freshAddress();
    const first = await signIn(user.email, PASSWORD, home);
    expect(first.status).toBe(200);
    const device = deviceCookieOf(first);
    // An attacker rotating addresses: the account's other clients wait.
    const attack = await Promise.all(
      Array.from({ length: 25 }, () => signIn(user.email, WRONG, freshAddress())),
    );
    expect(attack.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect((await signIn(user.email, PASSWORD, freshAddress())).status).toBe(429);
    // The owner's browser, now on another network; then the owner's usual address.
    expect((await signIn(user.email, PASSWORD, freshAddress(), device)).status).toBe(200);
    expect((await signIn(user.email, PASSWORD, home)).status).toBe(200);
  });

  it('a familiar browser has its own count: its own failures slow it down, then a success starts again', async () => {
    const user = await newUser();
    const device = deviceCookieOf(await signIn(user.email, PASSWORD, freshAddress()));
    // Each from a new address, so only the browser's own count can slow it.
    for (let i = 0; i < SIGN_IN_FREE_FAILURES - 1; i++)
      expect((await signIn(user.email, WRONG, freshAddress(), device)).status).toBe(401);
    expect((await signIn(user.email, PASSWORD, freshAddress(), device)).status).toBe(200);
    // The success forgot the nine: ten more are answered, then the browser waits.
    for (let i = 0; i < SIGN_IN_FREE_FAILURES; i++)
      expect((await signIn(user.email, WRONG, freshAddress(), device)).status).toBe(401);
    expect((await signIn(user.email, PASSWORD, freshAddress(), device)).status).toBe(429);
    // Other clients of the account were never slowed by the browser's failures.
    expect((await signIn(user.email, PASSWORD, freshAddress())).status).toBe(200);
  });

  it('a wrong password for a disabled account is the same 401 as for no account; the right one says it is disabled', async () => {
    const user = await newUser();
    await setUserDisabled(fx.db, user.id, true);
    const wrong = await signIn(user.email, WRONG, freshAddress());
    const nobody = await signIn(`nobody-${randomUUID()}@example.com`, WRONG, freshAddress());
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual(await nobody.json());
    const right = await signIn(user.email, PASSWORD, freshAddress());
    expect(right.status).toBe(403);
    expect(await right.json()).toMatchObject({
      message: 'This account is disabled. Ask an admin.',
    });
    expect(right.headers.getSetCookie().some((c) => c.includes('session_token='))).toBe(false);
    const why = await fx.sql`
      select action, detail from audit_events where target = ${user.email} order by id`;
    expect(why.map((r) => r.action)).toEqual(['sign-in-failed', 'sign-in-refused']);
    expect(why[1]?.detail).toEqual({ why: 'disabled' });
  });
});

describe('sign-ins per address', () => {
  it(`one address may try ${SIGN_IN_ATTEMPTS_PER_ADDRESS} sign-ins a minute, whatever the accounts; the next is refused`, async () => {
    const address = freshAddress();
    for (let i = 0; i < SIGN_IN_ATTEMPTS_PER_ADDRESS; i++) {
      const r = await signIn(`nobody-${i}-${randomUUID()}@example.com`, WRONG, address);
      expect(r.status, `attempt ${i + 1}`).toBe(401);
    }
    const user = await newUser();
    const refused = await signIn(user.email, PASSWORD, address);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('x-retry-after'))).toBeGreaterThan(0);
    // Another address is not affected; a forged X-Forwarded-For changes nothing (sent on all).
    expect((await signIn(user.email, PASSWORD, freshAddress())).status).toBe(200);
  });

  it('a burst from one address is counted before any password is checked', async () => {
    const address = freshAddress();
    const user = await newUser();
    const answers = await Promise.all(
      Array.from({ length: 25 }, () => signIn(user.email, WRONG, address)),
    );
    expect(answers.filter((r) => r.status === 401).length).toBe(SIGN_IN_ATTEMPTS_PER_ADDRESS);
    expect(answers.filter((r) => r.status === 429).length).toBe(25 - SIGN_IN_ATTEMPTS_PER_ADDRESS);
  });

  it('the address a session and the audit trail record is the one the dashboard resolved', async () => {
    const user = await newUser();
    const address = freshAddress();
    expect((await signIn(user.email, PASSWORD, address)).status).toBe(200);
    const [session] = await fx.sql`
      select s.ip_address from sessions s join users u on u.id = s.user_id where u.email = ${user.email}`;
    expect(session?.ip_address).toBe(address);
    const [audit] = await fx.sql`
      select ip from audit_events where target = ${user.email} and action = 'sign-in'`;
    expect(audit?.ip).toBe(address);
  });
});
