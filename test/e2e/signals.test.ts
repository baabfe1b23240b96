import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestSignal } from '../../app/requests/request-signal';
import { waitFor } from '../helpers';
import { type Stack, startStack } from './harness';

const QUEUE = 'audit-e2e';
let stack: Stack;
let cancelledJobId = '';

beforeAll(async () => {
  stack = await startStack({ workerQueues: [QUEUE] });
  const deps = { db: stack.db, queues: stack.queues };
  // A running job that a support person cancels: the worker completes the signal.
  const job = await stack.queues.get(QUEUE).add('nightly-report', { steps: 2000, stepMs: 20 });
  cancelledJobId = job.id!;
  await waitFor(async () => (await job.getState()) === 'active', 'job active', 30_000);
  const r = await requestSignal(deps, {
    queue: QUEUE,
    jobId: job.id!,
    signal: 'cancel',
    reason: 'customer asked',
    requestedBy: 'ann@example.com',
  });
  expect(r.ok).toBe(true);
  await waitFor(
    async () =>
      (
        await stack.db.execute(
          sql`select 1 from job_signals where queue = ${QUEUE} and job_id = ${job.id!} and status = 'completed'`,
        )
      ).length > 0,
    'cancel completed',
    30_000,
  );
  // History from last year, written as a SQL console would.
  await stack.db.execute(sql`insert into job_signals (queue, job_id, job_name, signal, status, requested_by, reason, created_at, completed_at, outcome)
     values (${QUEUE}, 'old-1', 'nightly-report', 'cancel', 'completed', 'bob@example.com', 'stuck', '2024-02-10T09:00:00Z', '2024-02-10T09:00:02Z', '{"action": "removed"}'),
            (${QUEUE}, 'old-2', 'nightly-report', 'pause', 'completed', 'bob@example.com', 'deploy', '2024-02-10T10:00:00Z', '2024-02-10T10:00:01Z', '{"action": "parked"}'),
            (${QUEUE}, 'old-3', 'nightly-report', 'cancel', 'superseded', 'bob@example.com', null, '2024-02-11T10:00:00Z', '2024-02-11T10:00:01Z', '{"reason": "job completed first"}'),
            (${QUEUE}, 'old-4', 'nightly-report', 'resume', 'completed', 'api', null, '2024-03-01T10:00:00Z', '2024-03-01T10:00:01Z', '{"action": "resumed"}')`);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

describe('/signals in the browser', () => {
  it('filters the audit list by status and date, then opens a job from it', async () => {
    const page = await stack.context.newPage();
    const rows = page.locator('tbody tr[data-signal-id]');
    await page.goto(`${stack.url}/signals?queue=${QUEUE}`);
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(5);

    // Status facet: "completed" (its count is shown beside it).
    const completed = page.locator('[data-facet="status"] a', { hasText: 'completed' });
    await expect.poll(() => completed.textContent()).toMatch(/completed\s*4/);
    await completed.click();
    await page.waitForURL(/status=completed/);
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(4);
    const statuses = await page.locator('tbody [data-status]').allInnerTexts();
    expect(new Set(statuses)).toEqual(new Set(['completed']));

    // Date drill-down: 2024 → February → 10.
    const drill = page.getByTestId('date-drill');
    await drill.getByRole('link', { name: '2024', exact: true }).click();
    await page.waitForURL(/year=2024/);
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3);
    await drill.getByRole('link', { name: 'February', exact: true }).click();
    await page.waitForURL(/month=2/);
    await drill.getByRole('link', { name: '10', exact: true }).click();
    await page.waitForURL(/day=10/);
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
    const jobIds = await page.getByTestId('signal-job-link').allInnerTexts();
    expect(jobIds.sort()).toEqual(['old-1', 'old-2']);
    await stack.screenshot(page, 'signals-filtered');

    // Back to all dates; the live job's signal opens its job page.
    await page
      .getByRole('navigation', { name: 'Dates' })
      .getByRole('link', { name: 'All dates' })
      .click();
    await page.waitForURL((u) => !u.searchParams.has('year'));
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(4);
    await page.getByTestId('signal-job-link').filter({ hasText: cancelledJobId }).first().click();
    await page.waitForURL(new RegExp(`/jobs/${QUEUE}/${cancelledJobId}$`));
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: 20_000 })
      .toContain(cancelledJobId);
    await expect.poll(() => page.getByTestId('job-status').textContent()).toContain('cancelled');
    await page.close();
  });

  it('exports what the filters match as CSV', async () => {
    const page = await stack.context.newPage();
    await page.goto(`${stack.url}/signals?queue=${QUEUE}&status=completed&year=2024`);
    const href = await page.getByTestId('signals-export').getAttribute('href');
    expect(href).toContain('status=completed');
    const res = await page.request.get(`${stack.url}${href}`);
    expect(res.status()).toBe(200);
    const lines = (await res.text()).trim().split('\r\n');
    // Every cell is quoted (a `;` locale must not split one).
    expect(lines[0]?.startsWith('"id","queue","jobId","jobName","signal","status"')).toBe(true);
    expect(lines).toHaveLength(1 + 3);
    await page.close();
  });
});
