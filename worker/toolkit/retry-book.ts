/**
 * Signals this process tried to act on and could not (Redis refused the action),
 * with when to try again: 1 s, then twice as long each time, up to a bound. So a
 * signal that cannot act now never spins a loop, and one that can never act ends
 * with an outcome that says why instead of staying pending for ever.
 */
export class RetryBook {
  private readonly entries = new Map<number, { attempts: number; nextAt: number; error: string }>();

  constructor(
    private readonly maxAttempts = 6,
    private readonly firstDelayMs = 1000,
  ) {}

  /** Whether the signal may be tried now. */
  due(id: number, now = Date.now()): boolean {
    const e = this.entries.get(id);
    return !e || e.nextAt <= now;
  }

  /**
   * Records a failed try. Returns the attempts so far and whether that was the last
   * one allowed (the caller then ends the signal with `error` as the reason).
   */
  failed(id: number, error: string, now = Date.now()): { attempts: number; exhausted: boolean } {
    const attempts = (this.entries.get(id)?.attempts ?? 0) + 1;
    const exhausted = attempts >= this.maxAttempts;
    if (exhausted) this.entries.delete(id);
    else
      this.entries.set(id, {
        attempts,
        nextAt: now + this.firstDelayMs * 2 ** (attempts - 1),
        error,
      });
    return { attempts, exhausted };
  }

  /** The signal was acted on (or is no longer ours to retry). */
  settled(id: number): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
