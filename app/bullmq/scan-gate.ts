/**
 * Scans of a queue's jobs (a name filter, a search, cancel-by-name) read many jobs
 * and cost Redis time every worker waits for. Each caller runs at most
 * `PER_CALLER` at once and may have `WAITING` more queued behind them; beyond
 * that the request is refused. The whole server runs at most `RUNNING` at once,
 * whoever asks, so many callers together cannot starve Redis either.
 */
export const PER_CALLER = 1;
export const WAITING = 2;
export const RUNNING = 4;

/** Refused: this caller already has as many scans running and waiting as allowed. */
export class ScanBusyError extends Error {
  constructor(readonly caller: string) {
    super(
      `You already have ${PER_CALLER + WAITING} searches of jobs running or waiting; wait for them to finish, or narrow this one to a queue and a state.`,
    );
    this.name = 'ScanBusyError';
  }
}

interface Waiter {
  caller: string;
  start: () => void;
}

export class ScanGate {
  private readonly running = new Map<string, number>();
  private readonly waiting = new Map<string, number>();
  private readonly queue: Waiter[] = [];
  private total = 0;

  constructor(
    private readonly perCaller = PER_CALLER,
    private readonly maxWaiting = WAITING,
    private readonly maxRunning = RUNNING,
  ) {}

  /** Scans running now for `caller` (for tests and logs). */
  runningFor(caller: string): number {
    return this.running.get(caller) ?? 0;
  }

  /** Runs `scan` when `caller` and the server have room; throws ScanBusyError when the caller's queue is full. */
  async run<T>(caller: string, scan: () => Promise<T>): Promise<T> {
    if (this.canStart(caller)) {
      bump(this.running, caller, 1);
      this.total++;
    } else {
      if ((this.waiting.get(caller) ?? 0) >= this.maxWaiting) throw new ScanBusyError(caller);
      bump(this.waiting, caller, 1);
      // `wake` counts the slot as this caller's before resolving: nobody can take it meanwhile.
      await new Promise<void>((start) => this.queue.push({ caller, start }));
    }
    try {
      return await scan();
    } finally {
      bump(this.running, caller, -1);
      this.total--;
      this.wake();
    }
  }

  private canStart(caller: string): boolean {
    return this.total < this.maxRunning && (this.running.get(caller) ?? 0) < this.perCaller;
  }

  /** Starts the oldest waiter that has room (a caller at its limit does not hold up others). */
  private wake() {
    const i = this.queue.findIndex((w) => this.canStart(w.caller));
    if (i < 0) return;
    const [next] = this.queue.splice(i, 1);
    if (!next) return;
    bump(this.waiting, next.caller, -1);
    bump(this.running, next.caller, 1);
    this.total++;
    next.start();
  }
}

function bump(map: Map<string, number>, key: string, by: number) {
  const n = (map.get(key) ?? 0) + by;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}

const globalForGate = globalThis as unknown as { signalDeskScanGate?: ScanGate };

/** The server's one gate (cached on globalThis for Next.js hot reload). */
export function getScanGate(): ScanGate {
  globalForGate.signalDeskScanGate ??= new ScanGate();
  return globalForGate.signalDeskScanGate;
}
