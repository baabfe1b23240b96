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

/** The dashboard's public URL (cookies are Secure when it is https). */
export function authBaseUrl(): string {
  return (
    process.env.BETTER_AUTH_URL ||
    process.env.SIGNAL_DESK_URL ||
    `http://localhost:${process.env.PORT || 3000}`
  );
}

/** Failed sign-ins allowed per account and per address within a minute; the next is refused. */
export const SIGN_IN_FAILURES_PER_MINUTE = 9;
/** How long a session lasts without use. */
export const SESSION_SECONDS = 12 * 60 * 60;
