/**
 * What a click did, shown where the click was: the row keeps the outcome and the
 * time it took, the toast follows the signal to its end, a bulk request is an
 * operation with its own page, a signal nothing acts on says why, and a double
 * click is answered with the first click's signal. Real Chromium, real workers.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHistory } from '../../db/job-signals';
import { ROOT } from './build';
import { type Stack, startStack } from './harness';
import { clearToasts, markPage, row, stillSamePage, waitUntil } from './page-helpers';

const WORK = 'follow-work';
const BULK = 'follow-bulk';
/** No worker serves it: signals there wait. */
const IDLE = 'follow-idle';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workerQueues: [WORK, BULK] });
});
afterAll(async () => {
  await stack?.stop();
});

async function runningJob(steps = 4000) {
  const job = await stack.queues.get(WORK).add('render-report', { steps });
  const id = String(job.id);
  await waitUntil(async () => (await job.getState()) === 'active', `job ${id} active`);
  return id;
}

const toastOf = (page: Page, signalId: number) => page.locator(`[data-follow-toast="${signalId}"]`);

async function confirm(page: Page, verb: 'Cancel' | 'Pause', id: string, reason?: string) {
  const dialog = page.getByRole('dialog', { name: `${verb} job ${id}?` });
  if (reason) await dialog.getByLabel(/Reason/).fill(reason);
  await dialog.getByRole('button', { name: `${verb} job` }).click();
}

describe('the outcome where the click was', () => {
  it('cancel from /jobs: the row stays, shows "cancelled in N ms · cleanup ran", the toast follows to the end', async () => {
    // Some company for the picture: jobs that wait for later.
    for (const name of ['send-invoice', 'resize-images', 'nightly-export', 'sync-crm'])
      await stack.queues.get(WORK).add(name, { steps: 10 }, { delay: 3_600_000 });
    const id = await runningJob();
    const page = await stack.context.newPage();
    // The default view: waiting, running and paused jobs; a cancelled one leaves it.
    await page.goto(`${stack.url}/jobs?queue=${WORK}`);
    await row(page, WORK, id, 'active').waitFor();
    await markPage(page);
    await row(page, WORK, id)
      .getByRole('button', { name: `Cancel job ${id}` })
      .click();
    await confirm(page, 'Cancel', id, 'customer asked to stop');

    const done = row(page, WORK, id, 'cancelled');
    await done.locator('[data-signal-outcome="completed"]').waitFor({ timeout: 15_000 });
    const [signal] = await jobHistory(stack.db, WORK, id);
    expect(signal?.status).toBe('completed');
    const took = (signal?.completedAt?.getTime() ?? 0) - (signal?.createdAt.getTime() ?? 0);
    const line = await done.locator('[data-signal-outcome]').textContent();
    expect(line).toMatch(/^cancelled in \d+(\.\d)? m?s · cleanup ran$/);
    expect(line).toContain(took < 1000 ? `in ${took} ms` : 'in ');
    expect(await done.getAttribute('data-pinned')).toBe('true');
    await done.getByText('kept until you change the filter').waitFor();
    const toast = toastOf(page, signal?.id ?? 0);
    await page
      .locator('[data-sonner-toast]')
      .getByText(new RegExp(`^Job ${id} cancelled in `))
      .waitFor();
    expect(await toast.getByRole('link', { name: 'Open the job page' }).getAttribute('href')).toBe(
      `/jobs/${WORK}/${id}`,
    );
    expect(await stillSamePage(page)).toBe(true);
    await stack.screenshot(page, 'follow-cancel-row-and-toast');
    await clearToasts(page);
    await stack.screenshot(page, 'follow-cancel-row');
    // The README's picture of /jobs, renewed on request: a test run leaves the tree clean.
    if (process.env.UPDATE_README_IMAGE) {
      mkdirSync(join(ROOT, 'docs/images'), { recursive: true });
      copyFileSync(
        join(ROOT, 'test-results/e2e/follow-cancel-row-and-toast.png'),
        join(ROOT, 'docs/images/jobs.png'),
      );
    }

    // Another filter lets it go: back on this queue, the list is as it is.
    const sidebar = page.getByRole('navigation', { name: 'Queues' });
    await sidebar.getByRole('link', { name: /^All queues/ }).click();
    await page.waitForURL((u) => !u.search.includes('queue='));
    await sidebar.getByRole('link', { name: new RegExp(`^${WORK}`) }).click();
    await page.waitForURL((u) => u.search.includes(`queue=${WORK}`));
    await row(page, WORK, id).waitFor({ state: 'detached' });
    expect(await stillSamePage(page)).toBe(true);
    await page.close();
  });

  it('pause from /jobs: the row shows "paused in N ms" and where the job stopped, without a reload', async () => {
    const id = await runningJob();
    const page = await stack.context.newPage();
    await page.goto(`${stack.url}/jobs?queue=${WORK}`);
    await row(page, WORK, id, 'active').waitFor();
    await markPage(page);
    await row(page, WORK, id)
      .getByRole('button', { name: `Pause job ${id}` })
      .click();
    await confirm(page, 'Pause', id);
    const paused = row(page, WORK, id, 'paused');
    await paused.locator('[data-signal-outcome="completed"]').waitFor({ timeout: 15_000 });
    expect(await paused.locator('[data-signal-outcome]').textContent()).toMatch(
      /^paused in \d+(\.\d)? m?s · saved \{"step":\d+\}$/,
    );
    await page
      .locator('[data-sonner-toast]')
      .getByText(new RegExp(`^Job ${id} paused in `))
      .waitFor();
    expect(await stillSamePage(page)).toBe(true);
    await stack.screenshot(page, 'follow-pause-row-and-toast');

    // Resume from the same row: the outcome follows the new signal.
    await paused.getByRole('button', { name: `Resume job ${id}` }).click();
    await row(page, WORK, id, 'active')
      .locator('[data-signal-outcome="completed"]')
      .waitFor({ timeout: 15_000 });
    expect(await row(page, WORK, id).locator('[data-signal-outcome]').textContent()).toMatch(
      /^resumed in .+ · from \{"step":\d+\}$/,
    );
    await page.close();
  });
});

