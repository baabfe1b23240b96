import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getAuth } from '@/db/auth';
import { getDb } from '@/db/client';
import { verifyApiToken } from '@/db/tokens';
import { findUserByEmail } from '@/db/users';
import type { Role } from '@/db/vocabulary';

/** Who is calling: a signed-in user, an SSO proxy's user, or an API token. */
export type Actor =
  | { kind: 'user'; id: string; email: string; role: Role }
  | { kind: 'proxy'; email: string; role: Role }
  | { kind: 'token'; id: number; name: string; role: Role };

const RANK: Record<Role, number> = { viewer: 0, support: 1, admin: 2 };

export function hasRole(actor: Actor | null, need: Role): boolean {
  return actor !== null && RANK[actor.role] >= RANK[need];
}

/** The `requested_by` of a signal: the user's email, or `token:<name>`. */
export function actorName(actor: Actor): string {
  return actor.kind === 'token' ? `token:${actor.name}` : actor.email;
}

/**
 * Trusted-proxy mode (SIGNAL_DESK_PROXY_HEADER, e.g. x-forwarded-email): an SSO
 * proxy in front, which strips that header from clients, names the user. The
 * role comes from the users table, else SIGNAL_DESK_PROXY_DEFAULT_ROLE (viewer).
 */
async function proxyActor(h: Headers): Promise<Actor | null> {
  const header = process.env.SIGNAL_DESK_PROXY_HEADER;
  const email = header ? h.get(header)?.trim().toLowerCase() : undefined;
  if (!email) return null;
  const user = await findUserByEmail(getDb().db, email);
  if (user?.disabled) return null;
  const fallback = (process.env.SIGNAL_DESK_PROXY_DEFAULT_ROLE as Role | undefined) ?? 'viewer';
  return { kind: 'proxy', email, role: user?.role ?? fallback };
}

/** The actor of a set of request headers (session cookie, proxy header or bearer token). */
export async function actorFromHeaders(h: Headers): Promise<Actor | null> {
  const bearer = h.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) {
    const token = await verifyApiToken(getDb().db, bearer);
    return token ? { kind: 'token', id: token.id, name: token.name, role: token.role } : null;
  }
  const proxied = await proxyActor(h);
  if (proxied) return proxied;
  const session = await getAuth().api.getSession({ headers: h });
  if (!session) return null;
  const user = session.user as typeof session.user & { role?: Role; disabled?: boolean };
  if (user.disabled) return null;
  return { kind: 'user', id: user.id, email: user.email, role: user.role ?? 'viewer' };
}

/** The current request's actor (memoised per request). */
export const currentActor = cache(
  async (): Promise<Actor | null> => actorFromHeaders(await headers()),
);

/**
 * For pages: the actor, or a redirect to the sign-in page (which returns to
 * `path` afterwards). A signed-in user without the role sees /forbidden.
 */
export async function requirePageRole(need: Role, path: string): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect(`/sign-in?next=${encodeURIComponent(path)}`);
  if (!hasRole(actor, need)) redirect(`/forbidden?need=${need}`);
  return actor;
}
