/**
 * Runs once when the dashboard's server starts (Next.js instrumentation), before it
 * answers a request: from then on every request carries the caller's address as the
 * socket (or the trusted proxies) gave it, for sign-in limits and the audit trail.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installClientAddress } = await import('./app/lib/client-address');
  installClientAddress();
}
