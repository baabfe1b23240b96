import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { nowMs } from './stats';

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export interface Running {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    live.delete(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
}

/**
 * A Redis of the benchmark's own on a spare port (no persistence): `INFO
 * commandstats` then counts our commands and nobody else's.
 */
export async function startRedis(): Promise<Running> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  live.add(child);
  const url = `redis://127.0.0.1:${port}`;
  const until = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
    probe.on('error', () => {});
    const up = await probe.connect().then(
      () => probe.ping().then(() => true),
      () => false,
    );
    probe.disconnect();
    if (up) break;
    if (Date.now() > until) throw new Error(`redis-server on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop: stopper(child) };
}

/** test/bench/api-server.ts in a child process; resolves once it listens. */
export async function startApiServer(env: Record<string, string>): Promise<Running> {
  const script = fileURLToPath(new URL('./api-server.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    [
      '--import',
      fileURLToPath(new URL('./server-only-hook.mjs', import.meta.url)),
      '--import',
      'tsx',
      script,
    ],
    {
      env: { ...process.env, NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  live.add(child);
  let errors = '';
  child.stderr?.on('data', (d) => {
    errors = (errors + String(d)).slice(-4000);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`api server not ready: ${errors}`)), 30_000);
    child.stdout?.on('data', (d) => {
      const m = /listening (\d+)/.exec(String(d));
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`api server exited with ${code}: ${errors}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, stop: stopper(child) };
}

/** Milliseconds to the last byte of one GET (the body is read and checked). */
export async function timeGet(url: string, headers: Record<string, string> = {}): Promise<number> {
  const t = nowMs();
  const res = await fetch(url, { headers });
  const body = await res.arrayBuffer();
  if (!res.ok)
    throw new Error(`${url}: ${res.status} ${Buffer.from(body).toString().slice(0, 300)}`);
  return nowMs() - t;
}

/**
 * Redis time of the commands between `start()` and `stop()`: INFO commandstats'
 * usec per command, diffed. Redis 7 counts a script's inner commands in
 * commandstats too (and in the script's own usec), so only top-level commands are
 * summed: the slow log (threshold 0) names them, and their usec sums to the same
 * time without counting a script twice.
 */
export async function redisTimer(client: Redis) {
  await client.config('SET', 'slowlog-log-slower-than', '0');
  await client.config('SET', 'slowlog-max-len', '1000000');
  return {
    async start(): Promise<void> {
      await client.slowlog('RESET');
    },
    /** Microseconds and number of top-level commands since `start()`. */
    async stop(): Promise<{ usec: number; commands: number; byCommand: Map<string, number> }> {
      const entries = (await client.slowlog('GET', -1)) as [number, number, number, string[]][];
      const byCommand = new Map<string, number>();
      let usec = 0;
      let commands = 0;
      for (const [, , micros, args] of entries) {
        const name = String(args[0] ?? '').toLowerCase();
        if (name === 'slowlog' || name === 'config' || name === 'info') continue;
        usec += micros;
        commands++;
        byCommand.set(name, (byCommand.get(name) ?? 0) + micros);
      }
      return { usec, commands, byCommand };
    },
  };
}
