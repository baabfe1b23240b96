import { sql } from 'drizzle-orm';
import type { Database } from './client';
import { jobSignals } from './schema';

export interface QueueSignalStats {
  queue: string;
  /** Pending or delivered signals. */
  open: number;
  /** When the oldest open signal was requested. */
  oldestOpenAt: Date | null;
  /** Signals completed in the window. */
  completed: number;
  /** Seconds from requested to completed: median and slowest, over the window. */
  medianSeconds: number | null;
  slowestSeconds: number | null;
}

/**
 * Per queue: the open signals (read from the partial "open" index) and how long
 * signals completed in the last `windowHours` took from request to completion.
 * Only signals requested within `lookbackDays` are considered, so the read is an
 * index range of recent rows, never the whole history; a signal that waited longer
 * than that is still visible as the oldest open one until it completes.
 */
export async function queueSignalStats(
  db: Database,
  opts: { windowHours?: number; lookbackDays?: number } = {},
): Promise<Map<string, QueueSignalStats>> {
  const windowHours = opts.windowHours ?? 24;
  const lookbackDays = opts.lookbackDays ?? 7;
  const [open, timing] = await Promise.all([
    db.execute(sql`
      select queue, count(*)::int as n, min(created_at) as oldest
      from ${jobSignals} where status in ('pending', 'delivered')
      group by queue`) as unknown as Promise<{ queue: string; n: number; oldest: Date }[]>,
    db.execute(sql`
      select queue, count(*)::int as n,
        percentile_cont(0.5) within group (order by extract(epoch from completed_at - created_at)) as median,
        max(extract(epoch from completed_at - created_at)) as slowest
      from ${jobSignals}
      where status = 'completed'
        and created_at >= now() - make_interval(days => ${lookbackDays})
        and completed_at >= now() - make_interval(hours => ${windowHours})
      group by queue`) as unknown as Promise<
      { queue: string; n: number; median: number | string; slowest: number | string }[]
    >,
  ]);
  const out = new Map<string, QueueSignalStats>();
  const get = (queue: string) => {
    let s = out.get(queue);
    if (!s) {
      s = {
        queue,
        open: 0,
        oldestOpenAt: null,
        completed: 0,
        medianSeconds: null,
        slowestSeconds: null,
      };
      out.set(queue, s);
    }
    return s;
  };
  for (const r of open) {
    const s = get(r.queue);
    s.open = Number(r.n);
    s.oldestOpenAt = new Date(r.oldest);
  }
  for (const r of timing) {
    const s = get(r.queue);
    s.completed = Number(r.n);
    s.medianSeconds = Number(r.median);
    s.slowestSeconds = Number(r.slowest);
  }
  return out;
}
