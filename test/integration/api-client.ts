import { randomUUID } from 'node:crypto';
import { openDb } from '../../db/client';
import { createApiToken } from '../../db/tokens';
import type { Role } from '../../db/vocabulary';
import { resetServices } from '../helpers';

/** The Authorization header apiRequest sends unless a test passes its own. */
let defaultAuth: Record<string, string> = {};

/**
 * Creates an API token with `role` and sends it with every apiRequest of this
 * test file from now on. Returns the token's name (signals say `token:<name>`).
 */
export async function useApiToken(role: Role = 'support'): Promise<string> {
  const handle = openDb(process.env.DATABASE_URL, { max: 1 });
  try {
    const name = `test-${role}-${randomUUID().slice(0, 8)}`;
    const { token } = await createApiToken(handle.db, { name, role, createdBy: 'tests' });
    defaultAuth = { authorization: `Bearer ${token}` };
    return name;
  } finally {
    await handle.sql.end({ timeout: 1 });
  }
}

/** A request to a route handler, as a script would send it. */
export function apiRequest(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Request {
  const init: RequestInit = { method, headers: { ...defaultAuth, ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json', ...defaultAuth, ...headers };
  }
  return new Request(`http://localhost${path}`, init);
}

/** Status and parsed JSON body of a handler's response. */
// biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the handler sent
export async function answer(res: Response): Promise<{ status: number; body: any }> {
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Route context for dynamic segments, as Next.js passes it. */
export const routeParams = <T extends Record<string, string>>(params: T) => ({
  params: Promise.resolve(params),
});

/** Closes the process-wide clients the handlers opened. */
export const closeServices = (): Promise<void> => resetServices();
