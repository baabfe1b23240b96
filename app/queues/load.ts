import 'server-only';
import { queueCounts } from '@/app/bullmq/job-list';
import type { Loaded, QueueOverview, QueueWorker } from '@/app/contracts';
import { servedQueues } from '@/db/heartbeats';
import { queueSignalStats } from '@/db/queue-signal-stats';
import { openSignals } from '@/db/worker-signals';
import { loaded } from '../lib/loaded';
import { deps } from '../lib/services';

const OPEN_SHOWN = 5;

/**
 * Every discovered queue with its job counts per state, its worker connections
 * (BullMQ's getWorkers), its open signals and how long signals took from request
 * to completion over the last 24 hours.
 */
export function loadQueuesPage(): Promise<Loaded<QueueOverview[]>> {
  return loaded(async () => {
    const { db, queues } = deps();
    const names = await queues.discover();
    const [counts, served, stats, open, workers, paused] = await Promise.all([
      queueCounts(queues, names, db),
      servedQueues(db),
      queueSignalStats(db),
      // Oldest first over all queues; the few per queue shown are the longest waiting.
      openSignals(db, names, 500),
      Promise.all(names.map((n) => queues.get(n).getWorkers())),
      Promise.all(names.map((n) => queues.get(n).isPaused())),
    ]);
    return names.map((name, i): QueueOverview => {
      const s = stats.get(name);
      return {
        name,
        counts: counts[i]?.counts ?? ({} as QueueOverview['counts']),
        workers: (workers[i] ?? []).map(toWorker),
        paused: paused[i] ?? false,
        signalWorkers: served.get(name) ?? 0,
        open: s?.open ?? 0,
        oldestOpenAt: s?.oldestOpenAt ?? null,
        openSignals: open.filter((o) => o.queue === name).slice(0, OPEN_SHOWN),
        completed24h: s?.completed ?? 0,
        medianSeconds: s?.medianSeconds ?? null,
        slowestSeconds: s?.slowestSeconds ?? null,
      };
    });
  });
}

function toWorker(c: Record<string, string>): QueueWorker {
  return {
    id: c.id ?? '',
    // BullMQ names a worker's connection `<prefix>:<base64 queue>`, plus `:w:<name>` when named.
    name: c.rawname?.includes(':w:') ? (c.rawname.split(':w:')[1] ?? '') : '',
    addr: c.addr ?? '',
    age: Number(c.age ?? 0),
    idle: Number(c.idle ?? 0),
  };
}
