import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './harness';

const QUEUES = 300;
const name = (i: number) => `many-${i}`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  for (let i = 0; i < QUEUES; i += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, j) =>
        stack.queues.get(name(i + j)).add('render', { i: i + j }),
      ),
    );
  }
  // The server discovers queues once per 3 s (SIGNAL_DESK_DISCOVERY_MS): one interval
  // later every queue made above is listed, whenever the server last looked.
  await new Promise((r) => setTimeout(r, 3_100));
}, 240_000);
afterAll(async () => {
  await stack?.stop();
});

describe('300 queues in the browser', () => {
  it('/jobs: the sidebar sorts naturally, shows 25 until asked, filters; a skip link reaches the table', async () => {
    const page = await stack.context.newPage();
    await page.goto(`${stack.url}/jobs`);
    const sidebar = page.getByRole('navigation', { name: 'Queues' });
    await sidebar.getByRole('link').first().waitFor();
    // The first 25 in natural order (not many-0, many-1, many-10, many-100, …).
    const firstNames = await sidebar.locator('li a span.truncate').allTextContents();
    expect(firstNames.slice(0, 12)).toEqual([
      'many-0',
      'many-1',
      'many-2',
      'many-3',
      'many-4',
      'many-5',
      'many-6',
      'many-7',
      'many-8',
      'many-9',
      'many-10',
      'many-11',
    ]);
    expect(firstNames).toHaveLength(25);
    await sidebar.getByLabel('Filter queues by name').fill('many-29');
    await expect
      .poll(() => sidebar.locator('li a span.truncate').allTextContents())
      .toEqual(['many-29', ...Array.from({ length: 10 }, (_, i) => `many-${290 + i}`)]);
    await sidebar.getByLabel('Filter queues by name').fill('');
    await sidebar.getByRole('button', { name: 'Show all 300 queues' }).click();
    expect(await sidebar.locator('li a span.truncate').count()).toBe(QUEUES);
    await stack.screenshot(page, 'many-queues-jobs');

    // Keyboard: from the top of the page to the first row's Cancel button.
    await page.goto(`${stack.url}/jobs`);
    await page.locator('tbody tr[data-job]').first().waitFor();
    let presses = 0;
    let onSkip = false;
    while (presses < 60 && !onSkip) {
      await page.keyboard.press('Tab');
      presses++;
      onSkip = await page.evaluate(
        () => document.activeElement?.textContent === 'Skip to the jobs table',
      );
    }
    expect(onSkip).toBe(true);
    await page.keyboard.press('Enter');
    let onCancel = false;
    while (presses < 80 && !onCancel) {
      await page.keyboard.press('Tab');
      presses++;
      onCancel = await page.evaluate(
        () => document.activeElement?.getAttribute('aria-label')?.startsWith('Cancel job') ?? false,
      );
    }
    expect(onCancel).toBe(true);
    console.log(`[e2e] Tab presses to the first row's Cancel with ${QUEUES} queues: ${presses}`);
    expect(presses).toBeLessThan(40);
  });

  it('/queues: 20 a page, searchable by name, paged by links', async () => {
    const page = await stack.context.newPage();
    await page.goto(`${stack.url}/queues`);
    const cards = page.locator('ul[aria-label="Queues"] > li');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(20);
    await page.getByText('Showing 1–20 of 300 queues').waitFor();
    expect(await cards.first().getAttribute('data-queue')).toBe('many-0');
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.getByText('Showing 21–40 of 300 queues').waitFor();
    expect(await cards.first().getAttribute('data-queue')).toBe('many-20');
    await page.getByLabel('Search queues by name').fill('many-29');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('Showing 1–11 of 11 queues matching "many-29" (300 in all)').waitFor();
    expect(await cards.count()).toBe(11);
    const bytes = (await page.content()).length;
    expect(bytes).toBeLessThan(1_000_000);
    await stack.screenshot(page, 'many-queues-search');
  });
});
