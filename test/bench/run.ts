/**
 * `npm run bench [-- --json FILE] [-- --only checkpoint,throughput]`
 *
 * Runs every benchmark against the local PostgreSQL and Redis, each beside its
 * baseline in the same run, and prints one table. Benchmarks measure; they
 * assert nothing about time.
 */
import { loadavg } from 'node:os';
import { type BenchEnv, openBenchEnv } from './bench-env';
import { benchBulkCancel } from './bulk-cancel';
import { benchCheckpoint } from './checkpoint';
import { benchClickToStop } from './click-to-stop';
import { benchFanout } from './fanout';
import { benchHistory } from './history';
import { benchJobsPage100k } from './jobs-page-100k';
import { type BenchResult, describeMachine, formatNotes, formatTable, writeJson } from './report';
import { benchSignals1m } from './signals-1m';
import { benchThroughput } from './throughput';

interface Suite {
  /** The result names it produces (for --only). */
  names: string[];
  run(env: BenchEnv): Promise<BenchResult[]>;
}

const SUITES: Suite[] = [
  { names: ['checkpoint'], run: async (env) => [await benchCheckpoint(env)] },
  {
    names: [
      'click-to-stop-1',
      'click-to-stop-500',
      'click-to-stop-poll',
      'pause-to-parked',
      'sql-insert-to-stop',
    ],
    run: benchClickToStop,
  },
  { names: ['throughput'], run: async (env) => [await benchThroughput(env)] },
  { names: ['bulk-cancel'], run: async (env) => [await benchBulkCancel(env)] },
  { names: ['signal-request-1m', 'job-history-1m'], run: benchHistory },
  { names: ['fanout'], run: async (env) => [await benchFanout(env)] },
  { names: ['jobs-page-100k'], run: benchJobsPage100k },
  { names: ['signals-page-1m', 'export-1m'], run: benchSignals1m },
];

function parseArgs(argv: string[]): { json?: string; only?: Set<string> } {
  const out: { json?: string; only?: Set<string> } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if ((arg === '--json' || arg === '--only') && (!value || value.startsWith('--'))) {
      throw new Error(`${arg} needs a value`);
    }
    if (arg === '--json') out.json = value;
    else if (arg === '--only') out.only = new Set(value?.split(','));
    else throw new Error(`unknown argument ${arg}; use --json FILE and/or --only NAME[,NAME]`);
    i++;
  }
  return out;
}

const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Set when Ctrl-C, SIGTERM or a stray error tears the run down; cleanup then owns the exit. */
let stopping = false;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const { env, close } = await openBenchEnv();
  const abort = (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${why}: cleaning up (worker processes, queues, databases)…`);
    close().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => abort('SIGINT', 130));
  process.once('SIGTERM', () => abort('SIGTERM', 143));
  process.on('unhandledRejection', (err) => {
    // While tearing down, queries of the interrupted benchmark fail by design.
    if (stopping) return;
    console.error(err);
    abort('unexpected error', 1);
  });
  try {
    const machine = await describeMachine(env.handle.sql, env.queues.connection);
    console.error(
      `machine: ${machine.cpus} cpus, ${machine.memory}, node ${machine.node}, ` +
        `postgres ${machine.postgres}, redis ${machine.redis}; load average ${loadAverage()}`,
    );
    const results: BenchResult[] = [];
    for (const suite of SUITES) {
      if (args.only && !suite.names.some((n) => args.only?.has(n))) continue;
      const t = Date.now();
      console.error(`running ${suite.names.join(', ')}…`);
      results.push(...(await suite.run(env)));
      console.error(`  done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    console.log(formatTable(results));
    console.log('\nratio: how many times better ours is than the baseline (> 1: ours wins)\n');
    console.log(formatNotes(results));
    console.log(
      `\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s; load average at the end ${loadAverage()}`,
    );
    if (args.json) await writeJson(args.json, machine, results);
  } finally {
    if (!stopping) await close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (stopping) return;
    console.error(err);
    process.exit(1);
  },
);
