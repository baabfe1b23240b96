import { randomBytes } from 'node:crypto';
import { APIError, isAPIError } from 'better-auth/api';
import { z } from 'zod';
import { recordAudit } from './admin-audit';
import { clientAddress } from './auth-config';
import type { Database } from './client';
import {
  type BackoffClient,
  backoffKey,
  forgetFailures,
  pruneBackoff,
  reserveAttempt,
  signedInFrom,
} from './sign-in-backoff';
import { findUserById } from './users';

/** The parts of better-auth's hook context the sign-in hooks use. */
export interface SignInContext {
  body?: unknown;
  headers?: Headers;
  context: {
    secret: string;
    returned?: unknown;
    createAuthCookie: (
      name: string,
      attributes?: { maxAge?: number; path?: string },
    ) => { name: string; attributes: object };
  };
  getSignedCookie(key: string, secret: string): Promise<string | null | false>;
  setSignedCookie(key: string, value: string, secret: string, options?: object): Promise<string>;
}

/** How long a browser stays familiar to the account it signed in to. */
const DEVICE_COOKIE_DAYS = 180;

const emailOf = (ctx: SignInContext) =>
  String((ctx.body as { email?: unknown } | undefined)?.email ?? '').toLowerCase();
const addressOf = (ctx: SignInContext) => clientAddress(ctx.headers);

// Only where its own sign-in endpoint is called, and without the session cookie's scope.
const deviceCookie = (ctx: SignInContext) =>
  ctx.context.createAuthCookie('known_device', {
    maxAge: DEVICE_COOKIE_DAYS * 86_400,
    path: '/api/auth',
  });

/** The browser's device id, when its signed cookie names this account. */
async function deviceId(ctx: SignInContext, email: string): Promise<string | null> {
  const value = await ctx.getSignedCookie(deviceCookie(ctx).name, ctx.context.secret);
  if (!value) return null;
  const at = value.indexOf('|');
  return at > 0 && value.slice(at + 1) === email ? value.slice(0, at) : null;
}

async function clientOf(db: Database, ctx: SignInContext, email: string): Promise<BackoffClient> {
  const id = await deviceId(ctx, email);
  if (id) return { kind: 'device', id };
  const address = addressOf(ctx);
  if (address && (await signedInFrom(db, email, address))) return { kind: 'address', address };
  return { kind: 'unfamiliar' };
}

const waitText = (s: number) =>
  s < 90 ? `${s} second${s === 1 ? '' : 's'}` : `${Math.ceil(s / 60)} minutes`;

/**
 * Before the password is checked: the attempt is counted (as a failure until it
 * succeeds) against the account's back-off for this kind of client, and refused
 * while that back-off runs. Addresses are limited before this, by better-auth.
 */
export async function beforeSignIn(db: Database, ctx: SignInContext): Promise<void> {
  const email = emailOf(ctx);
  // Not an email: better-auth refuses it (400) without looking for an account.
  if (!z.email().safeParse(email).success) return;
  const client = await clientOf(db, ctx, email);
  const attempt = await reserveAttempt(db, backoffKey(email, client), email);
  if (attempt.ok) return;
  const wait = attempt.retryAfterSeconds;
  await recordAudit(db, {
    actor: email,
    action: 'sign-in-refused',
    target: email,
    ip: addressOf(ctx),
    detail: { why: 'backoff', client: client.kind, retryAfterSeconds: wait },
  });
  throw new APIError(
    'TOO_MANY_REQUESTS',
    {
      code: 'SIGN_IN_BACKOFF',
      message: `Too many failed sign-ins for this account. Wait ${waitText(wait)}, then try again.`,
    },
    { 'Retry-After': String(wait) },
  );
}

/**
 * After better-auth answered: a failure is recorded (the back-off counted it
 * already); a success gives back the attempt's failures and makes this browser
 * familiar to the account.
 */
export async function afterSignIn(db: Database, ctx: SignInContext): Promise<void> {
  const email = emailOf(ctx);
  const ip = addressOf(ctx);
  const returned = ctx.context.returned;
  if (isAPIError(returned)) {
    // 429 and 403 (disabled) were recorded where they were refused.
    if (returned.statusCode === 401)
      await recordAudit(db, { actor: email, action: 'sign-in-failed', target: email, ip });
    return;
  }
  const id = (await deviceId(ctx, email)) ?? randomBytes(16).toString('base64url');
  await forgetFailures(db, backoffKey(email, await clientOf(db, ctx, email)));
  await recordAudit(db, { actor: email, action: 'sign-in', target: email, ip });
  const cookie = deviceCookie(ctx);
  await ctx.setSignedCookie(cookie.name, `${id}|${email}`, ctx.context.secret, cookie.attributes);
  await pruneBackoff(db);
}

/** A session for a disabled account is refused, only once its password has matched. */
export async function refuseDisabled(
  db: Database,
  userId: string,
  ip: string | null,
): Promise<void> {
  const user = await findUserById(db, userId);
  if (!user?.disabled) return;
  await recordAudit(db, {
    actor: user.email,
    action: 'sign-in-refused',
    target: user.email,
    ip,
    detail: { why: 'disabled' },
  });
  throw new APIError('FORBIDDEN', {
    code: 'ACCOUNT_DISABLED',
    message: 'This account is disabled. Ask an admin.',
  });
}
