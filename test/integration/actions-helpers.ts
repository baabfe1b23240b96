import { vi } from 'vitest';

/**
 * Server actions read who is calling from the request headers (next/headers).
 * Tests play an SSO proxy that names the caller in a header; the role comes from
 * SIGNAL_DESK_PROXY_DEFAULT_ROLE, since the caller has no users row.
 */
export const caller = { headers: new Headers() };

export function signInAs(email: string | null, role: 'viewer' | 'support' | 'admin' = 'support') {
  vi.stubEnv('SIGNAL_DESK_PROXY_HEADER', 'x-test-user');
  vi.stubEnv('SIGNAL_DESK_PROXY_DEFAULT_ROLE', role);
  caller.headers = new Headers(email ? { 'x-test-user': email } : {});
}
