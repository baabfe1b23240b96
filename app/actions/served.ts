import 'server-only';
import type { Database } from '@/db/client';
import { servedQueues } from '@/db/heartbeats';

/**
 * Signal Desk workers serving `queue` lately, or null when that cannot be read. Asked
 * after the signal is written, so a failure here must not turn a success into an error.
 */
export async function workersServing(db: Database, queue: string): Promise<number | null> {
  try {
    return (await servedQueues(db)).get(queue) ?? 0;
  } catch {
    return null;
  }
}
