import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';
import { recentSignInFailures, recordAudit } from './admin-audit';
import {
  authBaseUrl,
  authSecret,
  SESSION_SECONDS,
  SIGN_IN_FAILURES_PER_MINUTE,
} from './auth-config';
import { accounts, sessions, users, verifications } from './auth-schema';
import { type Database, getDb } from './client';
import { findUserByEmail } from './users';

/** The caller's address: the first X-Forwarded-For hop when a proxy sets it, else X-Real-IP. */
export function clientIp(headers: Headers | undefined | null): string | null {
  const fwd = headers?.get('x-forwarded-for');
  if (fwd) return fwd.split(',')[0]?.trim() || null;
  return headers?.get('x-real-ip') ?? null;
}

function createAuth(db: Database) {
  const baseURL = authBaseUrl();
  return betterAuth({
    baseURL,
    secret: authSecret(),
    telemetry: { enabled: false },
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: { user: users, session: sessions, account: accounts, verification: verifications },
    }),
    // Accounts are made by admins (or `npm run user:create`), never by sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10 },
    user: {
      additionalFields: {
        role: { type: 'string', required: false, defaultValue: 'viewer', input: false },
        disabled: { type: 'boolean', required: false, defaultValue: false, input: false },
      },
    },
    session: { expiresIn: SESSION_SECONDS, updateAge: 15 * 60 },
    // Our own limit below counts failures per account and per address; better-auth's
    // request-rate limit would refuse honest retries first.
    rateLimit: { enabled: false },
    advanced: {
      cookiePrefix: 'signal-desk',
      useSecureCookies: baseURL.startsWith('https:'),
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
    },
    trustedOrigins: (process.env.SIGNAL_DESK_TRUSTED_ORIGINS ?? '').split(',').filter(Boolean),
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-in/email') return;
        const email = String(
          (ctx.body as { email?: unknown } | undefined)?.email ?? '',
        ).toLowerCase();
        const ip = clientIp(ctx.headers);
        const [byAccount, byIp] = await Promise.all([
          recentSignInFailures(db, { email }),
          ip ? recentSignInFailures(db, { ip }) : Promise.resolve(0),
        ]);
        if (byAccount >= SIGN_IN_FAILURES_PER_MINUTE || byIp >= SIGN_IN_FAILURES_PER_MINUTE) {
          await recordAudit(db, {
            actor: email || 'unknown',
            action: 'sign-in-refused',
            target: email,
            ip,
          });
          throw new APIError('TOO_MANY_REQUESTS', {
            message: 'Too many failed sign-ins. Wait a minute, then try again.',
          });
        }
        const user = email ? await findUserByEmail(db, email) : null;
        if (user?.disabled) {
          await recordAudit(db, {
            actor: email,
            action: 'sign-in-refused',
            target: email,
            ip,
            detail: { why: 'disabled' },
          });
          throw new APIError('FORBIDDEN', { message: 'This account is disabled. Ask an admin.' });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        const ip = clientIp(ctx.headers);
        if (ctx.path === '/sign-in/email') {
          const email = String(
            (ctx.body as { email?: unknown } | undefined)?.email ?? '',
          ).toLowerCase();
          const failed = isAPIError(ctx.context.returned);
          if (failed && (ctx.context.returned as APIError).statusCode === 429) return;
          if (failed && (ctx.context.returned as APIError).statusCode === 403) return;
          await recordAudit(db, {
            actor: email,
            action: failed ? 'sign-in-failed' : 'sign-in',
            target: email,
            ip,
          });
        } else if (ctx.path === '/sign-out') {
          const email = ctx.context.session?.user.email;
          if (email) await recordAudit(db, { actor: email, action: 'sign-out', target: email, ip });
        }
      }),
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { signalDeskAuth?: Auth };

/** The process-wide better-auth instance (cached on globalThis for hot reload). */
export function getAuth(): Auth {
  globalForAuth.signalDeskAuth ??= createAuth(getDb().db);
  return globalForAuth.signalDeskAuth;
}
