import { and, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import {
  FAMILIAR_ADDRESS_DAYS,
  SIGN_IN_BACKOFF_FIRST_SECONDS,
  SIGN_IN_BACKOFF_MAX_SECONDS,
  SIGN_IN_FAILURES_FORGOTTEN_SECONDS,
  SIGN_IN_FREE_FAILURES,
} from './auth-config';
import { auditEvents, signInBackoff } from './auth-schema';
import type { Database } from './client';

/**
 * Whose failures an attempt counts against. Clients that have signed in to the
 * account before (a browser with its device cookie, or an address) each have their
 * own count, so failures from anywhere else never slow their owner down; every other
 * client of the account shares one count. Smart lockout, as Entra ID calls it.
 */
export type BackoffClient =
  | { kind: 'unfamiliar' }
  | { kind: 'device'; id: string }
  | { kind: 'address'; address: string };

export function backoffKey(email: string, client: BackoffClient): string {
  const e = email.toLowerCase();
  if (client.kind === 'device') return `device:${client.id}:${e}`;
  if (client.kind === 'address') return `address:${client.address}:${e}`;
  return `account:${e}`;
}

/** Seconds to wait after the n-th failure in a row (n counts the attempt being made). */
export function backoffSeconds(failures: number): number {
  if (failures < SIGN_IN_FREE_FAILURES) return 0;
  const doubled = SIGN_IN_BACKOFF_FIRST_SECONDS * 2 ** (failures - SIGN_IN_FREE_FAILURES);
  return Math.min(doubled, SIGN_IN_BACKOFF_MAX_SECONDS);
}

/** backoffSeconds in SQL, for the failure count `n` computed inside the statement. */
function backoffInterval(n: SQL): SQL {
  return sql`make_interval(secs => case when ${n} < ${SIGN_IN_FREE_FAILURES} then 0
    else least(${SIGN_IN_BACKOFF_FIRST_SECONDS} * power(2, ${n} - ${SIGN_IN_FREE_FAILURES}), ${SIGN_IN_BACKOFF_MAX_SECONDS}) end)`;
}

export type Reservation = { ok: true; failures: number } | { ok: false; retryAfterSeconds: number };

/**
 * Takes one attempt for `key` before its password is checked, in one statement: the
 * attempt counts as a failure from the start (a success gives it back, see
 * forgetFailures), and it is refused while the key's back-off runs. Concurrent
 * attempts serialise on the row, so a burst cannot slip past the count.
 */
export async function reserveAttempt(
  db: Database,
  key: string,
  email: string,
): Promise<Reservation> {
  const b = signInBackoff;
  // clock_timestamp(), not now(): now() is when the transaction began, and a burst's
  // attempts wait on each other's row lock, so a later row could look "in the future".
  const next = sql`case when ${b.lastFailureAt} < clock_timestamp() - make_interval(secs => ${SIGN_IN_FAILURES_FORGOTTEN_SECONDS})
    then 1 else ${b.failures} + 1 end`;
  const rows = await db.execute<{ failures: number }>(sql`
    insert into ${b} (key, email, failures, last_failure_at, retry_at)
    values (${key}, ${email.toLowerCase()}, 1, clock_timestamp(), clock_timestamp() + ${backoffInterval(sql`1`)})
    on conflict (key) do update set
      failures = ${next},
      last_failure_at = clock_timestamp(),
      retry_at = clock_timestamp() + ${backoffInterval(next)}
    where ${b.retryAt} <= clock_timestamp()
    returning failures`);
  const row = rows[0];
  if (row) return { ok: true, failures: Number(row.failures) };
  // Refused: read the wait in a statement of its own, which sees the row as the
  // attempt that started the back-off left it (the insert's snapshot may be older).
  const [wait] = await db.execute<{ retry_in: number | null }>(sql`
    select ceil(extract(epoch from ${b.retryAt} - clock_timestamp()))::int as retry_in
    from ${b} where ${b.key} = ${key}`);
  return { ok: false, retryAfterSeconds: Math.max(1, Number(wait?.retry_in ?? 1)) };
}

/** A successful sign-in: the key's failures (including the attempt just made) are forgotten. */
export async function forgetFailures(db: Database, key: string): Promise<void> {
  await db.delete(signInBackoff).where(eq(signInBackoff.key, key));
}

/** A new password (`user:create --reset`): every back-off of the account ends. */
export async function clearBackoff(db: Database, email: string): Promise<void> {
  await db.delete(signInBackoff).where(eq(signInBackoff.email, email.toLowerCase()));
}

/** Rows whose failures are forgotten anyway; called now and then, so the table stays small. */
export async function pruneBackoff(db: Database): Promise<void> {
  await db
    .delete(signInBackoff)
    .where(
      and(
        lt(
          signInBackoff.lastFailureAt,
          sql`now() - make_interval(secs => ${SIGN_IN_FAILURES_FORGOTTEN_SECONDS})`,
        ),
        lt(signInBackoff.retryAt, sql`now()`),
      ),
    );
}

/** Whether `address` signed in to `email` successfully within FAMILIAR_ADDRESS_DAYS. */
export async function signedInFrom(db: Database, email: string, address: string): Promise<boolean> {
  const rows = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.target, email.toLowerCase()),
        eq(auditEvents.action, 'sign-in'),
        eq(auditEvents.ip, address),
        gte(auditEvents.at, sql`now() - make_interval(days => ${FAMILIAR_ADDRESS_DAYS})`),
      ),
    )
    .limit(1);
  return rows.length > 0;
}
