import { actorFromHeaders } from '@/app/lib/session';
import { getLiveHub } from './hub';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const encoder = new TextEncoder();
const PING_MS = 15_000;

/**
 * Server-sent events: `ready` once connected, then `change` whenever jobs or
 * signals change (see LiveChange). Pages re-read their own data on a change.
 * `retry: 1000` makes the browser reconnect a second after a drop.
 */
export async function GET(request: Request): Promise<Response> {
  // Queue names and job ids are not for strangers: the same sign-in as the pages.
  const actor = await actorFromHeaders(request.headers).then(
    (a) => (a ? 'ok' : 'none'),
    () => 'unknown', // sessions live in PostgreSQL; the pages say when it is down
  );
  if (actor === 'none')
    return Response.json({ error: 'Sign in to follow live changes.' }, { status: 401 });
  if (actor === 'unknown')
    return Response.json({ error: 'Sessions cannot be checked right now.' }, { status: 503 });
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const unsubscribe = getLiveHub().subscribe((change) =>
        send(`event: change\ndata: ${JSON.stringify(change)}\n\n`),
      );
      // Comments keep proxies from closing an idle connection.
      const ping = setInterval(() => send(': ping\n\n'), PING_MS);
      cleanup = () => {
        if (!open) return;
        open = false;
        clearInterval(ping);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      request.signal.addEventListener('abort', cleanup);
      send('retry: 1000\n\nevent: ready\ndata: {}\n\n');
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      // no-transform keeps compression (which would buffer events) off this response.
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    },
  });
}
