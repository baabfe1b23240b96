import { and, count, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
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

export interface AuditFilter {
  action?: string;
  actor?: string;
  target?: string;
  from?: Date;
  /** Exclusive: the first instant not shown. */
  until?: Date;
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
  if (f.until) where.push(lt(auditEvents.at, f.until));
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
