import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { ROLES } from './vocabulary';

export const userRole = pgEnum('user_role', ROLES);

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/*
 * The four tables of better-auth (user, session, account, verification), with
 * our `role` and `disabled` on users. Column keys are the field names
 * better-auth expects; its Drizzle adapter maps them through this schema.
 */
export const users = pgTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  role: userRole('role').notNull().default('viewer'),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    expiresAt: tstz('expires_at').notNull(),
    token: text('token').notNull().unique(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: tstz('access_token_expires_at'),
    refreshTokenExpiresAt: tstz('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('accounts_user').on(t.userId)],
);

export const verifications = pgTable('verifications', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: tstz('expires_at').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/** Named API tokens: only the SHA-256 of the token is stored; the token is shown once. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    role: userRole('role').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /** The first characters of the token, to recognise it in the list. */
    prefix: text('prefix').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    lastUsedAt: tstz('last_used_at'),
    revokedAt: tstz('revoked_at'),
  },
  // One live token per name, so `token:<name>` on a signal names one token.
  (t) => [uniqueIndex('api_tokens_live_name').on(t.name).where(sql`${t.revokedAt} is null`)],
);

/** Who did what beyond signals: sign-ins, user and role changes, tokens, queue controls. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: tstz('at').notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    ip: text('ip'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [
    index('audit_events_at').on(t.at.desc()),
    index('audit_events_action_at').on(t.action, t.at.desc()),
    index('audit_events_actor_at').on(t.actor, t.at.desc()),
    index('audit_events_target_at').on(t.target, t.at.desc()),
  ],
);

/**
 * better-auth's own rate limit (`rateLimit.storage: 'database'`): one counter per
 * client address and auth path, incremented atomically before the endpoint runs.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    id: text('id').primaryKey(),
    key: text('key').notNull().unique(),
    count: integer('count').notNull(),
    /** Milliseconds since the epoch, as better-auth writes it. */
    lastRequest: bigint('last_request', { mode: 'number' }).notNull(),
  },
  // better-auth deletes expired counters by age.
  (t) => [index('rate_limits_last_request').on(t.lastRequest)],
);

/**
 * Failed sign-ins in a row, per account and kind of client (db/sign-in-backoff.ts):
 * the account's unfamiliar clients share one row; each browser or address that
 * signed in to it before has its own.
 */
export const signInBackoff = pgTable(
  'sign_in_backoff',
  {
    key: text('key').primaryKey(),
    email: text('email').notNull(),
    failures: integer('failures').notNull(),
    lastFailureAt: tstz('last_failure_at').notNull(),
    /** No attempt is checked before this time. */
    retryAt: tstz('retry_at').notNull(),
  },
  (t) => [
    index('sign_in_backoff_email').on(t.email),
    index('sign_in_backoff_last_failure').on(t.lastFailureAt),
  ],
);

export type User = typeof users.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
