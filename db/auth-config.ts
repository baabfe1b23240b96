import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The secret that signs session cookies: BETTER_AUTH_SECRET, or one generated on
 * first use and kept in data/auth-secret (mode 600) so sessions survive restarts.
 */
export function authSecret(): string {
  if (process.env.BETTER_AUTH_SECRET) return process.env.BETTER_AUTH_SECRET;
  const file = join(process.env.SIGNAL_DESK_DATA_DIR || join(process.cwd(), 'data'), 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/**
 * The dashboard's public URL as configured (BETTER_AUTH_URL, else SIGNAL_DESK_URL),
 * or null when none is: then sign-in accepts the dashboard's own port on the
 * loopback names (see loopbackHosts).
 */
export function configuredBaseUrl(): string | null {
  return process.env.BETTER_AUTH_URL || process.env.SIGNAL_DESK_URL || null;
}

/** The port the dashboard serves on (PORT, default 3000). */
export const dashboardPort = (): string => process.env.PORT || '3000';

/** The dashboard's public URL (cookies are Secure when it is https). */
export function authBaseUrl(): string {
  return configuredBaseUrl() ?? `http://localhost:${dashboardPort()}`;
}

/** With no URL configured: the hosts a browser on this machine uses to open the dashboard. */
export function loopbackHosts(): string[] {
  const port = dashboardPort();
  return [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`];
}

/**
 * The request header that carries the caller's address. instrumentation.ts sets it
 * on every request from the socket (or the trusted proxy hops), replacing whatever
 * the client sent, so it is the only address the dashboard believes.
 */
export const CLIENT_ADDRESS_HEADER = 'x-signal-desk-client-address';

/** The caller's address, as instrumentation.ts resolved it (never a header the client chose). */
export function clientAddress(headers: Headers | undefined | null): string | null {
  return headers?.get(CLIENT_ADDRESS_HEADER) || null;
}

/** Sign-in attempts one address may make within a minute (better-auth's rate limit). */
export const SIGN_IN_ATTEMPTS_PER_ADDRESS = 10;
export const SIGN_IN_ADDRESS_WINDOW_SECONDS = 60;

/**
 * Failed sign-ins in a row an account (per kind of client) takes at full speed.
 * After the tenth, the next attempt waits SIGN_IN_BACKOFF_FIRST_SECONDS, and each
 * further failure doubles the wait, up to SIGN_IN_BACKOFF_MAX_SECONDS.
 */
export const SIGN_IN_FREE_FAILURES = 10;
export const SIGN_IN_BACKOFF_FIRST_SECONDS = 60;
export const SIGN_IN_BACKOFF_MAX_SECONDS = 15 * 60;
/** A day without a failure (or a successful sign-in) starts the count again. */
export const SIGN_IN_FAILURES_FORGOTTEN_SECONDS = 24 * 60 * 60;
/** How long an address that signed in to an account stays familiar to it. */
export const FAMILIAR_ADDRESS_DAYS = 90;

/** How long a session lasts without use. */
export const SESSION_SECONDS = 12 * 60 * 60;
