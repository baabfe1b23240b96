// Throwaway PostgreSQL, Redis and pgbouncer servers for the fault tests: each on a
// spare port, in its own temporary folder, stopped and removed by `stop()` (and, as
// a last resort, when the test process exits). The machine's shared servers are
// never touched.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PG_BIN = '/usr/lib/postgresql/15/bin';
const PG_USER = 'postgres';

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on the port; rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
      s.connect(port, '127.0.0.1');
    });
    if (open) return;
    if (Date.now() > until)
      throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A temporary folder owned by the postgres user (initdb and pgbouncer run as that user). */
function postgresOwnedDir(label: string): string {
  const dir = mkdtempSync(`/tmp/signal-desk-${label}-`);
  chmodSync(dir, 0o700);
  const uid = Number(execFileSync('id', ['-u', PG_USER], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', PG_USER], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
  return dir;
}

function asPostgres(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run('runuser', ['-u', PG_USER, '--', cmd, ...args], { timeout: 60_000 });
}

/** Cleanups of every server not yet stopped for good, run synchronously if the test process exits early. */
const leftovers = new Set<() => void>();
process.once('exit', () => {
  for (const stop of leftovers) {
    try {
      stop();
    } catch {
      // Best effort: the process is going away.
    }
  }
});

export interface ThrowawayPostgres {
  port: number;
  dir: string;
  /** URL of `database` on this server (default `signal_desk`). */
  url(database?: string): string;
  /** Stops the server: `fast` disconnects clients cleanly, `immediate` is a crash. */
  halt(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  stop(): Promise<void>;
}

/**
 * A PostgreSQL 15 of its own (initdb in a temporary folder, trust auth, fsync off),
 * with any further server `settings` (e.g. `{ max_connections: '600' }`).
 */
export async function startPostgres(
  settings: Record<string, string> = {},
): Promise<ThrowawayPostgres> {
  const port = await freePort();
  const dir = postgresOwnedDir('pg');
  const data = join(dir, 'data');
  const opts = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c full_page_writes=off',
    ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`),
  ].join(' ');
  let running = false;
  const stopSync = () => {
    if (running)
      execFileSync('runuser', [
        '-u',
        PG_USER,
        '--',
        `${PG_BIN}/pg_ctl`,
        '-D',
        data,
        '-m',
        'immediate',
        'stop',
      ]);
    rmSync(dir, { recursive: true, force: true });
  };
  const pg: ThrowawayPostgres = {
    port,
    dir,
    url: (database = 'signal_desk') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async halt(mode = 'fast') {
      await asPostgres(`${PG_BIN}/pg_ctl`, ['-D', data, '-m', mode, '-w', 'stop']);
      running = false;
    },
    async start() {
      running = true; // also if pg_ctl gives up waiting: stop() must still try
      await asPostgres(`${PG_BIN}/pg_ctl`, [
        '-D',
        data,
        '-l',
        join(dir, 'server.log'),
        '-w',
        '-t',
        '30',
        '-o',
        opts,
        'start',
      ]);
    },
    async stop() {
      if (running) await pg.halt('immediate').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
      leftovers.delete(stopSync);
    },
  };
  leftovers.add(stopSync);
  await asPostgres(`${PG_BIN}/initdb`, [
    '-D',
    data,
    '-U',
    PG_USER,
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  await pg.start();
  return pg;
}

export interface ThrowawayRedis {
  port: number;
  url: string;
  /** Kills the server with SIGKILL (a crash): only what the append-only file holds survives. */
  crash(): Promise<void>;
  /** Starts it again on the same port, loading the append-only file. */
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  stop(): Promise<void>;
}

/**
 * A Redis of its own. With `durable` it keeps an append-only file synced on every
 * write, as a production Redis behind BullMQ should, so a crash loses nothing that
 * was acknowledged.
 */
export async function startRedis(opts: { durable?: boolean } = {}): Promise<ThrowawayRedis> {
  const port = await freePort();
  const dir = mkdtempSync('/tmp/signal-desk-redis-');
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    ...(opts.durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
  ];
  let proc: ChildProcess | undefined;
  const killSync = () => {
    proc?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const redis: ThrowawayRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async crash() {
      const p = proc;
      if (!p || p.exitCode !== null) return;
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGKILL');
      await exited;
      proc = undefined;
    },
    async start() {
      proc = spawn('redis-server', args, { stdio: 'ignore' });
      await waitForPort(port);
      // Accepting connections is not yet serving: wait until the data set is loaded.
      const until = Date.now() + 15_000;
      for (;;) {
        const { stdout } = await run('redis-cli', ['-p', String(port), 'ping']).catch(() => ({
          stdout: '',
        }));
        if (stdout.trim() === 'PONG') break;
        if (Date.now() > until) throw new Error(`Redis on port ${port} does not answer PING`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop() {
      await redis.crash();
      rmSync(dir, { recursive: true, force: true });
      leftovers.delete(killSync);
    },
  };
  leftovers.add(killSync);
  await redis.start();
  return redis;
}

export interface ThrowawayPgbouncer {
  port: number;
  /** URL of `database` through pgbouncer. */
  url(database?: string): string;
  /** Runs an admin-console command (`SHOW CLIENTS`, …) and returns its rows. */
  admin(command: string): Promise<Record<string, string>[]>;
  stop(): Promise<void>;
}

/** Whether the pgbouncer binary is installed (`apt-get install -y pgbouncer`). */
export function pgbouncerPath(): string | undefined {
  return ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => existsSync(p));
}

/** pgbouncer in transaction pooling mode in front of `pg`, on a spare port. */
export async function startPgbouncer(
  pg: ThrowawayPostgres,
  opts: { poolSize?: number } = {},
): Promise<ThrowawayPgbouncer> {
  const bin = pgbouncerPath();
  if (!bin) throw new Error('pgbouncer is not installed');
  const port = await freePort();
  const dir = postgresOwnedDir('pgbouncer');
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=127.0.0.1 port=${pg.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'admin_users = postgres',
      'pool_mode = transaction',
      `default_pool_size = ${opts.poolSize ?? 2}`,
      'max_client_conn = 200',
      'ignore_startup_parameters = extra_float_digits',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'userlist.txt'), '"postgres" ""\n');
  const uid = Number(execFileSync('id', ['-u', PG_USER], { encoding: 'utf8' }).trim());
  for (const f of ['pgbouncer.ini', 'userlist.txt']) chownSync(join(dir, f), uid, -1);
  // Started as root, pgbouncer drops to the postgres user itself (-u), so the pid is its own.
  const proc = spawn(bin, ['-u', PG_USER, ini], { stdio: 'ignore' });
  const killSync = () => {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  leftovers.add(killSync);
  await waitForPort(port);
  return {
    port,
    url: (database = 'signal_desk') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async admin(command) {
      const { stdout } = await run('psql', [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        'pgbouncer',
        '-A',
        '-F',
        '\t',
        '-P',
        'footer=off',
        '-c',
        command,
      ]);
      const [head, ...lines] = stdout.trim().split('\n');
      const cols = (head ?? '').split('\t');
      return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
    },
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
      leftovers.delete(killSync);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
