import { recheckLiveStreams } from '@/app/api/events/live-stream';
import { classifyServiceError, ServiceDownError } from '@/app/lib/services';
import { actorFromHeaders } from '@/app/lib/session';
import { getAuth } from '@/db/auth';
import { configuredBaseUrl, dashboardPort } from '@/db/auth-config';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

interface AuthErrorBody {
  code?: string;
  message?: string;
}

/** The origin the browser sent, as a URL origin (never the raw header), or null. */
function originOf(req: Request): string | null {
  const raw = req.headers.get('origin') || req.headers.get('referer');
  if (!raw) return null;
  try {
    const origin = new URL(raw).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** One sentence naming the setting that makes sign-in work where the browser opened the dashboard. */
function wrongOriginMessage(req: Request): string {
  const origin = originOf(req);
  const needs = origin ? `BETTER_AUTH_URL=${origin}` : 'BETTER_AUTH_URL set to this address';
  const configured = configuredBaseUrl();
  const now = configured
    ? `it is set to ${configured}`
    : `without it, only localhost, 127.0.0.1 and [::1] on port ${dashboardPort()} are accepted`;
  return `Signing in here needs ${needs} in the dashboard's environment (${now}).`;
}

/**
 * better-auth's answers, with three of them said in our words: its per-address
 * rate limit (429 with X-Retry-After), an origin it does not trust (which names the
 * setting to change), and an outage of PostgreSQL (a generic 503; details in the log).
 */
async function handle(req: Request): Promise<Response> {
  let res: Response;
  try {
    res = await getAuth().handler(req);
  } catch (raw) {
    const err = classifyServiceError(raw);
    if (!(err instanceof ServiceDownError)) throw raw;
    console.error(`[auth] ${req.method} ${new URL(req.url).pathname}: ${err.detail}`, err.cause);
    return Response.json(
      { code: 'SERVICE_UNAVAILABLE', message: `${err.message} Try again when it is back.` },
      { status: 503, headers: { 'Retry-After': '5', 'Cache-Control': 'no-store' } },
    );
  }
  if (res.status !== 429 && res.status !== 403) return res;
  const body = (await res
    .clone()
    .json()
    .catch(() => ({}))) as AuthErrorBody;
  const retry = res.headers.get('x-retry-after');
  if (res.status === 429 && !body.code && retry) {
    return Response.json(
      {
        code: 'TOO_MANY_ATTEMPTS_FROM_ADDRESS',
        message: `Too many sign-in attempts from your address. Wait ${retry} seconds, then try again.`,
      },
      { status: 429, headers: { 'Retry-After': retry, 'Cache-Control': 'no-store' } },
    );
  }
  if (res.status === 403 && body.code === 'INVALID_ORIGIN') {
    return Response.json(
      { code: 'INVALID_ORIGIN', message: wrongOriginMessage(req) },
      { status: 403, headers: { 'Cache-Control': 'no-store' } },
    );
  }
  return res;
}

/** Signing out also ends that user's live-event streams whose session it was. */
async function signOut(req: Request): Promise<Response> {
  const before = await actorFromHeaders(req.headers).catch(() => null);
  const res = await handle(req);
  if (res.ok && before?.kind === 'user') {
    await recheckLiveStreams((a) => a.kind === 'user' && a.id === before.id);
  }
  return res;
}

export const GET = handle;
export function POST(req: Request): Promise<Response> {
  return new URL(req.url).pathname.endsWith('/sign-out') ? signOut(req) : handle(req);
}
