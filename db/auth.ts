import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { createAuthMiddleware } from 'better-auth/api';
import { recordAudit } from './admin-audit';
import {
  authBaseUrl,
  authSecret,
  CLIENT_ADDRESS_HEADER,
  clientAddress,
  configuredBaseUrl,
  loopbackHosts,
  SESSION_SECONDS,
  SIGN_IN_ADDRESS_WINDOW_SECONDS,
  SIGN_IN_ATTEMPTS_PER_ADDRESS,
} from './auth-config';
import { accounts, rateLimits, sessions, users, verifications } from './auth-schema';
import { type Database, getDb } from './client';
import { afterSignIn, beforeSignIn, refuseDisabled } from './sign-in-hooks';

/**
 * Where sign-in is accepted. A configured URL (BETTER_AUTH_URL) is the one origin;
 * without one, better-auth's dynamic base URL accepts the dashboard's own port on
 * localhost, 127.0.0.1 and [::1], so the demo works whichever a browser opens.
 */
function baseUrlOption() {
  const configured = configuredBaseUrl();
  if (configured) return configured;
  return { allowedHosts: loopbackHosts(), protocol: 'http' as const, fallback: authBaseUrl() };
}

function createAuth(db: Database) {
  const secure = authBaseUrl().startsWith('https:');
  return betterAuth({
    baseURL: baseUrlOption(),
    secret: authSecret(),
    telemetry: { enabled: false },
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: {
        user: users,
        session: sessions,
        account: accounts,
        verification: verifications,
        rateLimit: rateLimits,
      },
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
    // Per address: better-auth's own limit, counted atomically in PostgreSQL before the
    // endpoint runs, keyed by the address instrumentation.ts resolved from the socket.
    // Per account: the back-off in sign-in-hooks.ts (better-auth keys only by address).
    rateLimit: {
      enabled: true,
      storage: 'database',
      window: 60,
      max: 100,
      customRules: {
        '/sign-in/email': {
          window: SIGN_IN_ADDRESS_WINDOW_SECONDS,
          max: SIGN_IN_ATTEMPTS_PER_ADDRESS,
        },
      },
    },
    advanced: {
      cookiePrefix: 'signal-desk',
      useSecureCookies: secure,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
      // better-auth turns its origin check off when TEST or NODE_ENV=test is set; a
      // security check should not hang on such a variable, so it is on everywhere.
      disableOriginCheck: false,
    },
    trustedOrigins: (process.env.SIGNAL_DESK_TRUSTED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    // A session is made only after the password matched: a disabled account is
    // refused here, so a wrong password never tells anyone it exists.
    databaseHooks: {
      session: {
        create: {
          before: (session, ctx) =>
            refuseDisabled(
              db,
              session.userId,
              clientAddress(ctx?.headers ?? ctx?.request?.headers),
            ),
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path === '/sign-in/email') await beforeSignIn(db, ctx);
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path === '/sign-in/email') {
          await afterSignIn(db, ctx);
        } else if (ctx.path === '/sign-out') {
          const email = ctx.context.session?.user.email;
          const ip = clientAddress(ctx.headers);
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
