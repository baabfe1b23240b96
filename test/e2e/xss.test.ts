/**
 * Hostile text in the browser, and the headers that back it up.
 *
 * - `<script>` and `<img onerror>` payloads in a job's name, its data and a
 *   signal's reason render as text on /jobs, the job page and /signals: no
 *   payload runs (it would set `window.__xss` or open a dialog), none becomes an
 *   element, and the text is visible. The CSV export carries it as text, with a
 *   formula cell neutralised, as an attachment.
 * - Every page and API route answers with a CSP that forbids framing (pages: a
 *   nonce for scripts, no 'unsafe-inline'), Referrer-Policy and nosniff; the
 *   dashboard works under that CSP (no violation while loading /jobs and clicking).
 * - A server error (the database named in DATABASE_URL does not exist) reaches
 *   neither a page nor an API answer as a stack trace or a file path.
 */
import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestSignal } from '../../app/requests/request-signal';
import { jobHistory } from '../../db/job-signals';
import { ROOT } from './build';
import { type Stack, startStack } from './harness';
import { row } from './page-helpers';
import { startServer } from './processes';

const QUEUE = 'xss-e2e';
/** Each payload sets window.__xss (and opens a dialog) if it ever runs. No quotes or backslashes, so JSON shows it verbatim. */
const NAME = '<script>window.__xss=1;alert(1)</script><img src=x onerror=window.__xss=2;alert(2)>';
const DATA = '<img src=x onerror=window.__xss=3;alert(3)><script>window.__xss=4</script>';
const DATA_KEY = '<svg onload=window.__xss=5;alert(5)>';
const REASON = '<img src=x onerror=window.__xss=6;alert(6)> <script>window.__xss=7</script>';
const FORMULA_NAME = '@SUM(1+1)';
const FORMULA_REASON = '=HYPERLINK(1+1)';

let stack: Stack;
let jobId = '';
let formulaJobId = '';

