import { getJobDetail } from '@/app/bullmq/job-detail';
import { ApiError, methodNotAllowed, respond } from '@/app/lib/api-http';
import { deps } from '@/app/lib/services';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ queue: string; id: string }> };

/**
 * `GET /api/jobs/:queue/:id`: the job, its state named as the dashboard names it
 * (`paused`, `cancelled` included), and its signals oldest first. A job a cancel
 * removed from its queue still answers, rebuilt from the signal's outcome.
 */
export function GET(req: Request, { params }: Params): Promise<Response> {
  return respond(req, 'viewer', async () => {
    const { queue, id } = await params;
    const d = deps();
    const detail = await getJobDetail(d, queue, id);
    if (!detail) {
      throw new ApiError(
        404,
        (await d.queues.exists(queue))
          ? `Job ${id} does not exist in queue ${queue}.`
          : `Queue ${queue} does not exist.`,
      );
    }
    return Response.json({ job: detail.job, signals: detail.signals });
  });
}

export const POST = methodNotAllowed(['GET']);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
