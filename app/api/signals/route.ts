import { ApiError, methodNotAllowed, readJson, refusalStatus, respond } from '@/app/lib/api-http';
import { deps } from '@/app/lib/services';
import { actorName } from '@/app/lib/session';
import {
  API_SIGNAL_PARAMS,
  parseSignalListParams,
  signalCursor,
} from '@/app/lib/signal-list-params';
import { requestSignal } from '@/app/requests/request-signal';
import { signalRequestSchema } from '@/app/requests/schema';
import { listSignals } from '@/db/audit-list/list';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** `POST /api/signals`: 201 with a new signal, 200 with the open one it meets. */
export function POST(req: Request): Promise<Response> {
  return respond(req, 'support', async (actor) => {
    const body = await readJson(req, signalRequestSchema);
    const result = await requestSignal(deps(), { ...body, requestedBy: actorName(actor) });
    if (!result.ok) throw new ApiError(refusalStatus(result.code), result.error);
    return Response.json({ signal: result.signal }, { status: result.created ? 201 : 200 });
  });
}

/**
 * `GET /api/signals`: the audit list, newest first. `total` is exact up to 20,000
 * matches (and for filters the per-day counts answer), else PostgreSQL's estimate
 * with `totalIsEstimate: true`. `nextCursor` pages by key (`cursor=`), unmoved by
 * rows written meanwhile.
 */
export function GET(req: Request): Promise<Response> {
  return respond(req, 'viewer', async () => {
    const parsed = parseSignalListParams(new URL(req.url).searchParams, API_SIGNAL_PARAMS);
    if (!parsed.ok) throw new ApiError(400, parsed.error);
    const { filter, sort, page, pageSize, after } = parsed.params;
    const list = await listSignals(deps().db, { filter, sort, page, pageSize, after });
    return Response.json({
      signals: list.signals,
      total: list.total,
      page,
      pageSize,
      totalIsEstimate: !list.exact,
      nextCursor: list.nextAfter === null ? null : signalCursor(sort, list.nextAfter),
    });
  });
}

export const PUT = methodNotAllowed(['GET', 'POST']);
export const PATCH = PUT;
export const DELETE = PUT;
