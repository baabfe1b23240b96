/**
 * Jobs as real producers make them: a job scheduler's run, a flow across two
 * queues, a 500-character id and a 2,000-character name, 5 MB of data, a 2 MB
 * return value, a 500 KB stack trace, 5,000 signals on one job. Pages stay under
 * 1 MB and never wider than the window; dialogs say what a cancel reaches; focus
 * comes back to the button that opened a dialog. Sizes are asserted, times only
 * logged (see the report at the end of the run).
 */
import { FlowProducer, type Job, Worker } from 'bullmq';
import { sql } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHistory } from '../../db/job-signals';
import { workerConnection } from '../../worker/config';
import type { Stack } from './harness';
import { OUTPUT_DIR, startStack } from './harness';
import { waitUntil } from './page-helpers';

const MB = 1024 * 1024;
const SCHED = 'e2e-sched';
const PARENTS = 'e2e-flow-parents';
const CHILDREN = 'e2e-flow-children';
const LONG = 'e2e-long';
const BIG = 'e2e-big';

let stack: Stack;
const figures: string[] = [];

beforeAll(async () => {
  // No worker: the signals stay open, and what matters here is what the pages say.
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
  for (const f of figures) console.log(`[e2e big-jobs] ${f}`);
});

const connection = () => ({ connection: stack.queues.connection, prefix: stack.prefix });

/** Waits until a locator's text is `expected` (or matches it), then checks it once more for the message. */
async function textBecomes(locator: Locator, expected: string | RegExp) {
  const ok = (t: string | null) =>
    typeof expected === 'string' ? t === expected : expected.test(t ?? '');
  await waitUntil(async () => ok(await locator.textContent()), `text ${expected}`).catch(() => {});
  const text = await locator.textContent();
  if (typeof expected === 'string') expect(text).toBe(expected);
  else expect(text).toMatch(expected);
}

/** Loads a page and returns its HTML size, its DOM size and how long it took (logged, never asserted). */
async function measure(page: Page, path: string, what: string) {
  const started = Date.now();
  const res = await page.goto(`${stack.url}${path}`);
  expect(res?.status(), what).toBe(200);
  await page.waitForLoadState('load');
  const html = (await res?.body())?.length ?? 0;
  const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  const ms = Date.now() - started;
  figures.push(`${what}: ${(html / 1024).toFixed(0)} KB of HTML, ${nodes} DOM nodes, ${ms} ms`);
  return { html, nodes, ms };
}

