import { loadavg } from 'node:os';
import type { BenchEnv } from './bench-env';
import { type Figure, type Load, type Measured, stopResults } from './click-to-stop-results';
import { closeLane, type Lane, maxClockOffset, openLane, settle, untilRunning } from './lanes';
import type { BenchResult } from './report';
import { nowMs, summarize } from './stats';
import {
  clickSamples,
  type Delivery,
  type Sample,
  SPIN_JOB,
  SPIN_OPTIONS,
  soloSample,
} from './stop-latency';

/** Requests measured per figure, after WARMUP requests that are not counted. */
const SAMPLES = 200;
const WARMUP = 10;
/**
 * Clicks on the 500 jobs before the first block, not counted: the first seconds
 * after 500 jobs start run the worker processes' event loops 3–5x later (p99 35–54
 * ms against 10–15 ms after), which made the first block's p99 ten times the last's.
 */
const WARMUP_MANY = 100;
const PROCESSES = 4;
const ACTIVE = 500;
/** Mean gap between clicks in the 500-job runs (same arrival process with and without notifications). */
const MEAN_GAP_MS = 25;
/** The product's default poll interval; the same in every worker process of these runs. */
const POLL_MS = 2000;

function figure(samples: Sample[], load?: Load): Figure {
  const part = (pick: (s: Sample) => number | undefined) => {
    const values = samples.flatMap((s) => pick(s) ?? []);
    return values.length > 0 ? summarize(values) : undefined;
  };
  return {
    latency: summarize(samples.map((s) => s.ms)),
    abort: part((s) => s.abortMs),
    cleanup: part((s) => s.cleanupMs),
    load,
  };
}

/** One job at a time: ours (cancel and pause) and the per-checkpoint SELECT baseline, interleaved. */
async function measureSolo(env: BenchEnv) {
  const solo = { processes: 1, concurrency: 1, pollMs: POLL_MS };
  const ours = await openLane(env, 'stop-solo', { mode: 'signal', ...solo });
  const base = await openLane(env, 'stop-solo-select', { mode: 'select', ...solo });
  try {
    const cancel: Sample[] = [];
    const select: Sample[] = [];
    const pause: Sample[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const c = await soloSample(env, ours, 'cancel', 'notify');
      const s = await soloSample(env, base, 'cancel', 'silent');
      const p = await soloSample(env, ours, 'pause', 'notify');
      if (i < WARMUP) continue;
      cancel.push(c);
      select.push(s);
      pause.push(p);
    }
    return {
      soloCancel: figure(cancel),
      soloSelect: figure(select),
      soloPause: figure(pause),
      clockOffset: await maxClockOffset([ours, base]),
      restarts: ours.tracker.restarts + base.tracker.restarts,
    };
  } finally {
    await closeLane(env, ours);
    await closeLane(env, base);
  }
}

interface Series {
  samples: Sample[];
  cpuMs: number;
  wallMs: number;
  loopP99: number;
  loadAvg: number;
  refreshes: number;
}

/** One block of clicks, with the worker processes' CPU and event-loop delay meanwhile. */
async function block(
  env: BenchEnv,
  lane: Lane,
  signal: Kind,
  delivery: Delivery,
  n: number,
  into: Series,
): Promise<void> {
  await settle(env, lane, ACTIVE);
  await Promise.all(lane.children.map((c) => c.stats()));
  const started = nowMs();
  into.samples.push(...(await clickSamples(env, lane, signal, delivery, n, MEAN_GAP_MS)));
  into.wallMs += nowMs() - started;
  into.loadAvg = Math.max(into.loadAvg, loadavg()[0] ?? 0);
  for (const s of await Promise.all(lane.children.map((c) => c.stats()))) {
    into.cpuMs += s.cpuMs;
    into.refreshes += s.refreshes;
    into.loopP99 = Math.max(into.loopP99, s.loopDelayP99Ms);
  }
}

