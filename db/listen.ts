import postgres from 'postgres';

export interface ListenOptions {
  url: string;
  channels: readonly string[];
  /** Each notification, as it arrives. Its payload is a hint, never the data. */
  onNotify(channel: string, payload: string): void;
  /**
   * LISTEN is in place on every channel: once at the start (`again` false), then after
   * every reconnect (`again` true). Whatever was notified while nobody listened is
   * lost, so an owner re-reads what it cares about here.
   */
  onListen?(again: boolean): void;
  /** A connection attempt failed; the connection retries by itself with back-off. */
  onError?(err: unknown): void;
  /**
   * LISTEN stopped standing (the connection dropped; it is being restored): whatever
   * is notified until the next `onListen` is lost.
   */
  onDown?(): void;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /** How often the connection checks that LISTEN still stands (no query while it does). */
  checkMs?: number;
}

const noop = () => {};
const MAX_BACKOFF_MS = 5000;

/**
 * One dedicated PostgreSQL connection that LISTENs on a few channels and keeps
 * doing so: it reconnects by itself with back-off, and tells its owner after every
 * reconnect so the owner can re-read what it may have missed. Used by the worker
 * toolkit's signal watcher and by the dashboard's live-events hub.
 *
 * Built on postgres.js's public `sql.listen`: postgres.js re-LISTENs after a dropped
 * connection by itself, but a re-LISTEN that fails (the server refuses connections)
 * is dropped silently. So a cheap check (it sends nothing while LISTEN stands)
 * notices that and starts a new connection.
 *
 * @example
 * const conn = new ListenConnection({
 *   url, channels: ['job_signals'],
 *   onNotify: (_channel, payload) => refresh(payload),
 *   onListen: (again) => again && refreshAll(),
 * });
 * conn.start();
 * // …
 * await conn.close();
 */
export class ListenConnection {
  private sql: postgres.Sql | undefined;
  private closed = false;
  private backoff = 250;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private check: ReturnType<typeof setInterval> | undefined;
  private announce: ReturnType<typeof setTimeout> | undefined;
  private everListened = false;
  private up = false;
  private verifying = false;
  /** Successful LISTENs so far (the first and every reconnect). */
  connects = 0;

  constructor(private readonly opts: ListenOptions) {}

  /** True while LISTEN is known to stand on every channel. */
  get listening(): boolean {
    return this.up;
  }

  start(): void {
    if (this.sql || this.closed) return;
    void this.connect();
  }

  private async connect(): Promise<void> {
    const sql = postgres(this.opts.url, {
      max: 1,
      idle_timeout: 0,
      max_lifetime: null,
      connect_timeout: 5,
      onnotice: noop,
      connection: { application_name: this.opts.applicationName ?? 'signal-desk-listen' },
    });
    this.sql = sql;
    try {
      for (const channel of this.opts.channels) {
        await sql.listen(
          channel,
          (payload) => this.opts.onNotify(channel, payload),
          () => this.listened(),
        );
      }
      if (this.closed || this.sql !== sql) return;
      this.backoff = 250;
      this.check ??= setInterval(() => void this.verify(), this.opts.checkMs ?? 250);
      this.check.unref?.();
    } catch (err) {
      if (this.closed || this.sql !== sql) return;
      this.opts.onError?.(err);
      this.restart();
    }
  }

  /** postgres.js calls this once per channel after each (re)LISTEN: announce once per round. */
  private listened(): void {
    if (this.closed) return;
    this.announce ??= setTimeout(() => {
      this.announce = undefined;
      if (this.closed) return;
      this.up = true;
      this.connects++;
      const again = this.everListened;
      this.everListened = true;
      this.opts.onListen?.(again);
    }, 5);
  }

  /**
   * Joins each channel's standing LISTEN (a local operation while it stands) and
   * leaves again. A LISTEN that postgres.js could not restore rejects here.
   */
  private async verify(): Promise<void> {
    const sql = this.sql;
    // While postgres.js reconnects, a check waits for it; one at a time is enough.
    if (!sql || this.closed || this.verifying) return;
    this.verifying = true;
    // A standing LISTEN answers at once; one that postgres.js is restoring waits for the
    // server. Say so after a moment, and keep waiting for the outcome.
    const slow = setTimeout(() => this.lost(), 100);
    try {
      for (const channel of this.opts.channels) {
        const { unlisten } = await sql.listen(channel, noop);
        await unlisten();
      }
    } catch (err) {
      if (this.closed || this.sql !== sql) return;
      this.opts.onError?.(err);
      this.restart();
    } finally {
      clearTimeout(slow);
      this.verifying = false;
    }
  }

  private lost(): void {
    if (!this.up || this.closed) return;
    this.up = false;
    this.opts.onDown?.();
  }

  private restart(): void {
    this.lost();
    const old = this.sql;
    this.sql = undefined;
    void old?.end({ timeout: 0 }).catch(noop);
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.closed && !this.sql) void this.connect();
    }, this.backoff);
    this.retry.unref?.();
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.up = false;
    clearTimeout(this.retry);
    clearTimeout(this.announce);
    clearInterval(this.check);
    const sql = this.sql;
    this.sql = undefined;
    await sql?.end({ timeout: 1 }).catch(noop);
  }
}
