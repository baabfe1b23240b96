import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { startPostgres, type ThrowawayPostgres } from '../faults/services';
import type { BenchEnv } from './bench-env';
import { WorkerChild } from './children';
import { closeLane, type Lane, openLane, settle, untilRunning } from './lanes';
import { type BenchResult, result } from './report';
import { describeLatency, round, summarize } from './stats';
import { clickSamples, SPIN_JOB, SPIN_OPTIONS } from './stop-latency';

/** Watchers listening, all together (the one that serves the signalled queue included). */
const SIZES = [1, 10, 50, 200];
/** The other watchers are spread over this many processes. */
const PROCESSES = 4;
const SIGNALS = 100;
const WARMUP = 10;
const RUNNING = 100;
const MEAN_GAP_MS = 25;
/** Polls are off in effect: only notifications drive the reads measured here. */
const POLL_MS = 600_000;

interface SizeFigure {
  watchers: number;
  statementsPerSignal: number;
  notificationsPerSignal: number;
  latency: ReturnType<typeof summarize>;
  /** CPU time of the PostgreSQL server's processes per signal, ms. */
  pgCpuMs: number;
  connections: number;
}

/** CPU time (user + system) of every process of the server, ms, from /proc. */
function serverCpuMs(pg: ThrowawayPostgres): number {
  const pid = Number(readFileSync(join(pg.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  const read = (p: number) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += ((Number(f[11]) + Number(f[12])) / tick) * 1000;
    } catch {
      // gone meanwhile
    }
  };
  read(pid);
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
  for (const c of children) if (c) read(Number(c));
  return total;
}

/**
 * One size: the serving process (createSignalWorker, RUNNING jobs that checkpoint)
 * plus `size - 1` bare watchers over PROCESSES processes, each serving a queue of
 * its own; SIGNALS cancels, by bare SQL insert, on the serving queue.
 */
async function measureSize(
  env: BenchEnv,
  pg: ThrowawayPostgres,
  size: number,
  notifyRead: 'changes' | 'all',
): Promise<SizeFigure> {
  const lane: Lane = await openLane(env, `fanout-${size}-${notifyRead}`, {
    mode: 'signal',
    processes: 1,
    concurrency: RUNNING,
    pollMs: POLL_MS,
    notifyRead,
  });
  const others: WorkerChild[] = [];
  const q = env.queues.get(lane.queue);
  try {
    const rest = Array.from({ length: size - 1 }, (_, i) => env.newQueue(`fanout-other-${i}`));
    const per = Math.ceil(rest.length / PROCESSES);
    for (let i = 0; i < rest.length; i += per) {
      others.push(
        await WorkerChild.start({
          mode: 'watchers',
          queue: lane.queue,
          concurrency: 1,
          databaseUrl: env.databaseUrl,
          pollMs: POLL_MS,
          notifyRead,
          watcherQueues: rest.slice(i, i + per),
        }),
      );
    }
    lane.tracker.onStop = () => {
      q.add(SPIN_JOB, {}, SPIN_OPTIONS).catch((err) => console.error(`replacement job: ${err}`));
    };
    await q.addBulk(
      Array.from({ length: RUNNING }, () => ({ name: SPIN_JOB, data: {}, opts: SPIN_OPTIONS })),
    );
    await untilRunning(lane, RUNNING);
    await clickSamples(env, lane, 'cancel', 'plain', WARMUP, MEAN_GAP_MS);
    await settle(env, lane, RUNNING);
    const all = [...lane.children, ...others];
    await Promise.all(all.map((c) => c.stats()));
    const cpuFrom = serverCpuMs(pg);
    const samples = await clickSamples(env, lane, 'cancel', 'plain', SIGNALS, MEAN_GAP_MS);
    await settle(env, lane, RUNNING);
    const pgCpuMs = (serverCpuMs(pg) - cpuFrom) / SIGNALS;
    const stats = await Promise.all(all.map((c) => c.stats()));
    const [{ n }] = (await env.handle
      .sql`select count(*)::int as n from pg_stat_activity`) as unknown as [{ n: number }];
    return {
      watchers: size,
      statementsPerSignal: stats.reduce((t, s) => t + s.readStatements, 0) / SIGNALS,
      notificationsPerSignal: stats.reduce((t, s) => t + s.notifications, 0) / SIGNALS,
      latency: summarize(samples.map((s) => s.ms)),
      pgCpuMs,
      connections: n,
    };
  } finally {
    await Promise.all(others.map((c) => c.close()));
    await closeLane(env, lane);
  }
}

const describe = (f: SizeFigure) =>
  `${f.watchers} watchers: ${round(f.statementsPerSignal)} read statements per signal (all watchers), ` +
  `${round(f.notificationsPerSignal)} notifications heard per signal, notification to act ${describeLatency(f.latency)}, ` +
  `PostgreSQL CPU ${round(f.pgCpuMs)} ms per signal, ${f.connections} connections`;

/**
 * 7. Fan-out: 1, 10, 50 and 200 watchers listening (each a worker process's
 * watcher, spread over a few processes), cancels for a queue that one of them
 * serves. Ours: read statements per signal across every watcher at 200; baseline:
 * the same 200 watchers re-reading every open signal on every notification (the
 * old delivery). On a PostgreSQL of its own with max_connections 1000 (200
 * watchers hold a LISTEN connection and up to 4 pool connections each; the
 * machine's server allows 100).
 */
export async function benchFanout(env: BenchEnv): Promise<BenchResult> {
  const pg = await startPostgres({ max_connections: '1000', shared_buffers: '64MB' });
  try {
    const url = pg.url('signal_desk');
    await migrateDatabase(url);
    const handle = openDb(url, { max: 10 });
    const local: BenchEnv = {
      ...env,
      databaseUrl: url,
      handle,
      deps: { ...env.deps, db: handle.db },
    };
    try {
      const sizes: SizeFigure[] = [];
      for (const size of SIZES) sizes.push(await measureSize(local, pg, size, 'changes'));
      const baseline = await measureSize(local, pg, 200, 'all');
      const at200 = sizes.at(-1) as SizeFigure;
      return result({
        name: 'fanout',
        ours: at200.statementsPerSignal,
        baseline: baseline.statementsPerSignal,
        unit: 'statements/signal',
        runs: SIGNALS,
        notes:
          `${SIGNALS} cancels by bare SQL insert (the trigger notifies), on ${RUNNING} running jobs of the one queue the serving process serves; every other watcher serves a queue of its own; polls off (${POLL_MS / 1000} s); ` +
          `ours (reads only what changed, only for its own queues): ${sizes.map(describe).join('; ')}; ` +
          `baseline (every watcher re-reads all open signals on every notification): ${describe(baseline)}`,
      });
    } finally {
      await handle.sql.end({ timeout: 2 });
    }
  } finally {
    await pg.stop();
  }
}
