import 'server-only';
import { queueCounts } from '@/app/bullmq/job-list';
import { QUEUE_NAME_MAX, type SkipReason } from '@/app/bullmq/queue-names';
import type { Loaded, QueueOverview, QueuesPageData, QueueWorker } from '@/app/contracts';
import { servedQueues } from '@/db/heartbeats';
import { oldestOpenSignals } from '@/db/job-signals';
import { queueSignalStats } from '@/db/queue-signal-stats';
import { loaded } from '../lib/loaded';
import { deps } from '../lib/services';

const OPEN_SHOWN = 5;
/** Queues per page of /queues: each costs a CLIENT LIST (its workers) and a few counts. */
export const QUEUES_PAGE_SIZE = 20;
/** Longest search kept (the longest queue name listed is shorter). */
const SEARCH_MAX = 200;

const SKIPPED: Record<SkipReason, string> = {
  'too-long': `a name longer than ${QUEUE_NAME_MAX} characters`,
  'not-utf8': 'a name that is not UTF-8 text',
  'has-colon': "a name with ':' (not a BullMQ queue)",
};

export interface QueuesSearch {
  search: string;
  page: number;
}

/** `?q=<substring>&page=<n>`; anything unusable falls back to the first page of all queues. */
export function parseQueuesSearch(params: Record<string, string | string[] | undefined>) {
  const first = (k: string) => [params[k] ?? []].flat()[0] ?? '';
  const page = Number(first('page'));
  return {
    search: first('q').trim().slice(0, SEARCH_MAX),
    page: Number.isInteger(page) && page >= 1 && page <= 1_000_000 ? page : 1,
  } satisfies QueuesSearch;
}

/**
 * One page of the discovered queues whose names contain the search (case-insensitive),
 * in natural order, each with its job counts per state, its worker connections
 * (BullMQ's getWorkers), its open signals and how long signals took from request
 * to completion over the last 24 hours. Only the page's queues are read.
 */
export function loadQueuesPage(q: QueuesSearch): Promise<Loaded<QueuesPageData>> {
  return loaded(async () => {
    const { db, queues } = deps();
    const found = await queues.discovered();
    const needle = q.search.toLowerCase();
    const matching = needle
      ? found.names.filter((n) => n.toLowerCase().includes(needle))
      : found.names;
    const names = matching.slice((q.page - 1) * QUEUES_PAGE_SIZE, q.page * QUEUES_PAGE_SIZE);
    const [counts, served, stats, open, workers, paused] = await Promise.all([
      queueCounts(queues, names, db),
      servedQueues(db),
      queueSignalStats(db),
      // Oldest first over the page's queues; the few per queue shown are the longest waiting.
      oldestOpenSignals(db, names, 500),
      Promise.all(names.map((n) => queues.get(n).getWorkers())),
      Promise.all(names.map((n) => queues.get(n).isPaused())),
    ]);
    const overviews = names.map((name, i): QueueOverview => {
      const s = stats.get(name);
      return {
        name,
        counts: counts[i]?.counts ?? ({} as QueueOverview['counts']),
        approximate: counts[i]?.approximate ?? [],
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
    return {
      queues: overviews,
      total: matching.length,
      discovered: found.names.length,
      page: q.page,
      pageSize: QUEUES_PAGE_SIZE,
      search: q.search,
      skipped: (Object.entries(found.skipped) as [SkipReason, number][]).map(([why, count]) => ({
        reason: SKIPPED[why],
        count,
      })),
    };
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