type Kind = 'cancel' | 'pause';

/**
 * The blocks of the 500-job run, each half a figure: through the product's insert
 * (N), a bare SQL insert (Q: psql or another service; the trigger notifies) and
 * with notifications off (P, the poll alone), cancels (c) and pauses (p) mirrored
 * around the middle (cN cP cQ pN pP pP pN cQ cP cN), so that warm-up and the
 * machine's drifting load fall on every figure alike.
 */
const SCHEDULE: [Kind, Delivery][] = [
  ['cancel', 'notify'],
  ['cancel', 'silent'],
  ['cancel', 'plain'],
  ['pause', 'notify'],
  ['pause', 'silent'],
  ['pause', 'silent'],
  ['pause', 'notify'],
  ['cancel', 'plain'],
  ['cancel', 'silent'],
  ['cancel', 'notify'],
];

const emptySeries = (): Series => ({
  samples: [],
  cpuMs: 0,
  wallMs: 0,
  loopP99: 0,
  loadAvg: 0,
  refreshes: 0,
});

/** 500 running jobs over 4 processes; clicks in the blocks of SCHEDULE. */
async function measureMany(env: BenchEnv) {
  const lane = await openLane(env, 'stop-500', {
    mode: 'signal',
    processes: PROCESSES,
    concurrency: ACTIVE / PROCESSES,
    pollMs: POLL_MS,
  });
  const q = env.queues.get(lane.queue);
  try {
    // Every stopped job is replaced, so 500 keep running throughout.
    lane.tracker.onStop = () => {
      q.add(SPIN_JOB, {}, SPIN_OPTIONS).catch((err) => console.error(`replacement job: ${err}`));
    };
    await q.addBulk(
      Array.from({ length: ACTIVE }, () => ({ name: SPIN_JOB, data: {}, opts: SPIN_OPTIONS })),
    );
    await untilRunning(lane, ACTIVE);
    await block(env, lane, 'cancel', 'notify', WARMUP_MANY, emptySeries());
    const series = new Map<string, Series>();
    for (const [kind, delivery] of SCHEDULE) {
      const key = `${kind}:${delivery}`;
      const into = series.get(key) ?? emptySeries();
      series.set(key, into);
      // The first block of each series starts with WARMUP requests that are not counted.
      const n = SAMPLES / 2 + (into.samples.length === 0 ? WARMUP : 0);
      await block(env, lane, kind, delivery, n, into);
    }
    const done = (key: string) => {
      const s = series.get(key) as Series;
      return figure(s.samples.slice(WARMUP), {
        cores: s.cpuMs / s.wallMs,
        loopP99: s.loopP99,
        loadAvg: s.loadAvg,
        refreshesPerClick: s.refreshes / s.samples.length,
      });
    };
    const many: Measured['many'] = {
      cancel: { notify: done('cancel:notify'), silent: done('cancel:silent') },
      pause: { notify: done('pause:notify'), silent: done('pause:silent') },
      sqlInsert: done('cancel:plain'),
    };
    return { many, clockOffset: await maxClockOffset([lane]), restarts: lane.tracker.restarts };
  } finally {
    await closeLane(env, lane);
  }
}

/** 2. Click to stop (cancel) and commit to parked (pause). */
export async function benchClickToStop(env: BenchEnv): Promise<BenchResult[]> {
  const solo = await measureSolo(env);
  const { many, clockOffset, restarts } = await measureMany(env);
  return stopResults(
    {
      ...solo,
      many,
      clockOffset: Math.max(solo.clockOffset, clockOffset),
      restarts: solo.restarts + restarts,
    },
    {
      samples: SAMPLES,
      warmup: WARMUP,
      warmupMany: WARMUP_MANY,
      active: ACTIVE,
      processes: PROCESSES,
      meanGapMs: MEAN_GAP_MS,
      pollMs: POLL_MS,
    },
  );
}
