import type { JobSignal } from '../../db/schema';
import { isOpenStatus, jobKey } from '../../db/vocabulary';

/**
 * The open signals of the queues this process serves, in memory, by job. Starting
 * a job, each checkpoint and finishing a job look here instead of asking
 * PostgreSQL, so with nothing open they cost a map lookup.
 *
 * The index may hold a signal that another process has closed meanwhile (it learns
 * of inserts at once, of other changes at the next full read): whoever acts on an
 * entry claims it first, and the claim says whether it is still open. It never
 * misses a signal for longer than one poll.
 */
export class SignalIndex {
  private readonly byJob = new Map<string, Map<number, JobSignal>>();
  private readonly byId = new Map<number, JobSignal>();
  /** The highest id read so far: where the next read of changes starts. */
  highWater = 0;

  get size(): number {
    return this.byId.size;
  }

  /** The job's open signals, oldest first, or undefined when it has none (no allocation). */
  forJob(queue: string, jobId: string): JobSignal[] | undefined {
    const m = this.byJob.get(jobKey(queue, jobId));
    return m ? [...m.values()] : undefined;
  }

  hasJob(key: string): boolean {
    return this.byJob.has(key);
  }

  get(id: number): JobSignal | undefined {
    return this.byId.get(id);
  }

  /**
   * Records what a read returned for one signal: an open one is added or updated, a
   * closed one is dropped. Returns whether it is news: new here, or back to pending.
   */
  put(s: JobSignal): boolean {
    if (s.id > this.highWater) this.highWater = s.id;
    const known = this.byId.get(s.id);
    if (!isOpenStatus(s.status)) {
      if (known) this.drop(s.id);
      return false;
    }
    const key = jobKey(s.queue, s.jobId);
    let m = this.byJob.get(key);
    if (!m) {
      m = new Map();
      this.byJob.set(key, m);
    }
    m.set(s.id, s);
    this.byId.set(s.id, s);
    return !known || (known.status !== 'pending' && s.status === 'pending');
  }

  /** Forgets one signal (acted on, or found closed). */
  drop(id: number): void {
    const s = this.byId.get(id);
    if (!s) return;
    this.byId.delete(id);
    const key = jobKey(s.queue, s.jobId);
    const m = this.byJob.get(key);
    m?.delete(id);
    if (m && m.size === 0) this.byJob.delete(key);
  }

  /**
   * A full read of `queues` is the truth for them: signals it did not return are
   * closed. Returns the signals that are news (see put).
   */
  replace(queues: ReadonlySet<string>, rows: readonly JobSignal[]): JobSignal[] {
    const seen = new Set(rows.map((r) => r.id));
    for (const [id, s] of this.byId) if (queues.has(s.queue) && !seen.has(id)) this.drop(id);
    return rows.filter((r) => this.put(r));
  }

  /** The open signals of one queue, oldest first. */
  ofQueue(queue: string): JobSignal[] {
    const out: JobSignal[] = [];
    for (const s of this.byId.values()) if (s.queue === queue) out.push(s);
    return out.sort((a, b) => a.id - b.id);
  }

  /** The queues with at least one open signal. */
  queues(): Set<string> {
    const out = new Set<string>();
    for (const s of this.byId.values()) out.add(s.queue);
    return out;
  }

  /** Forgets the signals of a queue this process no longer serves. */
  forgetQueue(queue: string): void {
    for (const [id, s] of this.byId) if (s.queue === queue) this.drop(id);
  }
}
