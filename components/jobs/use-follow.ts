'use client';

import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import {
  FOLLOW_PATH,
  type FollowedData,
  type JobRow,
  type LiveChange,
  type OperationProgress,
  type SignalView,
} from '@/app/contracts';
import { subscribeLive } from '../live/live-stream';

/** One signal asked for from this page, followed to its end. */
export interface FollowEntry {
  id: number;
  /** The row's key (JobRow.key). */
  key: string;
  queue: string;
  jobId: string;
  signal: SignalView;
  /** The job's row as last read; null once nobody knows the job. */
  row: JobRow | null;
  /** The row as it was when clicked: shown until the first read. */
  clicked: JobRow;
  /** The list view (its filters) the click came from: the row stays in view there. */
  scope: string | null;
  /** The request met an open signal of the kind instead of writing one. */
  existing: boolean;
  /** The request repeated a signal that had finished this long ago (a double click). */
  repeatAgoMs: number | null;
  /** Its toast is still on screen. */
  toast: boolean;
  /** Nothing more will change: the signal finished and the job's state followed. */
  settled: boolean;
  readsSinceFinished: number;
}

/** One bulk operation asked for from this page, followed to its end. */
export interface OperationEntry {
  id: number;
  queue: string;
  progress: OperationProgress | null;
  toast: boolean;
  settled: boolean;
}

const POLL_MS = 3000;
const LIVE_DELAY_MS = 150;
const MAX_SIGNALS = 50;
const MAX_OPERATIONS = 10;
/** After a signal finished, the job's state still moves (a cancelled job fails a moment later). */
const READS_AFTER_FINISH = 4;

const isOpen = (s: SignalView) => s.status === 'pending' || s.status === 'delivered';

function settledSignal(e: FollowEntry): boolean {
  if (isOpen(e.signal)) return false;
  // Cancel and pause take a running job out of `active`; until its row says so, read again.
  const moving = e.row?.state === 'active' && e.signal.signal !== 'resume';
  return !moving || e.readsSinceFinished >= READS_AFTER_FINISH;
}

const newestFirst = <T extends { id: number }>(m: ReadonlyMap<number, T>) =>
  [...m.values()].sort((a, b) => b.id - a.id);

/** Reads what the page follows; null when it cannot now (signed out, an outage): the next poll tries again. */
async function readFollowed(signals: number[], operations: number[]): Promise<FollowedData | null> {
  const qs = new URLSearchParams();
  if (signals.length > 0) qs.set('signals', signals.join(','));
  if (operations.length > 0) qs.set('operations', operations.join(','));
  const res = await fetch(`${FOLLOW_PATH}?${qs}`, { cache: 'no-store' });
  return res.ok ? ((await res.json()) as FollowedData) : null;
}

/**
 * Follows the signals and operations asked for from this page until they end:
 * re-reads them (GET FOLLOW_PATH, a few ids) when the live stream reports a signal or
 * job change in their queues, and every few seconds while one is open (so a late
 * signal gets marked, and nothing is missed while the stream is down).
 */