/** Nothing is wider than the 1,440 px window: no horizontal scroll, no box past the right edge. */
async function noHorizontalOverflow(page: Page, what: string) {
  const widths = await page.evaluate(() => {
    const scrollers = [...document.querySelectorAll<HTMLElement>('*')].filter(
      (el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'hidden',
    );
    return {
      page: document.documentElement.scrollWidth,
      window: window.innerWidth,
      wide: scrollers
        .filter((el) => !el.closest('pre, ol, [data-cut-value]'))
        .map(
          (el) => `${el.tagName}.${el.className.slice(0, 40)} ${el.scrollWidth}>${el.clientWidth}`,
        ),
    };
  });
  expect(widths.wide, `${what}: horizontally scrolled boxes`).toEqual([]);
  expect(widths.page, `${what}: page width`).toBeLessThanOrEqual(widths.window);
}

/** The dialog and its buttons lie inside the window. */
async function dialogInside(page: Page, what: string) {
  const dialog = page.getByRole('dialog');
  const box = await dialog.boundingBox();
  expect(box, what).not.toBeNull();
  expect((box?.x ?? 0) + (box?.width ?? 0), `${what}: right edge`).toBeLessThanOrEqual(1440);
  for (const b of await dialog.getByRole('button').all()) {
    const bb = await b.boundingBox();
    expect((bb?.x ?? 0) + (bb?.width ?? 0), `${what}: a button's right edge`).toBeLessThanOrEqual(
      1440,
    );
  }
}

const activeLabel = (page: Page) =>
  page.evaluate(
    () => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName,
  );

describe('every job BullMQ can hold, in a browser', () => {
  it("a scheduler's run: the page shows the schedule, Pause is not offered, the dialog says cancel skips this run", async () => {
    const queue = stack.queues.get(SCHED);
    const first = await queue.upsertJobScheduler(
      'nightly-sync',
      { pattern: '0 3 * * *' },
      { name: 'sync', data: { full: true } },
    );
    const id = String(first?.id);
    expect(id).toMatch(/^repeat:nightly-sync:\d+$/);
    const page = await stack.context.newPage();
    await page.goto(`${stack.url}/jobs/${SCHED}/${encodeURIComponent(id)}`);
    const schedule = page.getByTestId('job-schedule');
    await expect(schedule.textContent()).resolves.toMatch(
      /Runs cron 0 3 \* \* \* as sync; next run/,
    );
    expect(await page.getByRole('button', { name: `Pause job ${id}` }).count()).toBe(0);

    await page.getByRole('button', { name: `Cancel job ${id}` }).click();
    const dialog = page.getByRole('dialog');
    await textBecomes(
      dialog.getByTestId('signal-ties'),
      /^This is a run of job scheduler nightly-sync \(cron 0 3 \* \* \*\)\. Cancel skips this run/,
    );
    await stack.screenshot(page, 'scheduler-run-cancel-dialog');
    await dialog.getByRole('button', { name: 'Cancel job' }).click();
    await page.getByText(`Cancel requested for job ${id}.`).waitFor();
    const [signal] = await jobHistory(stack.db, SCHED, id);
    expect(signal).toMatchObject({ signal: 'cancel', status: 'pending' });
    await page.close();
  });

  it("a flow across two queues: the parent's dialog counts its children, the child's names its parent, the pages link them", async () => {
    const flow = new FlowProducer(connection());
    const tree = await flow.add({
      name: 'assemble-report',
      queueName: PARENTS,
      data: {},
      children: [
        { name: 'render-part', queueName: CHILDREN, data: { part: 1 }, opts: { delay: 3_600_000 } },
        { name: 'render-part', queueName: CHILDREN, data: { part: 2 }, opts: { delay: 3_600_000 } },
      ],
    });
    await flow.close();
    const parent = tree.job as Job;
    const child = tree.children?.[0]?.job as Job;
    const page = await stack.context.newPage();
    await page.goto(`${stack.url}/jobs?queue=${PARENTS}`);
    const cancel = page.getByRole('button', { name: `Cancel job ${parent.id}` });
    await cancel.click();
    const dialog = page.getByRole('dialog');
    await textBecomes(
      dialog.getByTestId('signal-ties'),
      `It is a flow parent with 2 children (2 still to run) in ${CHILDREN}. Cancelling removes it and all of them, in every queue; open signals on those children end superseded. The children are listed in the cancel's outcome.`,
    );
    await stack.screenshot(page, 'flow-parent-cancel-dialog');
    await page.keyboard.press('Escape');
    await waitUntil(
      async () => (await activeLabel(page)) === `Cancel job ${parent.id}`,
      'focus back on Cancel',
    );

    await page.goto(`${stack.url}/jobs/${PARENTS}/${parent.id}`);
    const flowBox = page.getByTestId('job-flow');
    await textBecomes(flowBox, /2 children \(2 still to run\)/);
    expect(await flowBox.getByRole('link').count()).toBe(2);
    await flowBox.getByRole('link').first().click();
    await page.waitForURL(new RegExp(`/jobs/${CHILDREN}/`));
    await page
      .getByTestId('job-flow')
      .getByRole('link', { name: `${PARENTS}/${parent.id}` })
      .waitFor();

    await page.goto(`${stack.url}/jobs/${CHILDREN}/${child.id}`);
    await page.getByRole('button', { name: `Cancel job ${child.id}` }).click();
    await textBecomes(
      page.getByRole('dialog').getByTestId('signal-ties'),
      `It is a child of ${PARENTS}/${parent.id} in a flow. Removed from its queue, it no longer holds its parent back: the parent goes on without it.`,
    );
    await stack.screenshot(page, 'flow-child-cancel-dialog');
    await page.close();
  });

  it('a 500-character id and a 2,000-character name: no horizontal overflow in the list, the page or the dialogs; cancel by name works', async () => {
    const id = `tenant-42/report/${'x'.repeat(483)}`;
    const name = `export-${'n'.repeat(1993)}`;
    expect([id.length, name.length]).toEqual([500, 2000]);
    await stack.queues.get(LONG).add(name, { ok: true }, { jobId: id, delay: 3_600_000 });
    const page = await stack.context.newPage();
    // A queue new to the server is listed once its discovery comes round (at most 3 s).
    await waitUntil(async () => {
      await page.goto(`${stack.url}/jobs`);
      return (await page.getByRole('button', { name: `Cancel job ${id}` }).count()) > 0;
    }, 'the new queue discovered');

    await measure(
      page,
      '/jobs',
      'all-queues /jobs with a 500-character id and a 2,000-character name',
    );
    // The page never scrolls sideways; with every column of every queue the table may, but
    // its actions stay pinned in view, reachable without scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      1440,
    );
    const actions = page.getByRole('button', { name: `Cancel job ${id}` });
    const box = await actions.boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(1440);
    const hit = await page.evaluate(
      ([x, y]) =>
        document
          .elementFromPoint(x as number, y as number)
          ?.closest('button')
          ?.getAttribute('aria-label'),
      [(box?.x ?? 0) + (box?.width ?? 0) / 2, (box?.y ?? 0) + (box?.height ?? 0) / 2],
    );
    expect(hit).toBe(`Cancel job ${id}`);
    // The long id and name are cut to their columns' widths.
    const cells = await page
      .locator(`tr[data-job="${LONG}:${id}"] td`)
      .evaluateAll((tds) => tds.map((td) => Math.round(td.getBoundingClientRect().width)));
    // All queues: select, queue, ID, name, … The ID and name cells hold the long values.
    const [, , idCell, nameCell] = cells;
    expect(Math.max(idCell ?? 0, nameCell ?? 0)).toBeLessThanOrEqual(200);
    // No cell grows with a value: the widest (the live Signal cell) is cut at 14rem.
    expect(Math.max(...cells)).toBeLessThanOrEqual(260);
    await stack.screenshot(page, 'jobs-long-id-and-name');
    await actions.click();
    await dialogInside(page, 'Cancel dialog of a 500-character id');
    const dialogWidths = await page
      .getByRole('dialog')
      .evaluate((d) => ({ scroll: d.scrollWidth, client: d.clientWidth }));
    expect(dialogWidths.scroll, 'the dialog scrolls sideways').toBeLessThanOrEqual(
      dialogWidths.client,
    );
    await stack.screenshot(page, 'long-id-cancel-dialog');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: `More for job ${id}` }).click();
    await page.getByRole('menuitem', { name: /Cancel all jobs named export-n/ }).click();
    const byName = page.getByRole('dialog');
    await byName.getByRole('button', { name: 'Cancel 1 job' }).waitFor();
    await dialogInside(page, 'Cancel-by-name dialog of a 2,000-character name');
    await stack.screenshot(page, 'long-name-cancel-by-name-dialog');
    await byName.getByRole('button', { name: 'Cancel 1 job' }).click();
    await page.getByText('Cancel requested for 1 job.').waitFor();
    const [signal] = await jobHistory(stack.db, LONG, id);
    expect(signal).toMatchObject({ signal: 'cancel', status: 'pending', jobName: name });

    await page.goto(`${stack.url}/jobs/${LONG}/${encodeURIComponent(id)}`);
    await page.getByTestId('job-status').waitFor();
    await noHorizontalOverflow(page, 'the job page');
    await stack.screenshot(page, 'job-page-long-id-and-name');

    // The name filter takes the whole name and finds the job.
    await page.goto(`${stack.url}/jobs?name=${encodeURIComponent(name)}`);
    await page.locator(`tr[data-job="${LONG}:${id}"]`).waitFor();
    await page.close();
  });

  it('5 MB of data, a 2 MB return value, a 500 KB stack trace: each page under 1 MB, each value whole behind its link', async () => {
    const big = stack.queues.get(BIG);
    const data = { rows: Array.from({ length: 50_000 }, (_, i) => ({ i, text: 'd'.repeat(90) })) };
    expect(JSON.stringify(data).length).toBeGreaterThan(5 * 1_000_000);
    const withData = await big.add('import', data, { delay: 3_600_000 });
    // A plain BullMQ worker (no Signal Desk): it only makes a completed and a failed job.
    const worker = new Worker(
      BIG,
      async (job) => {
        if (job.name === 'returns') return { blob: 'r'.repeat(2 * MB) };
        const err = new Error('boom');
        err.stack = `Error: boom\n${'    at frame (file.js:1:1)\n'.repeat(19_000)}`;
        throw err;
      },
      { connection: workerConnection(process.env.REDIS_URL), prefix: stack.prefix },
    );
    const returns = await big.add('returns', {});
    const fails = await big.add('fails', {});
    await waitUntil(
      async () =>
        (await big.getJobState(String(returns.id))) === 'completed' &&
        (await big.getJobState(String(fails.id))) === 'failed',
      'the worker to finish both jobs',
    );
    await worker.close();

    const page = await stack.context.newPage();
    for (const [job, what] of [
      [withData, '5 MB of data'],
      [returns, '2 MB return value'],
      [fails, '500 KB stack trace'],
    ] as const) {
      const m = await measure(page, `/jobs/${BIG}/${job.id}`, `job page with ${what}`);
      expect(m.html, what).toBeLessThan(1 * MB);
      expect(m.nodes, what).toBeLessThan(5_000);
    }
    await page.getByTestId('stack-traces').locator('summary').click();
    const trace = await page.getByTestId('stack-traces').locator('pre').first().boundingBox();
    expect(trace?.height).toBeLessThanOrEqual(384);
    await stack.screenshot(page, 'job-page-500kb-stack-trace');

    await page.goto(`${stack.url}/jobs/${BIG}/${withData.id}`);
    await stack.screenshot(page, 'job-page-5mb-data');
    const href = await page
      .getByRole('link', { name: 'Open all of job data' })
      .getAttribute('href');
    const whole = await page.evaluate(async (url) => {
      const res = await fetch(url as string);
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    }, href);
    expect(whole.status).toBe(200);
    expect(whole.type).toBe('application/json; charset=utf-8');
    expect(JSON.parse(whole.text)).toEqual(data);
    await page.close();
  });

  it('5,000 signals on one job: the page shows the newest 50 under 1 MB, shows older on demand, and the Cancel dialog opens', async () => {
    const queue = stack.queues.get(BIG);
    const job = await queue.add(
      'chatty',
      {},
      { delay: 3_600_000, timestamp: Date.now() - 86_400_000 },
    );
    await stack.db.execute(sql`
      insert into job_signals (queue, job_id, job_name, signal, status, requested_by, outcome, created_at, completed_at)
      select ${BIG}, ${String(job.id)}, 'chatty', (array['pause', 'resume'])[1 + i % 2]::signal_kind,
        'superseded', 'load@example.com', jsonb_build_object('reason', 'a later signal cancelled this one out'),
        now() - (5001 - i) * interval '1 second', now() - (5001 - i) * interval '1 second'
      from generate_series(1, 5000) i`);
    const page = await stack.context.newPage();
    const m = await measure(page, `/jobs/${BIG}/${job.id}`, 'job page with 5,000 signals');
    expect(m.html).toBeLessThan(1 * MB);
    expect(m.nodes).toBeLessThan(5_000);
    const entries = page.getByRole('list', { name: 'Signal timeline' }).locator('> li');
    expect(await entries.count()).toBe(50);
    await textBecomes(page.getByTestId('older-signals'), /^4,950 older signals not shown\./);

    await page.getByRole('button', { name: `Cancel job ${job.id}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel job' }).waitFor();
    await page.screenshot({ path: `${OUTPUT_DIR}/job-page-5000-signals.png` });
    await page.keyboard.press('Escape');

    await page.getByRole('link', { name: 'Show 50 older' }).click();
    await waitUntil(async () => (await entries.count()) === 100, '100 signals shown');
    await textBecomes(page.getByTestId('older-signals'), /^4,900 older signals not shown\./);
    await page.close();
  });

  it('keyboard focus returns to the button that opened a dialog, after Escape and after confirming', async () => {
    const job = await stack.queues.get(LONG).add('focus-me', {}, { delay: 3_600_000 });
    const id = String(job.id);
    const page = await stack.context.newPage();
    await page.goto(`${stack.url}/jobs?queue=${LONG}`);
    const pause = page.getByRole('button', { name: `Pause job ${id}` });
    await pause.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await waitUntil(
      async () => (await activeLabel(page)) === `Pause job ${id}`,
      'focus on Pause after Escape',
    );

    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByRole('button', { name: 'Pause job' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(`Pause requested for job ${id}.`).waitFor();
    // The pause is open, so Pause is no longer offered: focus goes to the row's first action
    // now, Resume (which would take the pause back).
    await waitUntil(
      async () => (await activeLabel(page)) === `Resume job ${id}`,
      'focus on the row after confirming',
    );
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(false);
    await page.close();
  });

  it('serves /favicon.ico', async () => {
    const res = await fetch(`${stack.url}/favicon.ico`, { headers: { 'x-e2e-user': stack.email } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/x-icon');
  });
});
