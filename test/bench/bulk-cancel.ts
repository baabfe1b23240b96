import { and, count, eq, sql } from 'drizzle-orm';
import { requestBulkSignals } from '../../app/requests/request-bulk';
import { requestSignal } from '../../app/requests/request-signal';
import { jobSignals } from '../../db/schema';
import { SIGNAL_CHANNEL, SIGNAL_EVENTS_CHANNEL } from '../../db/vocabulary';
import type { BenchEnv } from './bench-env';
import { WorkerChild } from './children';
import { type BenchResult, result } from './report';
import { nowMs, round, sleep } from './stats';

const TARGETS = 10_000;
const OTHERS = 10_000;
const TARGET_NAME = 'send-invoice';
const OTHER_NAMES = ['sync-crm', 'render-pdf'];
/** Requests in flight at once for the one-request-per-job baseline. */
const BASELINE_CONCURRENCY = 16;

interface Outcome {
  /** From the request's start to the last target job removed and every signal completed. */
  ms: number;
  /** How long the request call itself took. */
  requestMs: number;
  completed: number;
  notifications: number;
  events: number;
}

/** Queues TARGETS jobs named TARGET_NAME among OTHERS of other names; returns the targets' ids. */
async function queueJobs(env: BenchEnv, queue: string): Promise<string[]> {
  const q = env.queues.get(queue);
  const targets: string[] = [];
  const total = TARGETS + OTHERS;
  for (let i = 0; i < total; i += 1000) {
    const jobs = await q.addBulk(
      Array.from({ length: Math.min(1000, total - i) }, (_, j) => {
        const n = i + j;
        const name = n % 2 === 0 ? TARGET_NAME : (OTHER_NAMES[n % 4 === 1 ? 0 : 1] as string);
        return { name, data: { n } };
      }),
    );
    for (const job of jobs) if (job.name === TARGET_NAME) targets.push(String(job.id));
  }
  return targets;
}

async function signalCounts(env: BenchEnv, queue: string) {
  const [row] = await env.handle.db
    .select({
      total: count(),
      open: sql<number>`count(*) filter (where ${jobSignals.status} in ('pending', 'delivered'))::int`,
      completed: sql<number>`count(*) filter (where ${jobSignals.status} = 'completed')::int`,
    })
    .from(jobSignals)
    .where(and(eq(jobSignals.queue, queue), eq(jobSignals.signal, 'cancel')));
  return { total: row?.total ?? 0, open: row?.open ?? 0, completed: row?.completed ?? 0 };
}

async function measure(
  env: BenchEnv,
  label: string,
  request: (queue: string, targets: string[]) => Promise<void>,
): Promise<Outcome> {
  const queue = env.newQueue(label);
  const q = env.queues.get(queue);
  const targets = await queueJobs(env, queue);
  // A worker process that serves the queue but runs no job: it acts on queued jobs' signals.
  const child = await WorkerChild.start({
    mode: 'idle',
    queue,
    concurrency: 1,
    databaseUrl: env.databaseUrl,
    pollMs: 2000,
  });
  const heard = { notifications: 0, events: 0 };
  const listeners = [
    await env.handle.sql.listen(SIGNAL_CHANNEL, () => void heard.notifications++),
    await env.handle.sql.listen(SIGNAL_EVENTS_CHANNEL, () => void heard.events++),
  ];
  try {
    const start = nowMs();
    await request(queue, targets);
    const requestMs = nowMs() - start;
    const until = Date.now() + 120_000;
    for (;;) {
      const c = await signalCounts(env, queue);
      if (c.total >= TARGETS && c.open === 0 && (await q.getWaitingCount()) === OTHERS) break;
      if (Date.now() > until)
        throw new Error(`bulk cancel (${label}) did not finish: ${JSON.stringify(c)}`);
      await sleep(20);
    }
    const ms = nowMs() - start;
    await sleep(200); // let the last notifications arrive before counting
    const { completed } = await signalCounts(env, queue);
    return { ms, requestMs, completed, ...heard };
  } finally {
    await Promise.all(listeners.map((l) => l.unlisten()));
    await child.close();
    await env.dropQueue(queue);
  }
}

/** 4. Bulk cancel of every queued job of one name, against one request per job. */
export async function benchBulkCancel(env: BenchEnv): Promise<BenchResult> {
  const ours = await measure(env, 'bulk', async (queue) => {
    const r = await requestBulkSignals(env.deps, {
      queue,
      signal: 'cancel',
      requestedBy: 'bench',
      name: TARGET_NAME,
    });
    if (!r.ok || r.requested !== TARGETS) throw new Error(`bulk request: ${JSON.stringify(r)}`);
  });
  const baseline = await measure(env, 'bulk-one-by-one', async (queue, targets) => {
    let next = 0;
    const lane = async () => {
      while (next < targets.length) {
        const jobId = targets[next++] as string;
        const r = await requestSignal(env.deps, {
          queue,
          jobId,
          signal: 'cancel',
          requestedBy: 'bench',
        });
        if (!r.ok) throw new Error(`request for ${jobId}: ${r.error}`);
      }
    };
    await Promise.all(Array.from({ length: BASELINE_CONCURRENCY }, lane));
  });
  return result({
    name: 'bulk-cancel',
    ours: ours.ms,
    baseline: baseline.ms,
    unit: 'ms',
    runs: 1,
    notes:
      `cancel every queued '${TARGET_NAME}' job (${TARGETS.toLocaleString('en')}) among ${(TARGETS + OTHERS).toLocaleString('en')} waiting jobs, one idle worker process acting on them; ` +
      `time from the request to the last job removed and every signal completed (checked every 20 ms). ` +
      `ours: requestBulkSignals by name (request ${round(ours.requestMs)} ms), ${ours.completed} signals completed, ` +
      `${ours.notifications} notifications on ${SIGNAL_CHANNEL} (+${ours.events} on ${SIGNAL_EVENTS_CHANNEL}); ` +
      `baseline: one requestSignal per job, ${BASELINE_CONCURRENCY} in flight (requests ${round(baseline.requestMs)} ms), ${baseline.completed} completed, ` +
      `${baseline.notifications} notifications on ${SIGNAL_CHANNEL} (+${baseline.events} on ${SIGNAL_EVENTS_CHANNEL})`,
  });
}
