import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { isIP, type Socket } from 'node:net';
import { CLIENT_ADDRESS_HEADER } from '@/db/auth-config';

/** The most proxies in front of the dashboard we accept in SIGNAL_DESK_TRUSTED_PROXY_HOPS. */
const MAX_HOPS = 10;

/**
 * SIGNAL_DESK_TRUSTED_PROXY_HOPS: how many reverse proxies in front of the dashboard
 * append to X-Forwarded-For (default 0: the socket's peer is the client). Anything
 * else is refused in the log and treated as 0, the one setting a client cannot abuse.
 */
export function trustedProxyHops(raw = process.env.SIGNAL_DESK_TRUSTED_PROXY_HOPS): number {
  if (raw === undefined || raw.trim() === '') return 0;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= 0 && n <= MAX_HOPS) return n;
  console.error(
    `[signal-desk] SIGNAL_DESK_TRUSTED_PROXY_HOPS must be a whole number from 0 to ${MAX_HOPS}; got "${raw}". Trusting no proxy.`,
  );
  return 0;
}

/** An address as written in a header or by the socket, or null when it is not one. */
function normalise(raw: string | undefined): string | null {
  let a = raw?.trim() ?? '';
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1] as string;
  else if (/^[\d.]+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  if (a.toLowerCase().startsWith('::ffff:') && isIP(a.slice(7)) === 4) a = a.slice(7);
  return isIP(a) ? a.toLowerCase() : null;
}

/**
 * The client's address. With no trusted proxy it is the socket's peer. Behind `hops`
 * proxies, each appending the address it heard from to X-Forwarded-For, the client
 * is `hops` entries from the right of [...X-Forwarded-For, peer]: the entries further
 * left were written by the client and prove nothing. Fewer entries than hops (a
 * request that bypassed a proxy) give the leftmost one a proxy wrote.
 */
export function resolveClientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  hops: number,
): string | null {
  if (hops === 0) return normalise(peer);
  const written = [forwardedFor ?? []]
    .flat()
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  const chain = [...written, peer ?? ''];
  return normalise(chain[Math.max(0, chain.length - 1 - hops)]);
}

const globalForAddress = globalThis as unknown as { signalDeskClientAddress?: boolean };

/**
 * Stamps every request this process serves with the caller's address
 * (CLIENT_ADDRESS_HEADER), replacing any such header the client sent. Node publishes
 * each request on the `http.server.request.start` channel, with its socket, before
 * Next.js sees it; route handlers get only headers, so this is how they learn the
 * peer. Called once per process by instrumentation.ts.
 */
export function installClientAddress(): void {
  if (globalForAddress.signalDeskClientAddress) return;
  globalForAddress.signalDeskClientAddress = true;
  const hops = trustedProxyHops();
  subscribe('http.server.request.start', (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    const address = resolveClientAddress(
      socket.remoteAddress,
      request.headers['x-forwarded-for'],
      hops,
    );
    if (address) request.headers[CLIENT_ADDRESS_HEADER] = address;
    else delete request.headers[CLIENT_ADDRESS_HEADER];
  });
}
