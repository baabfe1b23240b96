import 'server-only';
import { type Actor, actorFromHeaders } from '@/app/lib/session';
import { getLiveHub } from './hub';

const encoder = new TextEncoder();

/** How often a stream sends a comment (so proxies keep it open) and re-checks its caller. */
export const KEEP_ALIVE_MS = 15_000;

interface OpenStream {
  actor: Actor;
  recheck(): Promise<void>;
}

const globalForStreams = globalThis as unknown as { signalDeskLiveStreams?: Set<OpenStream> };
// On globalThis: route handlers and server actions may be bundled apart, but share the process.
globalForStreams.signalDeskLiveStreams ??= new Set();
const openStreams = globalForStreams.signalDeskLiveStreams;

/** Whether a re-check found the stream's own caller (a role change does not matter). */
function sameCaller(was: Actor, now: Actor | null): boolean {
  if (now === null || now.kind !== was.kind) return false;
  if (was.kind === 'token') return now.kind === 'token' && now.id === was.id;
  if (was.kind === 'user') return now.kind === 'user' && now.id === was.id;
  return now.kind === 'proxy' && now.email === was.email;
}

/**
 * Re-checks the open streams whose caller `matches` at once, closing those whose
 * session, account or token no longer holds. Called when an account is disabled, a
 * token revoked or a user signs out, so their streams end with the change instead
 * of at the next keep-alive. Resolves when every re-check is done.
 */
export async function recheckLiveStreams(matches: (actor: Actor) => boolean): Promise<number> {
  const due = [...openStreams].filter((s) => matches(s.actor));
  await Promise.all(due.map((s) => s.recheck()));
  return due.length;
}

/**
 * Server-sent events for `actor`, who was checked for this request: `ready` once
 * connected, then `change` whenever jobs or signals change (see LiveChange). At each
 * keep-alive the caller is checked again from the request's own credentials; a
 * signed-out or disabled user, a revoked token, or a check that cannot be made
 * (PostgreSQL down) ends the stream, and the browser's reconnect then gets the answer.
 * `retry: 1000` makes the browser reconnect a second after a drop.
 */
export function openLiveStream(
  request: Request,
  actor: Actor,
  keepAliveMs = KEEP_ALIVE_MS,
): Response {
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      let checking: Promise<void> | null = null;
      const send = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const entry: OpenStream = {
        actor,
        recheck() {
          checking ??= actorFromHeaders(request.headers)
            .then(
              (now) => (sameCaller(actor, now) ? undefined : cleanup()),
              () => cleanup(),
            )
            .finally(() => {
              checking = null;
            });
          return checking;
        },
      };
      const unsubscribe = getLiveHub().subscribe((change) =>
        send(`event: change\ndata: ${JSON.stringify(change)}\n\n`),
      );
      // Comments keep proxies from closing an idle connection.
      const ping = setInterval(() => {
        send(': ping\n\n');
        void entry.recheck();
      }, keepAliveMs);
      cleanup = () => {
        if (!open) return;
        open = false;
        openStreams.delete(entry);
        clearInterval(ping);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      openStreams.add(entry);
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
