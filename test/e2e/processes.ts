import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { E2E_DIST_DIR, NEXT_BIN, ROOT } from './build';

export const OUTPUT_DIR = join(ROOT, 'test-results/e2e');

export interface Running {
  pid: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a node process whose output goes to test-results/e2e/logs/<label>.log. */
function start(label: string, args: string[], env: Record<string, string>): ChildProcess {
  mkdirSync(join(OUTPUT_DIR, 'logs'), { recursive: true });
  const log = createWriteStream(join(OUTPUT_DIR, 'logs', `${label}.log`));
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.on('exit', () => log.end());
  return child;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
}

/** `next start` of the e2e build on a free port; resolves once it answers HTTP. */
export async function startServer(
  label: string,
  env: Record<string, string>,
): Promise<Running & { url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = start(label, [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    NODE_ENV: 'production',
    NEXT_DIST_DIR: E2E_DIST_DIR,
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: String(port),
    BETTER_AUTH_URL: url,
    ...env,
  });
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(
        `next start (${label}) exited with ${child.exitCode}; see test-results/e2e/logs/${label}.log`,
      );
    const ok = await fetch(`${url}/sign-in`, { redirect: 'manual' }).then(
      () => true,
      () => false,
    );
    if (ok) return { pid: child.pid as number, url, stop: stopper(child) };
    await sleep(100);
  }
  await stopper(child)();
  throw new Error(`next start (${label}) did not answer within 30 s`);
}

/** The e2e worker fixture serving `queues`; resolves once it prints "ready". */
export async function startWorker(
  label: string,
  queues: string[],
  env: Record<string, string>,
): Promise<Running> {
  const child = start(label, ['--import', 'tsx', join(ROOT, 'test/fixtures/e2e-worker.ts')], {
    E2E_QUEUES: queues.join(','),
    SIGNAL_POLL_MS: '500',
    ...env,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${label} not ready in 20 s`)), 20_000);
    child.stdout?.on('data', (d) => {
      if (String(d).includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`worker ${label} exited with ${code}; see test-results/e2e/logs/${label}.log`),
      );
    });
  });
  return { pid: child.pid as number, stop: stopper(child) };
}