describe('bulk operations you can follow', () => {
  it('cancel all 300 jobs of a name: the toast and the operation page follow its progress to the end', async () => {
    const queue = stack.queues.get(BULK);
    await queue.addBulk(
      Array.from({ length: 300 }, (_, i) => ({
        name: 'import-row',
        data: { steps: 2000, stepMs: 20, i },
      })),
    );
    const page = await stack.context.newPage();
    await page.goto(`${stack.url}/jobs?queue=${BULK}&name=import-row`);
    await page.locator(`tr[data-job^="${BULK}:"]`).first().waitFor();
    await markPage(page);
    await page.getByRole('button', { name: 'Cancel all named import-row…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Cancel 300 queued or running jobs named/ });
    await dialog.getByLabel(/Reason/).fill('bad import file');
    await dialog.getByRole('button', { name: 'Cancel 300 jobs' }).click();

    const toast = page.locator('[data-operation-toast]').first();
    await toast.waitFor();
    const opId = Number(await toast.getAttribute('data-operation-toast'));
    expect(opId).toBeGreaterThan(0);
    await page.locator(`[data-operation-toast="${opId}"][data-open]`).first().waitFor();
    await stack.screenshot(page, 'operation-toast-progress');
    await page
      .locator(`[data-operation-toast="${opId}"][data-open="0"]`)
      .waitFor({ timeout: 60_000 });
    await page
      .locator('[data-sonner-toast]')
      .getByText(new RegExp(`^Cancel in ${BULK}: 300 jobs done in `))
      .waitFor();
    expect(await stillSamePage(page)).toBe(true);
    await stack.screenshot(page, 'operation-toast-done');

    await page
      .locator(`[data-operation-toast="${opId}"]`)
      .getByRole('link', { name: 'Follow it on its page' })
      .click();
    await page.waitForURL(`**/operations/${opId}`);
    const progress = page.locator(`[data-operation-progress="${opId}"]`);
    await progress.waitFor();
    expect(await progress.getAttribute('data-open')).toBe('0');
    expect(await progress.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await page.getByText('bad import file').waitFor();
    await page
      .getByText(`Cancel every queued or running job named import-row in ${BULK}`)
      .waitFor();
    await clearToasts(page);
    await stack.screenshot(page, 'operation-page');

    await page.getByRole('link', { name: /in the audit list$/ }).click();
    await page.waitForURL(`**/signals?operation=${opId}`);
    await page.getByText(`The signals of operation #${opId}`).waitFor();
    await page.close();
  });

  it('a bulk of jobs none of which can act: the operation page is live while signals wait', async () => {
    // A queue nobody serves: the signals stay open, and the page says why.
    const idle = stack.queues.get(`${IDLE}-bulk`);
    const jobs = await idle.addBulk(
      Array.from({ length: 5 }, (_, i) => ({ name: 'n', data: { i }, opts: { delay: 3_600_000 } })),
    );
    const r = await stack.context.request.post(`${stack.url}/api/signals/bulk`, {
      data: { queue: `${IDLE}-bulk`, signal: 'cancel', jobIds: jobs.map((j) => j.id) },
    });
    expect(r.status()).toBe(200);
    const { operationId, requested } = (await r.json()) as {
      operationId: number;
      requested: number;
    };
    expect(requested).toBe(5);
    const page = await stack.context.newPage();
    await page.goto(`${stack.url}/operations/${operationId}`);
    await page.locator('[data-waiting]').first().waitFor();
    expect(await page.locator('[data-waiting] [data-signal-wait="no-worker"]').count()).toBe(5);
    await stack.screenshot(page, 'operation-page-waiting');
    await page.close();
  });
});

describe('signals that cannot act yet say so after the click', () => {
  it('a cancel on a queue no worker serves: warned before, marked in the row, the toast and the job page after', async () => {
    const job = await stack.queues.get(IDLE).add('send-invoice', {});
    const id = String(job.id);
    const page = await stack.context.newPage();
    await page.goto(`${stack.url}/jobs?queue=${IDLE}`);
    await row(page, IDLE, id, 'waiting').waitFor();
    await row(page, IDLE, id)
      .getByRole('button', { name: `Cancel job ${id}` })
      .click();
    const dialog = page.getByRole('dialog', { name: `Cancel job ${id}?` });
    await dialog.getByText(/No Signal Desk worker has served/).waitFor();
    await dialog.getByRole('button', { name: 'Cancel job' }).click();

    await row(page, IDLE, id).locator('[data-signal-wait="no-worker"]').waitFor();
    await page
      .locator('[data-sonner-toast]')
      .getByText(`No Signal Desk worker serves ${IDLE}: the signal waits until one starts.`)
      .waitFor();
    await stack.screenshot(page, 'follow-no-worker');
    const [signal] = await jobHistory(stack.db, IDLE, id);
    expect(signal?.status).toBe('pending');

    await page.goto(`${stack.url}/jobs/${IDLE}/${id}`);
    await page.getByTestId('job-status').locator('[data-signal-wait="no-worker"]').waitFor();
    await page
      .getByRole('list', { name: 'Signal timeline' })
      .locator('[data-signal-wait="no-worker"]')
      .waitFor();
    await stack.screenshot(page, 'job-page-no-worker');
    await page.close();
  });
});

describe('a double click is never an error', () => {
  it('a cancel confirmed after another person’s cancel completed: 200 with that signal, "already cancelled … ago by …"', async () => {
    const id = await runningJob();
    const view = `${stack.url}/jobs?queue=${WORK}&state=active,cancelled`;
    const [a, b] = [await stack.context.newPage(), await stack.context.newPage()];
    await a.goto(view);
    await b.goto(view);
    await row(a, WORK, id, 'active').waitFor();
    await row(b, WORK, id, 'active').waitFor();
    // B opens the confirmation first, and confirms only after A's cancel is done.
    await row(b, WORK, id)
      .getByRole('button', { name: `Cancel job ${id}` })
      .click();
    await row(a, WORK, id)
      .getByRole('button', { name: `Cancel job ${id}` })
      .click();
    await confirm(a, 'Cancel', id);
    await row(a, WORK, id, 'cancelled')
      .locator('[data-signal-outcome="completed"]')
      .waitFor({ timeout: 15_000 });
    await confirm(b, 'Cancel', id);
    await b
      .locator('[data-sonner-toast]')
      .getByText(
        new RegExp(
          `^Job ${id} was already cancelled .+ ago by ${stack.email.replace('.', '\\.')}\\.$`,
        ),
      )
      .waitFor();
    await stack.screenshot(b, 'follow-double-click');
    expect(await jobHistory(stack.db, WORK, id)).toHaveLength(1);

    // The same through the API: 200 with the completed signal, not 409.
    const res = await stack.context.request.post(`${stack.url}/api/signals`, {
      data: { queue: WORK, jobId: id, signal: 'cancel' },
    });
    expect(res.status()).toBe(200);
    const [first] = await jobHistory(stack.db, WORK, id);
    expect(((await res.json()) as { signal: { id: number; status: string } }).signal).toMatchObject(
      {
        id: first?.id,
        status: 'completed',
      },
    );
    await a.close();
    await b.close();
  });
});
