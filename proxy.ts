import { type NextRequest, NextResponse } from 'next/server';
import { nestsDeeperThan } from '@/app/lib/json-depth';

/**
 * Every page gets a fresh nonce and a strict Content-Security-Policy: scripts
 * only with the nonce (Next.js adds it to its own), nothing framed, no plugins.
 * Styles allow inline attributes: React renders style="" for widths and the
 * toast library injects a <style>; neither can run code.
 */
/** Pages anyone may see: signing in, and the refusal page. */
const PUBLIC = ['/sign-in', '/forbidden'];

/**
 * A quick first check, so a signed-out visitor gets a plain redirect even from
 * pages that stream: no session cookie (and no SSO proxy header) means the sign-in
 * page. Every page, action and route still checks the session and role itself.
 */
function signInRedirect(request: NextRequest): NextResponse | null {
  const path = request.nextUrl.pathname;
  if (PUBLIC.some((p) => path === p || path.startsWith(`${p}/`))) return null;
  const proxyHeader = process.env.SIGNAL_DESK_PROXY_HEADER;
  if (proxyHeader && request.headers.get(proxyHeader)) return null;
  const cookies = request.cookies;
  if (cookies.has('signal-desk.session_token') || cookies.has('__Secure-signal-desk.session_token'))
    return null;
  const to = new URL('/sign-in', request.url);
  to.searchParams.set('next', `${path}${request.nextUrl.search}`);
  return NextResponse.redirect(to, 307);
}

/**
 * Deepest nesting of arrays and objects a server action's body may have. Ours are
 * at most four deep; React's reply decoder recurses, so a body nested a few
 * thousand deep overflows the stack and would answer 500.
 */
const MAX_ACTION_NESTING = 32;

/**
 * A POST to a page is a server action (pages take no other POST): refused with a
 * 400 when its body nests deeper than any action takes. Next.js has no setting for
 * this (its body size limit answers 500 too), and it hands the proxy a copy of the
 * body, so reading it here leaves the action's own.
 */
async function refuseDeepAction(request: NextRequest): Promise<Response | null> {
  if (request.method !== 'POST') return null;
  const body = await request
    .clone()
    .text()
    .catch(() => '');
  if (!nestsDeeperThan(body, MAX_ACTION_NESTING)) return null;
  return new Response(
    `The request body nests deeper than ${MAX_ACTION_NESTING} levels; no action takes that.`,
    { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } },
  );
}

export async function proxy(request: NextRequest) {
  const refused = await refuseDeepAction(request);
  if (refused) return refused;
  // Server actions answer their own POSTs (with a refusal the client can show).
  const redirect =
    request.method === 'GET' || request.method === 'HEAD' ? signInRedirect(request) : null;
  if (redirect) return redirect;
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const dev = process.env.NODE_ENV === 'development';
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

/**
 * Every page, including a browser's prefetch of one (`Purpose: prefetch`), which it
 * may show later as the page itself. Only the router's RSC prefetches skip the
 * proxy; they are not HTML, and next.config.js gives any HTML that skips it a
 * strict CSP without a nonce.
 */
export const config = {
  matcher: [
    {
      source: '/((?!api|_next/static|_next/image|favicon.ico).*)',
      missing: [{ type: 'header', key: 'next-router-prefetch' }],
    },
  ],
};
