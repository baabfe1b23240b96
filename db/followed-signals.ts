import { asc, inArray } from 'drizzle-orm';
import type { Database } from './client';
import { type JobSignal, jobSignals } from './schema';

/**
 * What a view re-reads after a click: the few signals it follows, by id (the
 * primary key), oldest first. Ids that do not exist are absent.
 */
export function signalsByIds(db: Database, ids: number[]): Promise<JobSignal[]> {
  const wanted = [...new Set(ids.filter((id) => Number.isSafeInteger(id) && id > 0))];
  if (wanted.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(jobSignals)
    .where(inArray(jobSignals.id, wanted))
    .orderBy(asc(jobSignals.id));
}
