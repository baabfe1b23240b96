import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getDb } from '../db/client';
import { ensureDemoAdmin } from './demo-admin';
import { PreflightError, preflight } from './preflight';

/**
 * `npm run demo`: migrates, builds the dashboard if the build is missing or
 * older than the sources, then runs the dashboard (production mode), the sample
 * workers and a feeder of sample jobs. One Ctrl-C stops all of them.
 */
const root = process.cwd();
const port = process.env.PORT || '3000';
const distDir = process.env.NEXT_DIST_DIR || '.next';
const SOURCES = ['app', 'components', 'db', 'worker', 'next.config.js', 'package.json'];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, f) => Math.max(m, newest(join(path, f))), s.mtimeMs);
}

function buildIsStale(): boolean {
  const id = join(root, distDir, 'BUILD_ID');
  if (!existsSync(id)) return true;
  return SOURCES.some((s) => newest(join(root, s)) > statSync(id).mtimeMs);
}

const children: ChildProcess[] = [];

function run(label: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own: the terminal's Ctrl-C reaches only this script,
    // which then stops each child once (the workers hand their jobs back first).
    detached: true,
  });
  const prefix = `[${label}]`.padEnd(10);
  const pipe = (stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) => {
    let buf = '';
    stream?.on('data', (d) => {
      buf += String(d);
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) out.write(`${prefix} ${l}\n`);
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  children.push(child);
  return child;
}

function waitExit(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

let stopping = false;
const killAll = () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
};

async function stopAll(code: number): Promise<void> {
  if (stopping) {
    // A second Ctrl-C: do not wait for running jobs to reach a checkpoint.
    console.log('stopping now.');
    killAll();
    process.exit(code || 1);
  }
  stopping = true;
  console.log('\nstopping the dashboard, the workers and the feeder (Ctrl-C again to force)…');
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  const timer = setTimeout(killAll, 30_000);
  await Promise.all(children.map(waitExit));
  clearTimeout(timer);
  console.log('all stopped.');
  process.exit(code);
}

async function main() {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  // Children live in process groups of their own: never leave them behind.
  process.on('exit', killAll);
  console.log('checking PostgreSQL and Redis, applying migrations…');
  await preflight();
  const admin = await ensureDemoAdmin();
  await getDb().sql.end({ timeout: 2 });
  const next = join(root, 'node_modules/next/dist/bin/next');
  if (buildIsStale()) {
    console.log('building the dashboard (production build, once)…');
    const code = await waitExit(run('build', [next, 'build']));
    if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
    children.length = 0;
  }
  const tsx = ['--import', 'tsx'];
  const web = run('web', [next, 'start', '-p', port]);
  run('workers', [...tsx, 'worker/samples/run.ts']);
  run('feeder', [...tsx, 'worker/samples/enqueue.ts', '--count', '2', '--feed', '5']);
  for (const c of children) {
    c.once('exit', (code) => {
      if (!stopping) {
        console.error(`a demo process exited (code ${code}); stopping the rest`);
        void stopAll(1);
      }
    });
  }
  await new Promise((r) => setTimeout(r, 1500));
  if (web.exitCode === null) {
    console.log(
      `\n  Signal Desk is running: http://localhost:${port}/jobs\n` +
        `  Sign in as ${admin.email} with password ${admin.password}\n` +
        '  Press Ctrl-C to stop everything.\n',
    );
  }
}

main().catch((err) => {
  console.error(err instanceof PreflightError ? `\n${err.message}\n` : err);
  void stopAll(1);
});
