import { hostname } from 'node:os';
import type { Database } from '../../db/client';
import { heartbeat } from '../../db/heartbeats';

const HEARTBEAT_MS = 10_000;

/**
 * Tells the dashboard, every ten seconds, which queues this process serves, so it
 * can warn before signalling a queue that no Signal Desk worker serves.
 */
export class Heartbeats {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly db: Database,
    private readonly workerId: string,
    private readonly queues: () => string[],
    private readonly log: (message: string, err?: unknown) => void,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.beat(), HEARTBEAT_MS);
    this.timer.unref?.();
    this.beat();
  }

  /** Beats now (a queue was added). */
  beat(): void {
    heartbeat(
      this.db,
      { workerId: this.workerId, hostname: hostname(), pid: process.pid },
      this.queues(),
    ).catch((err) => this.log('heartbeat failed', err));
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
