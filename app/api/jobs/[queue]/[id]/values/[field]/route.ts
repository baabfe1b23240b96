import { readFullValue } from '@/app/bullmq/job-values';
import { JOB_VALUE_FIELDS, type JobValueField } from '@/app/contracts';
import { ApiError, methodNotAllowed, respond } from '@/app/lib/api-http';
import { deps } from '@/app/lib/services';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ queue: string; id: string; field: string }> };

const KNOWN = ['download', 'signal'];

/** A file name part a browser and a shell both take: the rest of the id becomes '_'. */
const safe = (s: string) => s.replace(/[^\w.-]+/g, '_').slice(0, 80) || '_';

/**
 * `GET /api/jobs/:queue/:id/values/:field`: one value of a job whole, however large,
 * streamed as stored (the job page shows it cut and links here). `field` is one of
 * JOB_VALUE_FIELDS; `outcome` needs `?signal=<id>`; `?download=1` asks the browser
 * to save it. JSON values answer `application/json`, stack traces, the failure
 * reason and logs `text/plain`. Viewer role, as the job itself.
 */
export function GET(req: Request, { params }: Params): Promise<Response> {
  return respond(req, 'viewer', async () => {
    const { queue, id, field } = await params;
    if (!(JOB_VALUE_FIELDS as readonly string[]).includes(field)) {
      throw new ApiError(
        404,
        `A job has no value named ${field}; ask for one of ${JOB_VALUE_FIELDS.join(', ')}.`,
      );
    }
    const sp = new URL(req.url).searchParams;
    const unknown = [...new Set(sp.keys())].filter((k) => !KNOWN.includes(k));
    if (unknown.length > 0) {
      throw new ApiError(
        400,
        `Unknown query parameter: ${unknown.join(', ')}. Known: ${KNOWN.join(', ')}.`,
      );
    }
    const rawSignal = sp.get('signal');
    if (field === 'outcome' && (rawSignal === null || !/^\d{1,15}$/.test(rawSignal))) {
      throw new ApiError(
        400,
        `outcome needs signal=<id>, the signal whose outcome to read${rawSignal === null ? '' : `; got "${rawSignal}"`}.`,
      );
    }
    if (field !== 'outcome' && rawSignal !== null)
      throw new ApiError(400, 'Only the outcome takes a signal parameter.');
    const download = sp.get('download');
    if (download !== null && download !== '1' && download !== '0')
      throw new ApiError(400, `download must be 1 or 0; got "${download}".`);

    const value = await readFullValue(
      deps(),
      queue,
      id,
      field as JobValueField,
      rawSignal ? Number(rawSignal) : undefined,
    );
    if ('missing' in value) throw new ApiError(404, value.missing);
    const ext = value.type === 'json' ? 'json' : 'txt';
    const name = `${safe(queue)}-${safe(id)}-${field}${rawSignal ? `-${rawSignal}` : ''}.${ext}`;
    const iterator = value.chunks[Symbol.asyncIterator]();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await iterator.return?.();
      },
    });
    return new Response(body, {
      headers: {
        'Content-Type': `${value.type === 'json' ? 'application/json' : 'text/plain'}; charset=utf-8`,
        'Content-Disposition': `${download === '1' ? 'attachment' : 'inline'}; filename="${name}"`,
        // Served from the dashboard's origin: never sniffed as HTML, never allowed to run anything.
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'private, no-store',
      },
    });
  });
}

export const POST = methodNotAllowed(['GET']);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
