import type { Page } from 'playwright-core';

/** A marker that a reload would wipe: proves the page changed by itself. */
export const markPage = (page: Page) =>
  page.evaluate(() => Object.assign(window, { __e2eNoReload: true }));
export const stillSamePage = (page: Page) =>
  page.evaluate(() => (window as unknown as { __e2eNoReload?: boolean }).__e2eNoReload === true);

/** Closes the result toasts, so a screenshot shows what is under them. */
export async function clearToasts(page: Page) {
  for (let i = 0; i < 6 && (await page.locator('[data-sonner-toast]').count()) > 0; i++) {
    await page
      .locator('[data-sonner-toast] [data-close-button]')
      .first()
      .click({ force: true })
      .catch(() => {});
    await page.waitForTimeout(150);
  }
}

export const row = (page: Page, queue: string, id: string, state?: string) =>
  page.locator(`tr[data-job="${queue}:${id}"]${state ? `[data-job-state="${state}"]` : ''}`);

export async function waitUntil(fn: () => Promise<boolean>, what: string, ms = 15_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
