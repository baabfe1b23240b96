import { ApiError, methodNotAllowed, respond } from '@/app/lib/api-http';
import { csvRow } from '@/app/lib/csv';
import { PAGE_SIGNAL_PARAMS, parseSignalListParams } from '@/app/lib/signal-list-params';
import { streamSignals } from '@/db/audit-list/list';
import { getDb } from '@/db/client';
import type { JobSignal } from '@/db/schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The export's columns: the table's, in its order, named as the JSON API names them. */
const COLUMNS: (keyof JobSignal)[] = [
  'id',
  'queue',
  'jobId',
  'jobName',
  'signal',
  'status',
  'reason',
  'requestedBy',
  'workerId',
  'outcome',
  'createdAt',
  'updatedAt',
  'deliveredAt',
  'completedAt',
];

/**
 * Rows per read of the server-side cursor (about 40 KB of CSV): a batch holds the
 * event loop a few milliseconds at most, so a request arriving meanwhile waits little.
 */
const BATCH = 200;
/**
 * After each batch the export rests one and a half times as long as the batch took
 * (it uses at most 40 % of a core and of the event loop), so a million-row export
 * leaves the dashboard's other requests close to their usual speed.
 */
const REST_RATIO = 1.5;

const rest = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `GET /api/signals/export`: every signal the audit list's filters match (not just
 * one page) as CSV, streamed from a server-side cursor in batches, with
 * backpressure (a batch is read only when the client has taken the one before)
 * and paced (see REST_RATIO). Memory stays at one batch whatever the size of the
 * result. Takes the audit list's own query string; paging parameters are ignored.
 */
export function GET(req: Request): Promise<Response> {
  return respond(req, 'viewer', async () => {
    const sp = new URL(req.url).searchParams;
    sp.delete('page');
    sp.delete('pageSize');
    const parsed = parseSignalListParams(sp, PAGE_SIGNAL_PARAMS);
    if (!parsed.ok) throw new ApiError(400, parsed.error);
    const { db, sql } = getDb();
    const rows = streamSignals(db, sql, parsed.params.filter, parsed.params.sort, BATCH);
    // Read the first batch before answering, so a database outage is a 503, not a cut-off file.
    const first = await rows.next();
    const encoder = new TextEncoder();
    let busy = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          controller.enqueue(encoder.encode(csvRow(COLUMNS)));
          if (!first.done) controller.enqueue(encoder.encode(batchText(first.value)));
          if (first.done) controller.close();
        },
        // Called only when the client has taken what was queued: that is the backpressure.
        async pull(controller) {
          try {
            await rest(busy * REST_RATIO);
            const started = performance.now();
            const next = await rows.next();
            if (next.done) controller.close();
            else controller.enqueue(encoder.encode(batchText(next.value)));
            busy = performance.now() - started;
          } catch (err) {
            console.error('[api] signal export failed midway', err);
            controller.error(err);
          }
        },
        async cancel() {
          await rows.return(undefined);
        },
      },
      // One batch queued at most: nothing is read ahead of a slow client.
      { highWaterMark: 1 },
    );
    const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '');
    return new Response(body, {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="signals-${stamp}Z.csv"`,
        'Cache-Control': 'no-store',
      },
    });
  });
}

function batchText(rows: JobSignal[]): string {
  return rows.map((r) => csvRow(COLUMNS.map((c) => r[c]))).join('');
}

export const POST = methodNotAllowed(['GET']);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
