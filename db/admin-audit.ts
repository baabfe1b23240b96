import { and, count, desc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import { type AuditEvent, auditEvents } from './auth-schema';
import type { Database } from './client';

export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'sign-in-refused',
  'sign-out',
  'user-created',
  'user-role-changed',
  'user-disabled',
  'user-enabled',
  'token-created',
  'token-revoked',
  'queue-paused',
  'queue-resumed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditInput {
  actor: string;
  action: AuditAction;
  target?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown> | null;
}

export async function recordAudit(db: Database, e: AuditInput): Promise<void> {
  await db.insert(auditEvents).values({
    actor: e.actor,
    action: e.action,
    target: e.target ?? null,
    ip: e.ip ?? null,
    detail: e.detail ?? null,
  });
}

/** Failed sign-ins in the last `seconds` for one account (target) or one address (ip). */
export async function recentSignInFailures(
  db: Database,
  by: { email?: string; ip?: string },
  seconds = 60,
): Promise<number> {
  const where: SQL[] = [
    eq(auditEvents.action, 'sign-in-failed'),
    gte(auditEvents.at, sql`now() - make_interval(secs => ${seconds})`),
  ];
  if (by.email) where.push(eq(auditEvents.target, by.email.toLowerCase()));
  if (by.ip) where.push(eq(auditEvents.ip, by.ip));
  const [row] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(...where));
  return row?.n ?? 0;
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  target?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

/** The admin audit trail, newest first. */
export async function listAudit(
  db: Database,
  f: AuditFilter,
): Promise<{ events: AuditEvent[]; total: number }> {
  const where: SQL[] = [];
  if (f.action) where.push(eq(auditEvents.action, f.action));
  if (f.actor) where.push(eq(auditEvents.actor, f.actor));
  if (f.target) where.push(eq(auditEvents.target, f.target));
  if (f.from) where.push(gte(auditEvents.at, f.from));
  if (f.to) where.push(lte(auditEvents.at, f.to));
  const cond = where.length ? and(...where) : undefined;
  const [events, [total]] = await Promise.all([
    db
      .select()
      .from(auditEvents)
      .where(cond)
      .orderBy(desc(auditEvents.at), desc(auditEvents.id))
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
    db.select({ n: count() }).from(auditEvents).where(cond),
  ]);
  return { events, total: total?.n ?? 0 };
}
