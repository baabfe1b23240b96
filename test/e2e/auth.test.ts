import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../db/accounts';
import { getAuth } from '../../db/auth';
import { getDb } from '../../db/client';
import { jobHistory } from '../../db/job-signals';
import { launchBrowser, type Stack, startStack } from './harness';
import { row, waitUntil } from './page-helpers';

const QUEUE = 'e2e-auth';
const PASSWORD = 'e2e-password-123';
const SUPPORT = 'support-e2e@example.com';
const VIEWER = 'viewer-e2e@example.com';
const ADMIN = 'admin-e2e@example.com';

let stack: Stack;
beforeAll(async () => {
  // Real sign-in: the trusted-proxy header is switched off for this stack.
  stack = await startStack({ workerQueues: [QUEUE], env: { SIGNAL_DESK_PROXY_HEADER: '' } });
  for (const [email, role] of [
    [SUPPORT, 'support'],
    [VIEWER, 'viewer'],
    [ADMIN, 'admin'],
  ] as const) {
    await createAccount(getAuth(), getDb().db, { email, role, password: PASSWORD });
  }
});
afterAll(async () => {
  await stack?.stop();
  await getDb().sql.end({ timeout: 2 });
});

async function signIn(email: string) {
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(`${stack.url}/jobs?queue=${QUEUE}`);
  // Signed out: every page sends you to the sign-in page, which returns you afterwards.
  await page.waitForURL(/\/sign-in\?next=/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(new RegExp(`/jobs\\?queue=${QUEUE}$`));
  return { browser, page };
}

describe('signing in', () => {
  it('support signs in, cancels a running job, and the signal carries their email', async () => {
    const job = await stack.queues.get(QUEUE).add('render-report', { steps: 4000 });
    const id = String(job.id);
    await waitUntil(async () => (await job.getState()) === 'active', 'job active');
    const { browser, page } = await signIn(SUPPORT);
    await expect(page.getByText(SUPPORT).count()).resolves.toBeGreaterThan(0);
    await row(page, QUEUE, id)
      .getByRole('button', { name: `Cancel job ${id}` })
      .click();
    const dialog = page.getByRole('dialog', { name: `Cancel job ${id}?` });
    await dialog.getByRole('button', { name: 'Cancel job' }).click();
    await waitUntil(
      async () => (await jobHistory(stack.db, QUEUE, id))[0]?.status === 'completed',
      'cancel completed',
    );
    const [signal] = await jobHistory(stack.db, QUEUE, id);
    expect(signal?.requestedBy).toBe(SUPPORT);
    await page.goto(`${stack.url}/jobs/${QUEUE}/${id}`);
    await page.getByText(`by ${SUPPORT}`).first().waitFor();
    await stack.screenshot(page, 'job-page-signed-in-support');
    await browser.close();
  });

  it('a viewer sees jobs but no action buttons, and no admin pages', async () => {
    const job = await stack.queues
      .get(QUEUE)
      .add('render-report', { steps: 4000 }, { delay: 60_000 });
    const { browser, page } = await signIn(VIEWER);
    await row(page, QUEUE, String(job.id)).waitFor();
    expect(await page.getByRole('button', { name: /^(Cancel|Pause|Resume) job/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await stack.screenshot(page, 'jobs-as-viewer');
    await page.goto(`${stack.url}/admin/users`);
    await page.waitForURL(/\/forbidden/);
    await browser.close();
  });

  it('pages answer a signed-out request with a redirect to sign-in; a cross-site server action POST is refused', async () => {
    for (const path of ['/jobs', '/signals', '/queues', '/admin/users', `/jobs/${QUEUE}/1`]) {
      const res = await fetch(`${stack.url}${path}`, { redirect: 'manual' });
      expect([303, 307, 308], path).toContain(res.status);
      expect(res.headers.get('location'), path).toMatch(/\/sign-in\?next=/);
    }
    // A real action id (the dashboard's request-signal action) from the build's manifest.
    const manifest = JSON.parse(
      readFileSync(join(process.cwd(), '.next-e2e/server/server-reference-manifest.json'), 'utf8'),
    ) as { node: Record<string, { exportedName: string }> };
    const actionId = Object.entries(manifest.node).find(
      ([, v]) => v.exportedName === 'requestSignalAction',
    )?.[0];
    expect(actionId).toBeTruthy();
    const signedIn = await fetch(`${stack.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.url },
      body: JSON.stringify({ email: SUPPORT, password: PASSWORD }),
    });
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const job = await stack.queues
      .get(QUEUE)
      .add('render-report', { steps: 10 }, { delay: 60_000 });
    const id = String(job.id);
    const action = (origin: string) =>
      fetch(`${stack.url}/jobs`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          origin,
          cookie,
          'next-action': actionId as string,
          'content-type': 'text/plain;charset=UTF-8',
        },
        body: JSON.stringify([{ queue: QUEUE, jobId: id, signal: 'pause' }]),
      });
    const crossSite = await action('https://evil.example');
    expect(crossSite.status).toBe(500);
    expect(await jobHistory(stack.db, QUEUE, id)).toHaveLength(0);
    // The same call from the dashboard's own origin goes through.
    const sameSite = await action(stack.url);
    expect(sameSite.status).toBe(200);
    await waitUntil(
      async () => (await jobHistory(stack.db, QUEUE, id)).length === 1,
      'signal written',
    );
    expect((await jobHistory(stack.db, QUEUE, id))[0]?.requestedBy).toBe(SUPPORT);
  });

  it('each role against each page: admin pages only for admins, queue controls only shown to admins', async () => {
    await stack.queues.get(QUEUE).add('render-report', { steps: 1 }, { delay: 60_000 });
    const pages = ['/jobs', '/signals', '/queues', '/admin/users', '/admin/tokens', '/admin/audit'];
    for (const [email, role] of [
      [VIEWER, 'viewer'],
      [SUPPORT, 'support'],
      [ADMIN, 'admin'],
    ] as const) {
      const res = await fetch(`${stack.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: stack.url },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      for (const path of pages) {
        const page = await fetch(`${stack.url}${path}`, {
          headers: { cookie },
          redirect: 'manual',
        });
        const adminOnly = path.startsWith('/admin');
        if (adminOnly && role !== 'admin') {
          expect([303, 307], `${role} ${path}`).toContain(page.status);
          expect(page.headers.get('location'), `${role} ${path}`).toMatch(
            /\/forbidden\?need=admin/,
          );
        } else {
          expect(page.status, `${role} ${path}`).toBe(200);
        }
        if (path === '/queues') {
          expect(
            (await page.text()).includes('data-queue-control='),
            `${role} sees queue controls`,
          ).toBe(role === 'admin');
        }
      }
    }
  });
});
