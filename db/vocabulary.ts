/**
 * The words every part of Signal Desk shares: signal kinds and statuses, roles,
 * the notification channels and how a job is keyed in memory. Plain constants and
 * functions (no driver, no Drizzle), so the browser bundle, the workers and the
 * scripts import them as they are. Each is defined here and nowhere else.
 */

export const SIGNAL_KINDS = ['cancel', 'pause', 'resume'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export const SIGNAL_STATUSES = ['pending', 'delivered', 'completed', 'superseded'] as const;
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];

/** A signal in one of these statuses still waits for a worker to act on it. */
export const OPEN_STATUSES = ['pending', 'delivered'] as const satisfies readonly SignalStatus[];
export const isOpenStatus = (s: SignalStatus): boolean => s === 'pending' || s === 'delivered';

/** Longest `reason`, in characters (the table's CHECK says the same). */
export const REASON_MAX = 500;

/** Dashboard roles, least to most. */
export const ROLES = ['viewer', 'support', 'admin'] as const;
export type Role = (typeof ROLES)[number];
const RANK: Record<Role, number> = { viewer: 0, support: 1, admin: 2 };
/** Whether `role` may do what `need` may. */
export const roleAtLeast = (role: Role, need: Role): boolean => RANK[role] >= RANK[need];

/** Channel of new requests: any notification means "read the open signals again". */
export const SIGNAL_CHANNEL = 'job_signals';
/** Channel of worker-side changes (delivered, completed, superseded), for live views. */
export const SIGNAL_EVENTS_CHANNEL = 'job_signal_events';

/** A claim older than this on a job that no worker holds may be claimed again. */
export const STALE_CLAIM_SECONDS = 30;

/**
 * One job as a map key. BullMQ queue names and job ids are free text; U+0000 can
 * be in neither a PostgreSQL text nor (in practice) a queue name, so it separates.
 */
export const jobKey = (queue: string, jobId: string): string => `${queue}\u0000${jobId}`;
