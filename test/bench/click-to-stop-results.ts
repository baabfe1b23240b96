import { type BenchResult, result } from './report';
import { describeLatency, round, type Summary } from './stats';

/** One figure: latencies from commit to stop, to the AbortSignal (cancels), and the workers' load. */
export interface Figure {
  latency: Summary;
  /** Commit to the job's AbortSignal (the cancel reached the worker process). */
  abort?: Summary;
  /** Commit to `onCancel` (a checkpoint acted; recording the signal follows). */
  cleanup?: Summary;
  load?: Load;
}

export interface Load {
  /** CPU used by the worker processes, in cores (2 = both cores of this machine). */
  cores: number;
  /** Worst event-loop delay p99 of a worker process in any block, ms. */
  loopP99: number;
  /** Highest 1-minute load average of the machine seen at the end of a block. */
  loadAvg: number;
  /** Reads of the open signals (all worker processes together) per request. */
  refreshesPerClick: number;
}

export interface Measured {
  soloCancel: Figure;
  soloSelect: Figure;
  soloPause: Figure;
  many: Record<'cancel' | 'pause', Record<'notify' | 'silent', Figure>> & {
    /** Cancels written by a bare SQL insert (the trigger notifies). */
    sqlInsert: Figure;
  };
  clockOffset: number;
  /** Jobs that BullMQ started a second time (a lost lock); each one would skew a figure. */
  restarts: number;
}

export interface StopConfig {
  samples: number;
  warmup: number;
  /** Uncounted clicks on the 500 jobs before their first block. */
  warmupMany: number;
  active: number;
  processes: number;
  meanGapMs: number;
  pollMs: number;
}

const load = (l: Load | undefined) =>
  l
    ? `, worker processes used ${round(l.cores)} cores and read the open signals ${round(l.refreshesPerClick)} times per request, ` +
      `event-loop delay p99 up to ${round(l.loopP99)} ms, machine load average up to ${round(l.loadAvg)}`
    : '';

const step = (what: string, s: Summary | undefined) =>
  s ? `; ${what} after p50 ${round(s.p50)} / p99 ${round(s.p99)} ms` : '';

const describe = (f: Figure) =>
  `${describeLatency(f.latency)}${step('AbortSignal fired', f.abort)}${step('onCancel ran', f.cleanup)}${load(f.load)}`;

/** The five rows of benchmark 2, each figure beside its baseline. */
export function stopResults(m: Measured, c: StopConfig): BenchResult[] {
  const how =
    `ms from the commit acknowledged to the processor stopped, taken by the worker process (max offset of its clock to the runner's: ${round(m.clockOffset * 1000)} µs); ` +
    `the jobs checkpoint, then sleep 1 ms; ${c.warmup} warm-up requests not counted (with 500 jobs, ${c.warmupMany} more before the first block); jobs started twice (lost lock): ${m.restarts}`;
  const many = `${c.active} running jobs over ${c.processes} worker processes (concurrency ${c.active / c.processes}), clicks at random (mean gap ${c.meanGapMs} ms) on random running jobs, through the product's insert, a bare SQL insert and with notifications off, in alternating blocks`;
  const poll = `bare INSERT with the notify trigger skipped (notifications off), found by each process's poll every ${c.pollMs} ms (the default)`;
  const { cancel, pause, sqlInsert } = m.many;
  return [
    result({
      name: 'click-to-stop-1',
      ours: m.soloCancel.latency.p99,
      baseline: m.soloSelect.latency.p99,
      unit: 'ms p99',
      runs: m.soloCancel.latency.count,
      notes:
        `1 running job; ours (LISTEN): ${describe(m.soloCancel)}; ` +
        `baseline: a bare BullMQ worker running one indexed SELECT per checkpoint (same loop; records the cancel like ours), interleaved with ours: ${describe(m.soloSelect)}; ${how}`,
    }),
    result({
      name: 'click-to-stop-500',
      ours: cancel.notify.latency.p99,
      baseline: cancel.silent.latency.p99,
      unit: 'ms p99',
      runs: cancel.notify.latency.count,
      notes:
        `${many}; ours (LISTEN): ${describe(cancel.notify)}; ` +
        `baseline, notifications off (${poll}): ${describe(cancel.silent)}; ${how}`,
    }),
    result({
      name: 'click-to-stop-poll',
      ours: cancel.silent.latency.p99,
      baseline: cancel.notify.latency.p99,
      unit: 'ms p99',
      runs: cancel.silent.latency.count,
      notes:
        `notifications off (${poll}), ${many}: ${describeLatency(cancel.silent.latency)}; ` +
        `compared with the same processes with notifications (LISTEN): ${describeLatency(cancel.notify.latency)}; ${how}`,
    }),
    result({
      name: 'pause-to-parked',
      ours: pause.notify.latency.p99,
      baseline: pause.silent.latency.p99,
      unit: 'ms p99',
      runs: pause.notify.latency.count,
      notes:
        `${many}; ours (LISTEN): ${describe(pause.notify)}; ` +
        `baseline, notifications off (${poll}): ${describe(pause.silent)}; ` +
        `1 running job (LISTEN): ${describe(m.soloPause)}; parked = the checkpoint threw after moving the job to delayed and recording the signal; ${how}`,
    }),
    result({
      name: 'sql-insert-to-stop',
      ours: sqlInsert.latency.p99,
      baseline: cancel.silent.latency.p99,
      unit: 'ms p99',
      runs: sqlInsert.latency.count,
      notes:
        `a bare SQL INSERT of a cancel (no pg_notify in the statement: the table's trigger notifies), ${many}: ${describe(sqlInsert)}; ` +
        `baseline, the same insert with notifications off (${poll}): ${describe(cancel.silent)}; ${how}`,
    }),
  ];
}
