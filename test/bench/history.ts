import { requestSignal } from '../../app/requests/request-signal';
import type { DbHandle } from '../../db/client';
import { jobHistory } from '../../db/job-signals';
import type { BenchEnv } from './bench-env';
import { fillJob, fillSignals, SIGNALS_PER_JOB } from './history-fill';
import { type BenchResult, result } from './report';
import { describeLatency, nowMs, round, type Summary, summarize } from './stats';

const BIG = 1_000_000;
const SMALL = 1_000;
const REQUESTS = 1_000;
const READS = 2_000;
const WARMUP = 20;

interface Side {
  handle: DbHandle;
  rows: number;
  requests: number[];
  reads: number[];
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = nowMs();
  await fn();
  return nowMs() - start;
}

/** The plan of jobHistory's query on the big table, as "Incremental Sort > Index Scan using …". */
async function planOf(handle: DbHandle): Promise<string> {
  const { queue, jobId } = fillJob(12_345);
  const rows = await handle.sql.unsafe(
    'explain select * from job_signals where queue = $1 and job_id = $2 order by created_at, id',
    [queue, jobId],
  );
  return rows
    .map((r) => String(Object.values(r)[0] ?? ''))
    .map((line) => /^\s*(?:->\s*)?(.+?)\s+\(cost/.exec(line)?.[1])
    .filter((node): node is string => Boolean(node))
    .join(' > ');
}

/**
 * 5. Signal history under load: requesting a signal and reading one job's history
 * with 1,000,000 rows, against the same on a 1,000-row table of the same shape.
 * The two tables live in two databases of this run; the operations alternate
 * between them so that noise hits both alike.
 */
export async function benchHistory(env: BenchEnv): Promise<BenchResult[]> {
  const queue = env.newQueue('history');
  const q = env.queues.get(queue);
  try {
    // Real queued jobs to request signals for (no worker serves this queue).
    const jobs = await q.addBulk(
      Array.from({ length: WARMUP + REQUESTS }, (_, i) => ({ name: 'report', data: { i } })),
    );
    const small: Side = {
      handle: await env.extraDatabase('small'),
      rows: SMALL,
      requests: [],
      reads: [],
    };
    const big: Side = {
      handle: await env.extraDatabase('big'),
      rows: BIG,
      requests: [],
      reads: [],
    };
    await fillSignals(small.handle.sql, SMALL);
    const fillMs = await fillSignals(big.handle.sql, BIG);
    const plan = await planOf(big.handle);

    const request = (side: Side, i: number) =>
      timed(async () => {
        const r = await requestSignal(
          { db: side.handle.db, queues: env.queues },
          { queue, jobId: String(jobs[i]?.id), signal: 'cancel', requestedBy: 'bench' },
        );
        if (!r.ok || !r.created) throw new Error(`request ${i}: ${JSON.stringify(r)}`);
      });
    const read = (side: Side) =>
      timed(async () => {
        const { queue: fq, jobId } = fillJob(
          Math.floor(Math.random() * (side.rows / SIGNALS_PER_JOB)),
        );
        const rows = await jobHistory(side.handle.db, fq, jobId);
        if (rows.length !== SIGNALS_PER_JOB)
          throw new Error(`history of ${fq}/${jobId}: ${rows.length} rows`);
      });

    for (let i = 0; i < WARMUP + Math.max(REQUESTS, READS); i++) {
      // Alternate which side goes first, so neither always runs on a warmer cache.
      const pair = i % 2 === 0 ? [small, big] : [big, small];
      for (const side of pair) {
        const r = i < WARMUP + REQUESTS ? await request(side, i) : undefined;
        const h = await read(side);
        if (i < WARMUP) continue;
        if (r !== undefined) side.requests.push(r);
        if (side.reads.length < READS) side.reads.push(h);
      }
    }
    return results(
      summarize(big.requests),
      summarize(small.requests),
      summarize(big.reads),
      summarize(small.reads),
      fillMs,
      plan,
    );
  } finally {
    await env.dropQueue(queue);
  }
}

function results(
  bigReq: Summary,
  smallReq: Summary,
  bigRead: Summary,
  smallRead: Summary,
  fillMs: number,
  plan: string,
): BenchResult[] {
  const table =
    `${BIG.toLocaleString('en')} rows (${(BIG / SIGNALS_PER_JOB).toLocaleString('en')} jobs in 100 queues, ${SIGNALS_PER_JOB} signals each, a year of created_at, 90 % completed; ` +
    `filled by one INSERT … SELECT generate_series + ANALYZE in ${round(fillMs / 1000)} s) vs ${SMALL.toLocaleString('en')} rows of the same shape, two databases of this run, operations alternating`;
  return [
    result({
      name: 'signal-request-1m',
      ours: bigReq.p99,
      baseline: smallReq.p99,
      unit: 'ms p99',
      runs: bigReq.count,
      notes:
        `requestSignal (cancel) for a queued job: Redis lookups, open-signal check, INSERT + pg_notify in one transaction; ` +
        `1M rows: ${describeLatency(bigReq)}; small table: ${describeLatency(smallReq)}; ${table}`,
    }),
    result({
      name: 'job-history-1m',
      ours: bigRead.p99,
      baseline: smallRead.p99,
      unit: 'ms p99',
      runs: bigRead.count,
      notes:
        `jobHistory of a random job (${SIGNALS_PER_JOB} rows), plan: ${plan}; ` +
        `1M rows: ${describeLatency(bigRead)}; small table: ${describeLatency(smallRead)}; ${table}`,
    }),
  ];
}
