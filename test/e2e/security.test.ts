import { randomBytes } from 'node:crypto';
/**
 * The security review's findings that need the real server (docs/security.md):
 * redirects after sign-in, the client address taken from the socket, sign-in on
 * whatever loopback name a browser opens (and a sentence naming BETTER_AUTH_URL on
 * any other), the admin audit trail's query, a CSP on every page answer, and a
 * deeply nested server-action body.
 *
 * Real sign-in (no SSO header), and no BETTER_AUTH_URL: the dashboard's defaults.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../db/accounts';
import { getAuth } from '../../db/auth';
import { rateLimits } from '../../db/auth-schema';
import { getDb } from '../../db/client';
import { ROOT } from './build';
import { launchBrowser, type Stack, startStack } from './harness';

const PASSWORD = 'e2e-password-123';
const ADMIN = 'admin-security@example.com';

let stack: Stack;
let port = '';
beforeAll(async () => {
  stack = await startStack({
    // TEST (set by vitest, inherited) is not set in production either.
    env: { SIGNAL_DESK_PROXY_HEADER: '', BETTER_AUTH_URL: '', SIGNAL_DESK_URL: '', TEST: '' },
  });
  port = new URL(stack.url).port;
  await createAccount(getAuth(), getDb().db, { email: ADMIN, role: 'admin', password: PASSWORD });
});
afterAll(async () => {
  await getDb().db.delete(rateLimits);
  await stack?.stop();
  await getDb().sql.end({ timeout: 2 });
});
// Every request of this file comes from 127.0.0.1, and so do other files' sign-ins:
// each test starts with the per-address sign-in limit untouched.
beforeEach(async () => {
  await getDb().db.delete(rateLimits);
});

async function signInCookie(email = ADMIN, password = PASSWORD): Promise<string> {
  const res = await fetch(`${stack.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: stack.url },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .find((c) => c.includes('session_token='))
    ?.split(';')[0] as string;
}

async function fillSignIn(page: Page) {
  await page.getByLabel('Email').fill(ADMIN);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A raw HTTP request to the server with the Host header a browser on `host` would send. */
function postAs(host: string, path: string, body: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: Number(port),
        path,
        method: 'POST',
        headers: {
          host,
          origin: `http://${host}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('sign-in where people open it (no BETTER_AUTH_URL)', () => {
  it('signs in through 127.0.0.1 in the browser', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`http://127.0.0.1:${port}/jobs`);
      await page.waitForURL(/\/sign-in\?next=%2Fjobs$/);
      await fillSignIn(page);
      await page.waitForURL(`http://127.0.0.1:${port}/jobs`);
      await page.getByText(ADMIN).first().waitFor();
      await stack.screenshot(page, 'sign-in-127-0-0-1');
    } finally {
      await browser.close();
    }
  });

  it('accepts the own port on localhost, 127.0.0.1 and [::1]; refuses another port', async () => {
    const creds = JSON.stringify({ email: ADMIN, password: PASSWORD });
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      const res = await postAs(host, '/api/auth/sign-in/email', creds);
      expect(res.status, host).toBe(200);
    }
    const other = await postAs(`localhost:${Number(port) + 1}`, '/api/auth/sign-in/email', creds);
    expect(other.status).toBe(403);
  });

  it('behind another host name, the form says in one sentence to set BETTER_AUTH_URL', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'signal-desk-e2e-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--host-resolver-rules=MAP signal-desk.test 127.0.0.1',
      ],
      viewport: { width: 1280, height: 800 },
    });
    try {
      const page = await context.newPage();
      await page.goto(`http://signal-desk.test:${port}/sign-in`);
      await fillSignIn(page);
      // The form's own alert (Next.js has a route announcer with that role too).
      const alert = page.locator('form [role="alert"]');
      await alert.waitFor();
      expect(await alert.textContent()).toBe(
        `Signing in here needs BETTER_AUTH_URL=http://signal-desk.test:${port} in the dashboard's environment (without it, only localhost, 127.0.0.1 and [::1] on port ${port} are accepted).`,
      );
      await stack.screenshot(page, 'sign-in-other-host');
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});

