/**
 * Browser-test harness: a production build of the dashboard started by the test,
 * real Signal Desk workers, Debian's Chromium through playwright-core.
 *
 * - PostgreSQL: the per-run database of test/global-setup.ts (DATABASE_URL).
 * - Redis: a BullMQ prefix of its own per stack (`e2e-<random>`); its keys are
 *   deleted (SCAN + UNLINK of that prefix only) when the stack stops.
 * - Who is signed in: the dashboard's trusted-proxy mode. The browser sends the
 *   user's email in a header, as an SSO proxy would; the role is the stack's.
 *
 * @example
 * const stack = await startStack({ workerQueues: ['reports'] });
 * const page = await stack.context.newPage();
 * await page.goto(`${stack.url}/signals`);
 * await stack.screenshot(page, 'signals-page');
 * await stack.stop();
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { QueueRegistry } from '../../app/bullmq/queue-registry';
import { type DbHandle, openDb } from '../../db/client';
import type { Role } from '../../db/vocabulary';
import { producerConnection } from '../../worker/config';
import { ensureBuild } from './build';
import { OUTPUT_DIR, type Running, startServer, startWorker } from './processes';

export { OUTPUT_DIR } from './processes';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const USER_HEADER = 'x-e2e-user';

export interface StackOptions {
  /** Queues the e2e worker (test/fixtures/e2e-worker.ts) serves; none: no worker. */
  workerQueues?: string[];
  /** The signed-in user's role (default support) and email. */
  role?: Role;
  email?: string;
  /** Extra environment for the dashboard. */
  env?: Record<string, string>;
  colorScheme?: 'light' | 'dark';
}

export interface Stack {
  url: string;
  prefix: string;
  email: string;
  /** Producer access to the stack's queues (its own prefix), for adding jobs. */
  queues: QueueRegistry;
  db: DbHandle['db'];
  context: BrowserContext;
  /** Saves a full-page PNG under test-results/e2e/ and returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  /** The dashboard's environment, for starting another server against the same data. */
  serverEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** Launches Chromium with a fresh profile; `headers` go with every request. */
export async function launchBrowser(
  headers: Record<string, string> = {},
  colorScheme: 'light' | 'dark' = 'light',
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'signal-desk-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    colorScheme,
    extraHTTPHeaders: headers,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Deletes every key of one BullMQ prefix, and nothing else. */
export async function deletePrefix(registry: QueueRegistry, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await registry.connection.scan(
      cursor,
      'MATCH',
      `${prefix}:*`,
      'COUNT',
      1000,
    );
    cursor = next;
    if (keys.length > 0) await registry.connection.unlink(...keys);
  } while (cursor !== '0');
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl)
    throw new Error('DATABASE_URL is not set: run through vitest (test/global-setup.ts)');
  await ensureBuild();
  const prefix = `e2e-${randomBytes(4).toString('hex')}`;
  const email = options.email ?? 'e2e-support@example.com';
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const shared = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    BULLMQ_PREFIX: prefix,
  };
  const serverEnv = {
    ...shared,
    BETTER_AUTH_SECRET: randomBytes(24).toString('hex'),
    SIGNAL_DESK_PROXY_HEADER: USER_HEADER,
    SIGNAL_DESK_PROXY_DEFAULT_ROLE: options.role ?? 'support',
    ...options.env,
  };
  const handle = openDb(databaseUrl, { max: 2 });
  const queues = new QueueRegistry(producerConnection(redisUrl), prefix, true);
  const running: Running[] = [];
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  const stop = async () => {
    await browser?.close();
    await Promise.allSettled(running.reverse().map((r) => r.stop()));
    await deletePrefix(queues, prefix).catch(() => {});
    await queues.close();
    await handle.sql.end({ timeout: 2 });
  };
  try {
    // Both start at once; whichever starts is stopped again if the other fails.
    const [server, worker] = await Promise.allSettled([
      startServer('dashboard', serverEnv).then((s) => {
        running.push(s);
        return s;
      }),
      options.workerQueues?.length
        ? startWorker('worker', options.workerQueues, shared).then((w) => running.push(w))
        : Promise.resolve(0),
    ]);
    if (worker.status === 'rejected') throw worker.reason;
    if (server.status === 'rejected') throw server.reason;
    browser = await launchBrowser({ [USER_HEADER]: email }, options.colorScheme);
    return {
      url: server.value.url,
      prefix,
      email,
      queues,
      db: handle.db,
      context: browser.context,
      screenshot,
      serverEnv,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
