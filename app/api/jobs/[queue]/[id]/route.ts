import { getJobDetail } from '@/app/bullmq/job-detail';
import { ApiError, methodNotAllowed, respond } from '@/app/lib/api-http';
import { deps } from '@/app/lib/services';
import { parseSignalPaging } from './signal-paging';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ queue: string; id: string }> };

/**
 * `GET /api/jobs/:queue/:id`: the job, its state named as the dashboard names it
 * (`paused`, `cancelled` included), and its signals oldest first. A job a cancel
 * removed from its queue still answers, rebuilt from the signal's outcome.
 *
 * Signals come a page at a time: the newest `signalsLimit` (default 100), oldest
 * first. When older ones exist the answer adds `signalsTotal` and `signalsNext`, the
 * cursor to send as `signalsBefore`; a job with fewer signals answers `{ job, signals }`
 * as it always did.
 */
export function GET(req: Request, { params }: Params): Promise<Response> {
  return respond(req, 'viewer', async () => {
    const { queue, id } = await params;
    const paging = parseSignalPaging(new URL(req.url).searchParams);
    if (typeof paging === 'string') throw new ApiError(400, paging);
    const d = deps();
    const detail = await getJobDetail(d, queue, id, paging);
    if (!detail) {
      throw new ApiError(
        404,
        (await d.queues.exists(queue))
          ? `Job ${id} does not exist in queue ${queue}.`
          : `Queue ${queue} does not exist.`,
      );
    }
    const { history } = detail;
    if (paging.before !== undefined && !history.cursorFound) {
      throw new ApiError(
        400,
        `signalsBefore must name a signal of job ${id} in ${queue} (the signalsNext of an earlier answer); ${paging.before} does not.`,
      );
    }
    const paged = history.next !== null || paging.before !== undefined;
    return Response.json({
      job: detail.job,
      signals: history.signals,
      ...(paged ? { signalsTotal: history.total, signalsNext: history.next } : {}),
    });
  });
}

export const POST = methodNotAllowed(['GET']);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
