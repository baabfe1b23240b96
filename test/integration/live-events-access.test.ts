/**
 * `GET /api/events` streams queue names and job ids: only while its caller may see
 * them. A stream ends when its user is disabled or signs out and when its token is
 * revoked (at once, through the admin actions), and at the next keep-alive when
 * the change came from elsewhere (SQL, another dashboard instance).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { revokeToken } from '../../app/actions/admin/tokens';
import { setDisabled } from '../../app/actions/admin/update-user';
import { getLiveHub } from '../../app/api/events/hub';
import { openLiveStream } from '../../app/api/events/live-stream';
import { GET as events } from '../../app/api/events/route';
import { actorFromHeaders } from '../../app/lib/session';
import { createAccount } from '../../db/accounts';
import { getAuth } from '../../db/auth';
import { CLIENT_ADDRESS_HEADER } from '../../db/auth-config';
import { createApiToken } from '../../db/tokens';
import { fixtures } from '../helpers';
import { caller, signInAs } from './actions-helpers';

vi.mock('next/headers', () => ({ headers: async () => caller.headers }));

const fx = fixtures();
afterAll(async () => {
  // The hub stops 30 s after its last stream; stop it now.
  await (getLiveHub() as unknown as { stop(): Promise<void> }).stop();
  await fx.close();
});

const BASE = 'http://localhost:3000';
const PASSWORD = 'correct-horse-battery';

async function signedInUser() {
  const email = `live-${randomUUID().slice(0, 8)}@example.com`;
  const user = await createAccount(getAuth(), fx.db, { email, role: 'viewer', password: PASSWORD });
  const res = await getAuth().handler(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: BASE,
        [CLIENT_ADDRESS_HEADER]: `198.19.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
      },
      body: JSON.stringify({ email, password: PASSWORD }),
    }),
  );
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.includes('session_token='))
    ?.split(';')[0] as string;
  return { user, cookie };
}

const decoder = new TextDecoder();

/** Opens the stream and reads up to its `ready` event. */
async function connect(res: Response) {
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let text = '';
  while (!text.includes('event: ready')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before ready: ${text}`);
    text += decoder.decode(value);
  }
  return reader;
}

/** Resolves true when the stream ends, false if it is still open after `ms` (then stops reading). */
async function ends(reader: ReadableStreamDefaultReader<Uint8Array>, ms = 10_000) {
  const deadline = new Promise<'open'>((r) => setTimeout(() => r('open'), ms));
  for (;;) {
    const next = await Promise.race([reader.read(), deadline]);
    if (next === 'open') {
      await reader.cancel();
      return false;
    }
    if (next.done) return true;
  }
}

const get = (headers: Record<string, string>) =>
  events(new Request(`${BASE}/api/events`, { headers }));

describe('live-event streams after access ends', () => {
  it("disabling a user ends that user's open stream at once, and a new one is refused", async () => {
    const { user, cookie } = await signedInUser();
    const reader = await connect(await get({ cookie }));
    signInAs('admin@example.com', 'admin');
    expect(await setDisabled({ userId: user.id, disabled: true })).toMatchObject({ ok: true });
    expect(await ends(reader)).toBe(true);
    expect((await get({ cookie })).status).toBe(401);
  });

  it("revoking a token ends the token's open stream at once, and a new one is refused", async () => {
    const { token, row } = await createApiToken(fx.db, {
      name: `live-${randomUUID().slice(0, 8)}`,
      role: 'viewer',
      createdBy: 'tests',
    });
    const authorization = `Bearer ${token}`;
    const reader = await connect(await get({ authorization }));
    signInAs('admin@example.com', 'admin');
    expect(await revokeToken({ id: row.id })).toMatchObject({ ok: true });
    expect(await ends(reader)).toBe(true);
    expect((await get({ authorization })).status).toBe(401);
  });

  it('signing out ends the stream of that session', async () => {
    const { cookie } = await signedInUser();
    const reader = await connect(await get({ cookie }));
    const { POST } = await import('../../app/api/auth/[...all]/route');
    const out = await POST(
      new Request(`${BASE}/api/auth/sign-out`, {
        method: 'POST',
        headers: { cookie, origin: BASE, 'content-type': 'application/json' },
        body: '{}',
      }),
    );
    expect(out.status).toBe(200);
    expect(await ends(reader)).toBe(true);
  });

  it('a change made elsewhere (SQL) ends the stream at its next keep-alive; an unchanged caller stays', async () => {
    const { user, cookie } = await signedInUser();
    const request = new Request(`${BASE}/api/events`, { headers: { cookie } });
    const actor = await actorFromHeaders(request.headers);
    const other = await signedInUser();
    const otherRequest = new Request(`${BASE}/api/events`, { headers: { cookie: other.cookie } });
    const otherActor = await actorFromHeaders(otherRequest.headers);
    const reader = await connect(openLiveStream(request, actor!, 50));
    const staying = await connect(openLiveStream(otherRequest, otherActor!, 50));
    await fx.sql`update users set disabled = true where id = ${user.id}`;
    expect(await ends(reader)).toBe(true);
    // Several keep-alives later the other stream is still open.
    expect(await ends(staying, 500)).toBe(false);
  });
});