describe('where sign-in sends you', () => {
  it('a signed-in visit never redirects off the origin, and odd paths answer a redirect, not a 500', async () => {
    const cookie = await signInCookie();
    const cases: [string, string][] = [
      ['/%09/evil.example/x', '/jobs'],
      ['//evil.example/x', '/jobs'],
      ['/%5Cevil.example', '/jobs'],
      ['/%0a/x', '/jobs'],
      ['/%0d/x', '/jobs'],
      ['/%E3%80%82/x', '/%E3%80%82/x'],
      ['%2Fsignals%3Fstatus%3Dpending', '/signals?status=pending'],
    ];
    for (const [next, to] of cases) {
      const res = await fetch(`${stack.url}/sign-in?next=${next}`, {
        headers: { cookie },
        redirect: 'manual',
      });
      expect(res.status, next).toBe(307);
      expect(new URL(res.headers.get('location') as string, stack.url).href, next).toBe(
        `${stack.url}${to}`,
      );
    }
  });

  it('signed out, the form sends you to /jobs, not to the host hidden behind a tab', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.url}/sign-in?next=/%09/evil.example/x`);
      await fillSignIn(page);
      await page.waitForURL(`${stack.url}/jobs`);
    } finally {
      await browser.close();
    }
  });
});

describe('the admin audit trail', () => {
  it('answers hostile or impossible filters with the page and a sentence, never a 500', async () => {
    const cookie = await signInCookie();
    const cases: [string, RegExp][] = [
      ['page=1e300', /page must be a whole number from 1 to 1000000/],
      ['page=0', /page must be a whole number from 1 to 1000000/],
      ['actor=%00', /actor must not contain a NUL character/],
      ['target=a%00b', /target must not contain a NUL character/],
      ['from=%2B275760-09-13', /from must be a date/],
      ['from=2025-13-01', /from must be a date/],
      ['action=nope', /action must be one of sign-in/],
      ['from=2025-02-01&to=2025-01-01', /to must not be before from/],
      ['sort=id', /Unknown query parameter: sort/],
    ];
    for (const [query, sentence] of cases) {
      const res = await fetch(`${stack.url}/admin/audit?${query}`, { headers: { cookie } });
      expect(res.status, query).toBe(200);
      const html = await res.text();
      expect(html, query).toContain('This view&#x27;s filters are not valid');
      expect(html, query).toMatch(sentence);
    }
    // Dates past what PostgreSQL holds are moved to its ends, as on /signals.
    for (const query of ['to=0000-01-01', 'from=0000-01-01&to=9999-12-31&page=2']) {
      const ok = await fetch(`${stack.url}/admin/audit?${query}`, { headers: { cookie } });
      expect(ok.status, query).toBe(200);
      expect(await ok.text(), query).not.toContain('filters are not valid');
    }
  });
});

describe('response hardening', () => {
  const cspList = (res: Response) => res.headers.get('content-security-policy') ?? '';

  it('every page answer carries one CSP: the nonce one from the proxy, a strict one where the proxy is skipped', async () => {
    const cookie = await signInCookie();
    const page = await fetch(`${stack.url}/signals`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(cspList(page).match(/default-src/g)).toHaveLength(1);
    expect(cspList(page)).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    // A browser's prefetch of a page: the page itself, nonce and all.
    const prefetch = await fetch(`${stack.url}/signals`, {
      headers: { cookie, purpose: 'prefetch', 'sec-purpose': 'prefetch' },
    });
    expect(prefetch.status).toBe(200);
    const html = await prefetch.text();
    const nonce = cspList(prefetch).match(/'nonce-([^']+)'/)?.[1];
    expect(nonce).toBeTruthy();
    for (const tag of html.match(/<script\b[^>]*>/g) ?? [])
      expect(tag).toContain(`nonce="${nonce}"`);
    // Whatever skips the proxy gets the strict fallback: no inline script runs.
    const skipped = await fetch(`${stack.url}/signals`, {
      headers: { cookie, 'next-router-prefetch': '1' },
    });
    expect(cspList(skipped).match(/default-src/g)).toHaveLength(1);
    expect(cspList(skipped)).toContain("script-src 'self';");
    expect(cspList(skipped)).toContain("frame-ancestors 'none'");
    await skipped.arrayBuffer();
  });

  it('a server action body nested thousands deep is refused with a 400; a normal call still works', async () => {
    const cookie = await signInCookie();
    const manifest = JSON.parse(
      readFileSync(join(ROOT, '.next-e2e/server/server-reference-manifest.json'), 'utf8'),
    ) as { node: Record<string, { exportedName: string }> };
    const actionId = Object.entries(manifest.node).find(
      ([, v]) => v.exportedName === 'countNamedJobsAction',
    )?.[0] as string;
    expect(actionId).toBeTruthy();
    const call = (body: string) =>
      fetch(`${stack.url}/jobs`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie,
          origin: stack.url,
          'next-action': actionId,
          'content-type': 'text/plain;charset=UTF-8',
        },
        body,
      });
    const n = 20_000;
    const deep = await call(`[${'['.repeat(n)}${']'.repeat(n)}]`);
    expect(deep.status).toBe(400);
    expect(await deep.text()).toMatch(/nests deeper than \d+ levels/);
    const normal = await call(JSON.stringify([{ queue: 'security-e2e', name: 'nothing' }]));
    expect(normal.status).toBe(200);
    expect(await normal.text()).toContain('"ok":');
  });
});

describe('the client address', () => {
  it('comes from the socket: rotating a forged X-Forwarded-For does not escape the per-address limit', async () => {
    // Addresses of this test's own attempts only (other files sign in to the same database).
    const tag = randomBytes(4).toString('hex');
    const statuses: number[] = [];
    for (let i = 1; i <= 11; i++) {
      const res = await fetch(`${stack.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: stack.url,
          'x-forwarded-for': `203.0.113.${i}`,
          'x-real-ip': `203.0.113.${i}`,
          'x-signal-desk-client-address': `203.0.113.${i}`,
        },
        body: JSON.stringify({
          email: `nobody-${tag}-${i}@example.com`,
          password: 'wrong-password-1',
        }),
      });
      statuses.push(res.status);
      if (i === 11) {
        expect(await res.json()).toMatchObject({
          message: expect.stringMatching(/^Too many sign-in attempts from your address\./),
        });
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    const recorded = await getDb().sql`
      select distinct ip from audit_events where target like ${`nobody-${tag}-%@example.com`}`;
    expect(recorded.map((r) => r.ip)).toEqual(['127.0.0.1']);
  });
});