beforeAll(async () => {
  stack = await startStack({ role: 'admin', email: 'xss-admin@example.com' });
  const q = stack.queues.get(QUEUE);
  // No worker serves the queue: the jobs wait, and their signals stay pending.
  jobId = String((await q.add(NAME, { note: DATA, [DATA_KEY]: DATA })).id);
  formulaJobId = String((await q.add(FORMULA_NAME, {})).id);
  const r = await requestSignal(
    { db: stack.db, queues: stack.queues },
    {
      queue: QUEUE,
      jobId: formulaJobId,
      signal: 'pause',
      reason: FORMULA_REASON,
      requestedBy: '+cmd@example.com',
    },
  );
  expect(r.ok).toBe(true);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

/** What a page did that it must not: dialogs, CSP reports in the console, violations seen by the page. */
interface Watch {
  dialogs: string[];
  cspConsole: string[];
}

async function watchedPage(): Promise<{ page: Page; watch: Watch }> {
  const page = await stack.context.newPage();
  const watch: Watch = { dialogs: [], cspConsole: [] };
  page.on('dialog', (d) => {
    watch.dialogs.push(d.message());
    void d.dismiss().catch(() => {});
  });
  page.on('console', (m: ConsoleMessage) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) watch.cspConsole.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return { page, watch };
}

/** No payload ran, none became an element, and the CSP had nothing to block. */
async function expectNothingRan(page: Page, watch: Watch) {
  const seen = await page.evaluate(() => {
    const w = window as unknown as { __xss?: unknown; __cspViolations: string[] };
    return {
      xss: w.__xss ?? null,
      violations: w.__cspViolations,
      // An injected <img src=x>, <svg onload> or a script element of our own making.
      injected:
        document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload]').length +
        [...document.scripts].filter((s) => s.textContent?.startsWith('window.__xss')).length,
    };
  });
  expect(seen).toEqual({ xss: null, violations: [], injected: 0 });
  expect(watch.dialogs).toEqual([]);
  expect(watch.cspConsole).toEqual([]);
}

describe('hostile job names, data and reasons render as text', () => {
  it('on /jobs, and the dashboard works under its CSP: cancelling through the dialog with a hostile reason reports no violation', async () => {
    const { page, watch } = await watchedPage();
    await page.goto(`${stack.url}/jobs?queue=${QUEUE}`);
    await row(page, QUEUE, jobId).waitFor();
    await expect(
      row(page, QUEUE, jobId).getByText(NAME, { exact: true }).isVisible(),
    ).resolves.toBe(true);
    await row(page, QUEUE, jobId)
      .getByRole('button', { name: `Cancel job ${jobId}` })
      .click();
    const dialog = page.getByRole('dialog', { name: `Cancel job ${jobId}?` });
    await expect(dialog.getByText(NAME, { exact: true }).isVisible()).resolves.toBe(true);
    await dialog.getByLabel(/Reason/).fill(REASON);
    await dialog.getByRole('button', { name: 'Cancel job' }).click();
    await page.getByText(`Cancel requested for job ${jobId}.`).waitFor();
    const [signal] = await jobHistory(stack.db, QUEUE, jobId);
    expect(signal?.reason).toBe(REASON);
    await expectNothingRan(page, watch);
    await stack.screenshot(page, 'xss-jobs-list');
    await page.close();
  });

  it('on the job page: name, data (keys and values) and the reason in the timeline', async () => {
    const { page, watch } = await watchedPage();
    await page.goto(`${stack.url}/jobs/${QUEUE}/${jobId}`);
    await page.getByText(`“${REASON}”`).waitFor();
    for (const text of [NAME, DATA, DATA_KEY]) {
      await expect(page.getByText(text).first().isVisible(), text).resolves.toBe(true);
    }
    await expectNothingRan(page, watch);
    await stack.screenshot(page, 'xss-job-page');
    await page.close();
  });

  it('on the audit list /signals', async () => {
    const { page, watch } = await watchedPage();
    await page.goto(`${stack.url}/signals?queue=${QUEUE}`);
    await page.locator('tbody tr[data-signal-id]').nth(1).waitFor();
    await expect(page.getByText(REASON, { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByText(FORMULA_REASON, { exact: true }).isVisible()).resolves.toBe(true);
    await expectNothingRan(page, watch);
    await stack.screenshot(page, 'xss-signals');
    await page.close();
  });

  it('in the CSV export: text/csv as an attachment, payloads verbatim, formula cells prefixed with an apostrophe', async () => {
    const page = await stack.context.newPage();
    await page.goto(`${stack.url}/signals?queue=${QUEUE}`);
    const href = await page.getByTestId('signals-export').getAttribute('href');
    expect(href).toContain(`queue=${QUEUE}`);
    const res = await page.request.get(`${stack.url}${href}`);
    expect(res.status()).toBe(200);
    const h = res.headers();
    expect(h['content-type']).toBe('text/csv; charset=utf-8');
    expect(h['content-disposition']).toMatch(/^attachment; filename="signals-[\dT-]+Z\.csv"$/);
    expect(h['x-content-type-options']).toBe('nosniff');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines).toHaveLength(3);
    // Every cell is quoted (so no locale's separator splits one).
    const evil = lines.find((l) => l.includes(`,"${jobId}",`));
    expect(evil).toContain(`,"${NAME}","cancel","pending","${REASON}","xss-admin@example.com",`);
    const formula = lines.find((l) => l.includes(`,"${formulaJobId}",`));
    expect(formula).toContain(
      `,"'${FORMULA_NAME}","pause","pending","'${FORMULA_REASON}","'+cmd@example.com",`,
    );
    await page.close();
  });
});

// ------------------------------------------------------------------ headers

const cspOf = (res: Response) => res.headers.get('content-security-policy') ?? '';
const directive = (csp: string, name: string) =>
  csp
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `)) ?? '';

function expectCommonHeaders(res: Response, what: string) {
  expect(directive(cspOf(res), 'frame-ancestors'), what).toBe("frame-ancestors 'none'");
  expect(res.headers.get('referrer-policy'), what).toBeTruthy();
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
}

const asUser = () => ({ [stack.serverEnv.SIGNAL_DESK_PROXY_HEADER as string]: stack.email });

describe('security headers', () => {
  it('every page has a nonce CSP for scripts (no unsafe-inline), no framing, Referrer-Policy and nosniff; every script carries the nonce', async () => {
    const paths = ['/jobs', `/jobs/${QUEUE}/${jobId}`, '/signals', '/queues', '/admin/users'];
    const nonces = new Set<string>();
    for (const [path, headers] of [
      ...paths.map((p) => [p, asUser()] as const),
      ['/sign-in', {}] as const,
    ]) {
      const res = await fetch(`${stack.url}${path}`, { headers, redirect: 'manual' });
      expect(res.status, path).toBe(200);
      expectCommonHeaders(res, path);
      const scriptSrc = directive(cspOf(res), 'script-src');
      const nonce = scriptSrc.match(/'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
      expect(nonce, `${path}: ${scriptSrc}`).toBeTruthy();
      expect(scriptSrc, path).not.toContain("'unsafe-inline'");
      expect(directive(cspOf(res), 'object-src'), path).toBe("object-src 'none'");
      nonces.add(nonce as string);
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size, 'a fresh nonce per response').toBe(paths.length + 1);
  });

  it('every API route answers with a no-framing CSP, Referrer-Policy and nosniff, refusals included', async () => {
    const json = { ...asUser(), 'content-type': 'application/json' };
    const calls: [string, RequestInit][] = [
      ['/api/jobs', { headers: asUser() }],
      [`/api/jobs/${QUEUE}/${jobId}`, { headers: asUser() }],
      ['/api/signals', { headers: asUser() }],
      ['/api/signals/export', { headers: asUser() }],
      ['/api/signals', { method: 'POST', headers: json, body: '{"queue":' }],
      ['/api/signals/bulk', { method: 'POST', headers: json, body: '[]' }],
      ['/api/signals', {}], // signed out: 401
      ['/api/jobs', { method: 'DELETE', headers: asUser() }], // 405
    ];
    for (const [path, init] of calls) {
      const res = await fetch(`${stack.url}${path}`, { ...init, redirect: 'manual' });
      const what = `${init.method ?? 'GET'} ${path} → ${res.status}`;
      expect([200, 400, 401, 405], what).toContain(res.status);
      expectCommonHeaders(res, what);
      expect(directive(cspOf(res), 'default-src'), what).toBe("default-src 'none'");
      await res.arrayBuffer();
    }
  });

  it('a server error reaches no page or API answer as a stack trace or a file path', async () => {
    // A broken dependency: the database named in DATABASE_URL does not exist (not an
    // outage, so no 503: the generic 500 path).
    const url = new URL(stack.serverEnv.DATABASE_URL as string);
    url.pathname = `${url.pathname}_missing`;
    const broken = await startServer('dashboard-no-database', {
      ...stack.serverEnv,
      DATABASE_URL: url.toString(),
    });
    try {
      const leaks = [
        /\n\s+at\s/, // a stack frame
        new RegExp(ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), // our checkout's path
        /node_modules|\.tsx?:\d+|webpack-internal|turbopack:\/\//,
        /3D000|does not exist|PostgresError|DrizzleQueryError/, // the driver's own words
      ];
      const answers: [string, Response][] = [];
      for (const path of ['/api/signals', '/api/jobs', `/api/jobs/${QUEUE}/${jobId}`])
        answers.push([path, await fetch(`${broken.url}${path}`, { headers: asUser() })]);
      answers.push([
        'POST /api/signals',
        await fetch(`${broken.url}/api/signals`, {
          method: 'POST',
          headers: { ...asUser(), 'content-type': 'application/json' },
          body: JSON.stringify({ queue: QUEUE, jobId, signal: 'pause' }),
        }),
      ]);
      for (const path of ['/jobs', `/jobs/${QUEUE}/${jobId}`, '/signals'])
        answers.push([path, await fetch(`${broken.url}${path}`, { headers: asUser() })]);
      for (const [what, res] of answers) {
        const body = await res.text();
        if (what.includes('/api/')) {
          expect(res.status, what).toBe(500);
          expect(JSON.parse(body), what).toEqual({
            error: 'Something went wrong on the server; the error has been logged.',
          });
        }
        for (const leak of leaks) expect(body, `${what} must not leak ${leak}`).not.toMatch(leak);
      }
      // The browser shows the error page, not the error.
      const { page, watch } = await watchedPage();
      await page.goto(`${broken.url}/jobs`);
      await page
        .getByText(/went wrong|could not be shown/i)
        .first()
        .waitFor();
      const text = (await page.locator('body').textContent()) ?? '';
      for (const leak of leaks) expect(text).not.toMatch(leak);
      await expectNothingRan(page, watch);
      await stack.screenshot(page, 'server-error-page');
      await page.close();
    } finally {
      await broken.stop();
    }
  });
});
