import type { JobValueField } from '@/app/contracts';
import type { Database } from '@/db/client';
import { latestRemoval, outcomeText } from '@/db/job-signals';
import { REDIS_BATCH } from '@/worker/config';
import { MARKER_KEY, stripMarker } from '@/worker/marker';
import type { QueueRegistry } from './queue-registry';

/** A value read whole, ready to stream: JSON as BullMQ stored it, or plain text. */
export interface FullValue {
  type: 'json' | 'text';
  chunks: AsyncIterable<Uint8Array>;
}

/** Why there is nothing to serve, as a sentence (the route answers 404 with it). */
export type NoValue = { missing: string };

const WORDS: Record<JobValueField, string> = {
  data: 'data',
  returnvalue: 'return value (it has not completed)',
  stacktrace: 'stack trace',
  failedReason: 'failure reason',
  logs: 'logs',
  opts: 'options',
  progress: 'progress',
  outcome: 'outcome',
};

const SLICE = 64 * 1024;

/** Hands a buffer out in slices, so the response streams instead of waiting for one write. */
async function* slices(buf: Buffer): AsyncIterable<Uint8Array> {
  for (let i = 0; i < buf.length; i += SLICE) yield buf.subarray(i, i + SLICE);
}

async function* once(text: string): AsyncIterable<Uint8Array> {
  yield* slices(Buffer.from(text, 'utf8'));
}

/**
 * One value of one job, whole, straight from where it is kept: the job's Redis hash
 * field (passed through as stored, never parsed, unless it carries our park marker
 * or is a stack trace to lay out as text), its log list (read 1,000 lines at a
 * time), or, for a job a cancel removed, the cancel's outcome in PostgreSQL.
 */
export async function readFullValue(
  deps: { db: Database; queues: QueueRegistry },
  queue: string,
  id: string,
  field: JobValueField,
  signalId?: number,
): Promise<FullValue | NoValue> {
  const missing = { missing: `Job ${id} in ${queue} has no ${WORDS[field]}.` };
  if (field === 'outcome') {
    const text = signalId === undefined ? null : await outcomeText(deps.db, queue, id, signalId);
    if (text === null)
      return { missing: `Job ${id} in ${queue} has no signal ${signalId} with an outcome.` };
    return { type: 'json', chunks: once(text) };
  }
  const redis = deps.queues.connection;
  // Asked first: a BullMQ Queue object writes the meta key of a queue it names.
  const queueExists = await deps.queues.exists(queue);
  const key = queueExists ? deps.queues.get(queue).toKey(id) : '';
  if (!queueExists || (await redis.exists(key)) === 0) {
    // Redis no longer has it: a job a cancel removed keeps its data in the cancel's outcome.
    const removal = await latestRemoval(deps.db, queue, id);
    if (!removal) {
      return {
        missing: queueExists
          ? `Job ${id} does not exist in queue ${queue}.`
          : `Queue ${queue} does not exist.`,
      };
    }
    const text =
      field === 'data' ? await outcomeText(deps.db, queue, id, removal.id, ['data']) : null;
    return text === null ? missing : { type: 'json', chunks: once(text) };
  }
  if (field === 'logs') return { type: 'text', chunks: logLines(deps.queues, `${key}:logs`) };
  const raw = await redis.hgetBuffer(key, field);
  if (raw === null || (field === 'failedReason' && raw.length === 0)) return missing;
  if (field === 'failedReason') return { type: 'text', chunks: slices(raw) };
  if (field === 'stacktrace') {
    const traces = JSON.parse(raw.toString('utf8')) as unknown;
    if (!Array.isArray(traces) || traces.length === 0) return missing;
    return { type: 'text', chunks: once(traces.map(String).join('\n\n')) };
  }
  if (field === 'data' && raw.includes(`"${MARKER_KEY}"`)) {
    return { type: 'json', chunks: once(JSON.stringify(stripMarker(JSON.parse(raw.toString())))) };
  }
  return { type: 'json', chunks: slices(raw) };
}

async function* logLines(queues: QueueRegistry, key: string): AsyncIterable<Uint8Array> {
  for (let start = 0; ; start += REDIS_BATCH) {
    const lines = await queues.connection.lrange(key, start, start + REDIS_BATCH - 1);
    if (lines.length > 0) yield Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    if (lines.length < REDIS_BATCH) return;
  }
}
