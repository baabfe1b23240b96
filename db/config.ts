/** Connection settings, read once from the environment with the contract's defaults. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:5432/signal_desk';

export function databaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

/** The connection used for LISTEN; pgbouncer in transaction mode cannot LISTEN, so it may differ. */
export function databaseListenUrl(): string {
  return process.env.DATABASE_LISTEN_URL || databaseUrl();
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Whether DATABASE_URL goes through a transaction-mode pooler such as pgbouncer:
 * DATABASE_POOLED=true, or a DATABASE_LISTEN_URL of its own (the README's recipe).
 * Then no named prepared statements and no startup parameters beyond the basics.
 */
export function databaseIsPooled(): boolean {
  if (process.env.DATABASE_POOLED === 'true') return true;
  const listen = process.env.DATABASE_LISTEN_URL;
  return Boolean(listen) && listen !== databaseUrl();
}
