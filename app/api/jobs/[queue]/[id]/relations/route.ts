import { readRelations } from '@/app/bullmq/job-relations';
import { ApiError, methodNotAllowed, respond } from '@/app/lib/api-http';
import { deps } from '@/app/lib/services';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ queue: string; id: string }> };

/**
 * `GET /api/jobs/:queue/:id/relations`: what else a job is tied to, in a few small
 * Redis reads: `{ scheduler, parent, children }` (each null when there is none). The
 * confirmation dialogs ask it before a signal is sent, to say what happens to a
 * scheduler's schedule or a flow's children.
 */
export function GET(req: Request, { params }: Params): Promise<Response> {
  return respond(req, 'viewer', async () => {
    const { queue, id } = await params;
    if (new URL(req.url).searchParams.size > 0)
      throw new ApiError(400, 'This endpoint takes no query parameters.');
    const d = deps();
    if (!(await d.queues.exists(queue))) throw new ApiError(404, `Queue ${queue} does not exist.`);
    const job = await d.queues.job(queue, id);
    if (!job) throw new ApiError(404, `Job ${id} does not exist in queue ${queue}.`);
    return Response.json(await readRelations(d.queues.get(queue), job));
  });
}

export const POST = methodNotAllowed(['GET']);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
