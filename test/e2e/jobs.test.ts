import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHistory } from '../../db/job-signals';
import { launchBrowser, type Stack, startStack } from './harness';
import { clearToasts, markPage, row, stillSamePage, waitUntil } from './page-helpers';
import { startServer } from './processes';

const WORK = 'e2e-work';
const BATCH = 'e2e-batch';

let stack: Stack;
/** How long after a change the page showed it without a reload (the issue asks for 2 s). */
const lag: [string, number][] = [];
beforeAll(async () => {
  stack = await startStack({ workerQueues: [WORK, BATCH] });
});
afterAll(async () => {
  await stack?.stop();
  for (const [what, ms] of lag) console.log(`[e2e] ${what}: ${ms} ms`);
});

function shownWithin2s(what: string, ms: number) {
  lag.push([what, ms]);
  expect(ms, what).toBeLessThan(2000);
}

async function addJob(queue: string, data: { steps: number; stepMs?: number }, opts = {}) {
  const job = await stack.queues.get(queue).add('render-report', data, opts);
  return String(job.id);
}

async function jobState(queue: string, id: string) {
  return (await stack.queues.job(queue, id))?.getState();
}

describe('/jobs in a browser', () => {
  it('shows a job starting, then cancels it: cancelled with the signal completed, without a reload', async () => {
    const page = await stack.context.newPage();
    await page.goto(`${stack.url}/jobs?queue=${WORK}&state=active,cancelled`);
    await page.locator('[data-live-status="live"]').waitFor();
    await markPage(page);
    const id = await addJob(WORK, { steps: 4000 });
    await row(page, WORK, id, 'active').waitFor({ timeout: 10_000 });
    const started = (await stack.queues.job(WORK, id))?.processedOn ?? 0;
    expect(started).toBeGreaterThan(0);
    shownWithin2s('job started → row active on /jobs', Date.now() - started);

    await row(page, WORK, id)
      .getByRole('button', { name: `Cancel job ${id}` })
      .click();
    const dialog = page.getByRole('dialog', { name: `Cancel job ${id}?` });
    await dialog.getByLabel(/Reason/).fill('customer asked to stop');
    await expect(dialog.getByText('22 / 500').count()).resolves.toBe(1);
    await stack.screenshot(page, 'confirm-cancel-dialog');
    await dialog.getByRole('button', { name: 'Cancel job' }).click();

    await page.locator('[data-sonner-toast]').getByText(`job ${id}`).first().waitFor();
    const done = row(page, WORK, id, 'cancelled');
    await done.locator('[data-signal-badge="cancel:completed"]').waitFor({ timeout: 10_000 });
    const seen = Date.now();
    expect(await stillSamePage(page)).toBe(true);
    const [signal] = await jobHistory(stack.db, WORK, id);
    expect(signal).toMatchObject({
      signal: 'cancel',
      status: 'completed',
      reason: 'customer asked to stop',
      requestedBy: stack.email,
    });
    shownWithin2s(
      'cancel completed → row cancelled on /jobs',
      seen - (signal?.completedAt?.getTime() ?? 0),
    );
    await stack.screenshot(page, 'jobs-after-cancel');
    await page.close();
  });

  it('pauses a running job, shows it paused, resumes it and sees it finish', async () => {
    // 15 s of work: enough that a loaded machine still pauses it before it ends.
    const id = await addJob(WORK, { steps: 300 });
    await waitUntil(async () => (await jobState(WORK, id)) === 'active', 'job active');
    const page = await stack.context.newPage();
    await page.goto(`${stack.url}/jobs?queue=${WORK}&state=waiting,active,paused,completed`);
    await row(page, WORK, id, 'active').waitFor();
    await markPage(page);

    await row(page, WORK, id)
      .getByRole('button', { name: `Pause job ${id}` })
      .click();
    const dialog = page.getByRole('dialog', { name: `Pause job ${id}?` });
    await dialog.getByRole('button', { name: 'Pause job' }).click();
    const paused = row(page, WORK, id, 'paused');
    await paused.locator('[data-signal-badge="pause:completed"]').waitFor({ timeout: 10_000 });
    await stack.screenshot(page, 'jobs-paused');

    // The queue is served, so Resume needs no confirmation.
    await paused.getByRole('button', { name: `Resume job ${id}` }).click();
    await page.locator('[data-sonner-toast]').getByText(`job ${id}`).first().waitFor();
    await row(page, WORK, id, 'completed').waitFor({ timeout: 40_000 });
    await row(page, WORK, id).locator('[data-signal-badge="resume:completed"]').waitFor();
    expect(await stillSamePage(page)).toBe(true);
    const logs = await stack.queues.get(WORK).getJobLogs(id);
    expect(logs.logs.some((l) => /^resuming at step [1-9]/.test(l))).toBe(true);
    await page.close();
  });

  it('bulk-cancels three selected queued jobs in one request', async () => {
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await addJob(BATCH, { steps: 10 }, { delay: 3_600_000 }));
    const [a, b, c, spared] = ids as [string, string, string, string];
    const page = await stack.context.newPage();
    await page.goto(`${stack.url}/jobs?queue=${BATCH}`);
    await row(page, BATCH, spared).waitFor();
    await markPage(page);
    for (const id of [a, b, c])
      await page.getByRole('checkbox', { name: `Select job ${id} of ${BATCH}` }).click();
    const bar = page.getByRole('region', { name: 'Bulk actions' });
    await bar.getByText('3 selected').waitFor();
    await bar.getByRole('button', { name: 'Cancel 3' }).click();

    const dialog = page.getByRole('dialog', { name: `Cancel 3 jobs in ${BATCH}?` });
    await dialog.getByLabel(/Reason/).fill('wrong import batch');
    await stack.screenshot(page, 'confirm-bulk-cancel-dialog');
    await dialog.getByRole('button', { name: 'Cancel 3 jobs' }).click();
    await page.locator('[data-operation-toast]').first().waitFor();

    // Cancelled queued jobs leave the queue: their rows go, the fourth stays.
    await waitUntil(
      async () => (await page.locator(`tr[data-job^="${BATCH}:"]`).count()) === 1,
      'rows removed',
    );
    expect(await row(page, BATCH, spared).count()).toBe(1);
    expect(await stillSamePage(page)).toBe(true);
    for (const id of [a, b, c]) {
      const [s] = await jobHistory(stack.db, BATCH, id);
      expect(s).toMatchObject({
        status: 'completed',
        reason: 'wrong import batch',
        outcome: { action: 'removed' },
      });
    }

    // The cancelled filter still lists them: Redis no longer has them, their signals do.
    await page.goto(`${stack.url}/jobs?queue=${BATCH}&state=cancelled`);
    for (const id of [a, b, c]) await row(page, BATCH, id, 'cancelled').waitFor();
    expect(await row(page, BATCH, spared).count()).toBe(0);
    await stack.screenshot(page, 'jobs-cancelled-filter');

    await page.goto(`${stack.url}/jobs/${BATCH}/${a}`);
    await page.getByText('Removed from its queue by a cancel').waitFor();
    await page.close();
  });

  it('the job page shows the full timeline as it happens: pause, resume, cancel', async () => {
    const id = await addJob(WORK, { steps: 4000 });
    await waitUntil(async () => (await jobState(WORK, id)) === 'active', 'job active');
    const page = await stack.context.newPage();
    await page.goto(`${stack.url}/jobs/${WORK}/${id}`);
    const status = page.getByTestId('job-status');
    await status.locator('[data-state-badge="active"]').waitFor();
    await markPage(page);
    const firstProgress = await page.getByRole('progressbar').first().getAttribute('aria-valuenow');
    await waitUntil(
      async () =>
        (await page.getByRole('progressbar').first().getAttribute('aria-valuenow')) !==
        firstProgress,
      'progress to move on the page',
    );

    const act = async (verb: 'Pause' | 'Resume' | 'Cancel', state: string) => {
      await page.getByRole('button', { name: `${verb} job ${id}` }).click();
      if (verb !== 'Resume') {
        await page
          .getByRole('dialog')
          .getByRole('button', { name: `${verb} job` })
          .click();
      }
      await status
        .locator(`[data-signal-badge="${verb.toLowerCase()}:completed"]`)
        .waitFor({ timeout: 10_000 });
      const seen = Date.now();
      await status.locator(`[data-state-badge="${state}"]`).waitFor();
      const last = (await jobHistory(stack.db, WORK, id)).at(-1);
      shownWithin2s(
        `${verb.toLowerCase()} completed → job page`,
        seen - (last?.completedAt?.getTime() ?? 0),
      );
    };
    await act('Pause', 'paused');
    await act('Resume', 'active');
    await act('Cancel', 'cancelled');

    const entries = page.getByRole('list', { name: 'Signal timeline' }).locator('> li');
    expect(await entries.count()).toBe(3);
    const kinds = await entries
      .locator('[data-signal-badge]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-signal-badge')));
    expect(kinds).toEqual(['pause:completed', 'resume:completed', 'cancel:completed']);
    for (let i = 0; i < 3; i++) {
      const steps = await entries
        .nth(i)
        .locator('[data-step]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));
      expect(steps).toEqual(['Requested', 'Delivered', 'Completed']);
      expect(await entries.nth(i).locator('[data-elapsed]').count()).toBe(2);
    }
    expect(await stillSamePage(page)).toBe(true);
    await clearToasts(page);
    await stack.screenshot(page, 'job-page-timeline');
    await page.emulateMedia({ colorScheme: 'dark' });
    await stack.screenshot(page, 'job-page-timeline-dark');
    await page.close();
  });

  it('an unknown job answers 404 with "No such job"; a known one 200', async () => {
    const page = await stack.context.newPage();
    const missing = await page.goto(`${stack.url}/jobs/${WORK}/no-such-job-${Date.now()}`);
    expect(missing?.status()).toBe(404);
    await page.getByText('No such job').waitFor();
    const id = await addJob(WORK, { steps: 1 }, { delay: 60_000 });
    const known = await page.goto(`${stack.url}/jobs/${WORK}/${id}`);
    expect(known?.status()).toBe(200);
    await page.getByTestId('job-status').locator('[data-state-badge="delayed"]').waitFor();
    await page.close();
  });

  it('says which service is down instead of showing an empty table', async () => {
    const browser = await launchBrowser({ 'x-e2e-user': stack.email });
    const [redisDown, pgDown] = await Promise.all([
      startServer('dashboard-redis-down', { ...stack.serverEnv, REDIS_URL: 'redis://127.0.0.1:1' }),
      startServer('dashboard-postgres-down', {
        ...stack.serverEnv,
        DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/signal_desk',
      }),
    ]);
    try {
      const page = await browser.context.newPage();
      await page.goto(`${redisDown.url}/jobs`);
      await page.getByTestId('service-down').waitFor();
      expect(await page.getByTestId('service-down').textContent()).toBe('Redis is unreachable.');
      expect(await page.locator('table').count()).toBe(0);
      await stack.screenshot(page, 'jobs-redis-down');
      await page.goto(`${pgDown.url}/jobs`);
      expect(await page.getByTestId('service-down').textContent()).toBe(
        'PostgreSQL is unreachable.',
      );
    } finally {
      await browser.close();
      await Promise.all([redisDown.stop(), pgDown.stop()]);
    }
  });
});
