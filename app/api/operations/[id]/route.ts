import { ApiError, methodNotAllowed, respond } from '@/app/lib/api-http';
import { deps } from '@/app/lib/services';
import { toOperationProgress } from '@/app/operations/progress';
import { operationsWithCounts } from '@/db/operations';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

/**
 * `GET /api/operations/:id`: a bulk request's progress, counted from its signals
 * (acted on, superseded with why, still open), and the jobs it skipped with why.
 */
export function GET(req: Request, { params }: Params): Promise<Response> {
  return respond(req, 'viewer', async () => {
    const { id: raw } = await params;
    const id = /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
    if (id <= 0)
      throw new ApiError(400, `An operation id is a positive whole number; got "${raw}".`);
    const hit = (await operationsWithCounts(deps().db, [id], { detail: true })).get(id);
    if (!hit) throw new ApiError(404, `Operation ${id} does not exist.`);
    return Response.json({
      ...toOperationProgress(hit.operation, hit.counts, new Date()),
      skipped: hit.operation.skipped,
    });
  });
}

export const POST = methodNotAllowed(['GET']);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
