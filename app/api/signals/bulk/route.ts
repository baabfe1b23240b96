import { ApiError, methodNotAllowed, readJson, refusalStatus, respond } from '@/app/lib/api-http';
import { deps } from '@/app/lib/services';
import { actorName } from '@/app/lib/session';
import { requestBulkSignals } from '@/app/requests/request-bulk';
import { bulkSignalRequestSchema } from '@/app/requests/schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * `POST /api/signals/bulk`: one signal for many jobs of a queue, by ids or by name.
 * Jobs whose state does not allow it are listed in `skipped`, each with the reason;
 * `operationId` names the tracked operation (`GET /api/operations/:id`, `/operations/:id`).
 */
export function POST(req: Request): Promise<Response> {
  return respond(req, 'support', async (actor) => {
    const body = await readJson(req, bulkSignalRequestSchema);
    const result = await requestBulkSignals(deps(), { ...body, requestedBy: actorName(actor) });
    if (!result.ok) throw new ApiError(refusalStatus(result.code), result.error);
    return Response.json({
      requested: result.requested,
      skipped: result.skipped,
      operationId: result.operationId,
    });
  });
}

export const GET = methodNotAllowed(['POST']);
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