export function useFollow() {
  // The store lives in a ref, so a read started right after a click already sees the
  // click; `render` only tells React that it changed.
  const store = useRef({
    signals: new Map() as ReadonlyMap<number, FollowEntry>,
    operations: new Map() as ReadonlyMap<number, OperationEntry>,
  });
  const [, render] = useReducer((n: number) => n + 1, 0);

  const [engine] = useState(() => {
    const setSignals = (f: (m: Map<number, FollowEntry>) => void) => {
      const next = new Map(store.current.signals);
      f(next);
      store.current.signals = next;
      render();
    };
    const setOperations = (f: (m: Map<number, OperationEntry>) => void) => {
      const next = new Map(store.current.operations);
      f(next);
      store.current.operations = next;
      render();
    };
    const apply = (data: FollowedData, askedSignals: number[], askedOps: number[]) => {
      const got = new Map(data.signals.map((f) => [f.signal.id, f]));
      setSignals((next) => {
        for (const id of askedSignals) {
          const e = next.get(id);
          if (!e) continue;
          const f = got.get(id);
          if (!f) {
            next.set(id, { ...e, settled: true });
            continue;
          }
          const updated: FollowEntry = {
            ...e,
            signal: f.signal,
            row: f.row,
            readsSinceFinished: isOpen(f.signal) ? 0 : e.readsSinceFinished + 1,
          };
          next.set(id, { ...updated, settled: settledSignal(updated) });
        }
      });
      const gotOps = new Map(data.operations.map((p) => [p.operation.id, p]));
      setOperations((next) => {
        for (const id of askedOps) {
          const e = next.get(id);
          if (!e) continue;
          const p = gotOps.get(id);
          next.set(id, { ...e, progress: p ?? e.progress, settled: !p || p.open === 0 });
        }
      });
    };

    let timer: ReturnType<typeof setTimeout> | undefined;
    let busy = false;
    let again = false;
    const readNow = async () => {
      if (busy) {
        again = true;
        return;
      }
      const { signals, operations } = store.current;
      const ids = newestFirst(signals)
        .filter((e) => !e.settled)
        .slice(0, MAX_SIGNALS)
        .map((e) => e.id);
      const ops = newestFirst(operations)
        .filter((e) => !e.settled)
        .slice(0, MAX_OPERATIONS)
        .map((e) => e.id);
      if (ids.length === 0 && ops.length === 0) return;
      busy = true;
      try {
        const data = await readFollowed(ids, ops);
        if (data) apply(data, ids, ops);
      } catch {
        // the same: the next poll tries again
      } finally {
        busy = false;
        if (again) {
          again = false;
          schedule(LIVE_DELAY_MS);
        }
      }
    };
    const schedule = (delay: number) => {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        void readNow();
      }, delay);
    };
    const unsettledQueues = () => {
      const queues = new Set<string>();
      for (const e of store.current.signals.values()) if (!e.settled) queues.add(e.queue);
      for (const e of store.current.operations.values()) if (!e.settled) queues.add(e.queue);
      return queues;
    };
    return {
      schedule,
      stop: () => clearTimeout(timer),
      onLive(change: LiveChange) {
        const queues = unsettledQueues();
        if (queues.size === 0) return;
        const touched = [...change.signalQueues, ...change.queues].some((q) => queues.has(q));
        if (change.all || touched) schedule(LIVE_DELAY_MS);
      },
      following: () => unsettledQueues().size > 0,
      followSignal(e: Omit<FollowEntry, 'toast' | 'settled' | 'readsSinceFinished' | 'row'>) {
        setSignals((next) => {
          next.set(e.id, { ...e, row: null, toast: true, settled: false, readsSinceFinished: 0 });
        });
        // The worker may be done before the live stream says so: read at once.
        schedule(0);
      },
      followOperation(id: number, queue: string) {
        setOperations((next) => {
          next.set(id, { id, queue, progress: null, toast: true, settled: false });
        });
        schedule(0);
      },
      closeToast(kind: 'signal' | 'operation', id: number) {
        if (kind === 'signal') {
          const e = store.current.signals.get(id);
          if (e?.toast) setSignals((next) => next.set(id, { ...e, toast: false }));
        } else {
          const e = store.current.operations.get(id);
          if (e?.toast) setOperations((next) => next.set(id, { ...e, toast: false }));
        }
      },
      /** The list view changed (another filter or page): rows clicked before leave it. */
      unpin(scope: string) {
        const stale = [...store.current.signals.values()].filter(
          (e) => e.scope !== null && e.scope !== scope,
        );
        if (stale.length === 0) return;
        setSignals((next) => {
          for (const e of stale) next.set(e.id, { ...e, scope: null });
        });
      },
    };
  });

  useEffect(() => {
    const unsubscribe = subscribeLive({ onChange: (c) => engine.onLive(c) });
    return () => {
      unsubscribe();
      engine.stop();
    };
  }, [engine]);

  const { signals, operations } = store.current;
  const following = engine.following();
  useEffect(() => {
    if (!following) return;
    const poll = setInterval(() => engine.schedule(0), POLL_MS);
    return () => clearInterval(poll);
  }, [following, engine]);

  /** The newest followed signal of each row. */
  const byRow = useMemo(() => {
    const out = new Map<string, FollowEntry>();
    for (const e of [...signals.values()].sort((a, b) => a.id - b.id)) out.set(e.key, e);
    return out;
  }, [signals]);

  return {
    signals,
    operations,
    byRow,
    followSignal: engine.followSignal,
    followOperation: engine.followOperation,
    closeToast: engine.closeToast,
    unpin: engine.unpin,
  };
}

export type Follow = ReturnType<typeof useFollow>;
