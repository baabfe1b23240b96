import { type Actor, actorFromHeaders } from '@/app/lib/session';
import { openLiveStream } from './live-stream';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * Server-sent events for open pages (see openLiveStream): queue names and job ids
 * are not for strangers, so the same sign-in as the pages, checked again at every
 * keep-alive and whenever the caller's account or token changes.
 */
export async function GET(request: Request): Promise<Response> {
  const actor = await actorFromHeaders(request.headers).then(
    (a): Actor | 'none' => a ?? 'none',
    () => 'unknown' as const, // sessions live in PostgreSQL; the pages say when it is down
  );
  if (actor === 'none')
    return Response.json({ error: 'Sign in to follow live changes.' }, { status: 401 });
  if (actor === 'unknown')
    return Response.json({ error: 'Sessions cannot be checked right now.' }, { status: 503 });
  return openLiveStream(request, actor);
}
