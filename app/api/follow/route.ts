import { readFollowed } from '@/app/jobs/followed';
import { ApiError, methodNotAllowed, respond } from '@/app/lib/api-http';
import { deps } from '@/app/lib/services';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Most signals and operations one view follows at once (the browser lets older ones go). */
const MAX = { signals: 50, operations: 10 } as const;

function ids(url: URL, name: keyof typeof MAX): number[] {
  const raw = url.searchParams.get(name)?.trim() ?? '';
  if (raw === '') return [];
  const parts = raw.split(',');
  if (parts.length > MAX[name]) throw new ApiError(400, `At most ${MAX[name]} ${name} at once.`);
  return parts.map((p) => {
    if (!/^\d{1,15}$/.test(p) || Number(p) < 1)
      throw new ApiError(400, `${name} takes positive whole numbers, comma-separated; got "${p}".`);
    return Number(p);
  });
}

/**
 * `GET /api/follow?signals=1,2&operations=3`: the signals and operations a page
 * follows after a click, read again (FollowedData). A plain GET rather than a server
 * action: Next.js runs server actions one at a time with the router's own refreshes,
 * and a page following a few signals must not hold back its re-reads.
 */
export function GET(req: Request): Promise<Response> {
  return respond(req, 'viewer', async () => {
    const url = new URL(req.url);
    const known = new Set(['signals', 'operations']);
    const unknown = [...url.searchParams.keys()].filter((k) => !known.has(k));
    if (unknown.length > 0)
      throw new ApiError(
        400,
        `Unknown query parameter: ${unknown.join(', ')}. Known: signals, operations.`,
      );
    const data = await readFollowed(deps(), ids(url, 'signals'), ids(url, 'operations'));
    return Response.json(data, { headers: { 'Cache-Control': 'no-store' } });
  });
}

export const POST = methodNotAllowed(['GET']);
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
