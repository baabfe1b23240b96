import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const NEXT_BIN = join(ROOT, 'node_modules/next/dist/bin/next');
/** The browser tests' own build folder, apart from `next build` runs of people and the demo. */
export const E2E_DIST_DIR = '.next-e2e';

const SOURCES = [
  'app',
  'components',
  'db',
  'worker',
  'proxy.ts',
  'instrumentation.ts',
  'next.config.js',
  'package.json',
  'postcss.config.mjs',
];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, f) => Math.max(m, newest(join(path, f))), s.mtimeMs);
}

/** True when there is no build, or a source changed after it (E2E_REBUILD=1 forces one). */
export function buildIsStale(distDir = E2E_DIST_DIR): boolean {
  if (process.env.E2E_REBUILD === '1') return true;
  const id = join(ROOT, distDir, 'BUILD_ID');
  if (!existsSync(id)) return true;
  const built = statSync(id).mtimeMs;
  return SOURCES.some((s) => newest(join(ROOT, s)) > built);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A lock folder, so two test runs on one checkout never build into the same folder at once. */
async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(ROOT, name);
  const until = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than ten minutes belongs to a run that died.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 10 * 60_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > until) throw new Error(`waited 10 minutes for ${name}`);
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Builds the dashboard into E2E_DIST_DIR when it is missing or stale. The type
 * check is skipped (CI's `npm run check` does it). `next build` adds its dist
 * folder's type globs to tsconfig.json; the file is put back as it was.
 */
export async function ensureBuild(distDir = E2E_DIST_DIR): Promise<void> {
  if (!buildIsStale(distDir)) return;
  await withLock(`${distDir}.lock`, async () => {
    if (!buildIsStale(distDir)) return; // another run built it while we waited
    const tsconfigPath = join(ROOT, 'tsconfig.json');
    const tsconfig = readFileSync(tsconfigPath, 'utf8');
    const started = Date.now();
    try {
      const out: string[] = [];
      const code = await new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [NEXT_BIN, 'build'], {
          cwd: ROOT,
          env: {
            ...process.env,
            NODE_ENV: 'production',
            NEXT_DIST_DIR: distDir,
            NEXT_IGNORE_TYPE_ERRORS: '1',
            NEXT_TELEMETRY_DISABLED: '1',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child.stdout.on('data', (d) => out.push(String(d)));
        child.stderr.on('data', (d) => out.push(String(d)));
        child.on('exit', (c) => resolve(c ?? 1));
      });
      if (code !== 0)
        throw new Error(`next build failed (exit ${code}):\n${out.join('').slice(-4000)}`);
      console.log(`[e2e] built ${distDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      if (readFileSync(tsconfigPath, 'utf8') !== tsconfig) writeFileSync(tsconfigPath, tsconfig);
    }
  });
}
