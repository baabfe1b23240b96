import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { REASON_MAX, SIGNAL_KINDS, SIGNAL_STATUSES } from './vocabulary';

export const signalKind = pgEnum('signal_kind', SIGNAL_KINDS);
export const signalStatus = pgEnum('signal_status', SIGNAL_STATUSES);

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A cancel that removed its job from the queue before it started: the partial
 * indexes' predicate, and the WHERE of the queries that use them (same text, so
 * the planner matches them).
 */
export const removedJob = (t: { signal: AnyPgColumn; status: AnyPgColumn; outcome: AnyPgColumn }) =>
  sql`${t.signal} = 'cancel' and ${t.status} = 'completed' and (${t.outcome} ->> 'action') = 'removed'`;

/**
 * One bulk request (selected jobs, or every queued and running job of a name) as a
 * tracked operation: who asked, why, how many jobs it named and which it skipped.
 * Its signals carry its id (`job_signals.operation_id`); its progress is counted
 * from them, so nothing here changes after the insert.
 */
export const signalOperations = pgTable(
  'signal_operations',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    signal: signalKind('signal').notNull(),
    queue: text('queue').notNull(),
    requestedBy: text('requested_by').notNull(),
    reason: text('reason'),
    /** The job name asked for; null when the request listed job ids. */
    name: text('name'),
    /** Jobs the request named (ids given, or jobs of the name found), skipped ones included. */
    jobCount: integer('job_count').notNull(),
    /** Jobs no signal was written for, each with the refusal in words. */
    skipped: jsonb('skipped').$type<{ jobId: string; reason: string }[]>().notNull().default([]),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('signal_operations_created').on(t.createdAt.desc(), t.id.desc()),
    check(
      'signal_operations_reason_length',
      sql`char_length(${t.reason}) <= ${sql.raw(String(REASON_MAX))}`,
    ),
  ],
);

export type SignalOperation = typeof signalOperations.$inferSelect;
export type NewSignalOperation = typeof signalOperations.$inferInsert;

/** One row per request to cancel, pause or resume one BullMQ job. Never deleted by the app. */
export const jobSignals = pgTable(
  'job_signals',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    queue: text('queue').notNull(),
    jobId: text('job_id').notNull(),
    jobName: text('job_name').notNull(),
    signal: signalKind('signal').notNull(),
    status: signalStatus('status').notNull().default('pending'),
    reason: text('reason'),
    requestedBy: text('requested_by').notNull(),
    workerId: text('worker_id'),
    outcome: jsonb('outcome').$type<Record<string, unknown>>(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    deliveredAt: timestamptz('delivered_at'),
    completedAt: timestamptz('completed_at'),
    /** The bulk operation that wrote it; null for single requests and SQL inserts. */
    operationId: bigint('operation_id', { mode: 'number' }).references(() => signalOperations.id),
  },
  (t) => [
    // An operation's progress: one grouped count by status over its own rows.
    index('job_signals_operation')
      .on(t.operationId, t.status)
      .where(sql`${t.operationId} is not null`),
    // A second click finds the open row instead of making another.
    uniqueIndex('job_signals_open_unique')
      .on(t.queue, t.jobId, t.signal)
      .where(sql`${t.status} in ('pending', 'delivered')`),
    // History of one job, oldest first.
    index('job_signals_job_history').on(t.queue, t.jobId, t.createdAt),
    // What the workers read: the open signals of their queues, all of them (the poll)
    // or those past an id (after a notification), in id order.
    index('job_signals_open_by_id')
      .on(t.queue, t.id)
      .where(sql`${t.status} in ('pending', 'delivered')`),
    // Jobs a cancel removed from their queue before they started: the `cancelled`
    // state of /jobs and /api/jobs lists and counts them from here, newest first.
    index('job_signals_removed_jobs')
      .on(t.queue, t.completedAt.desc(), t.id.desc())
      .where(removedJob(t)),
    // The same across every queue ("all queues", newest first).
    index('job_signals_removed_jobs_all')
      .on(t.completedAt.desc(), t.id.desc())
      .where(removedJob(t)),
    // The audit list, newest first, and its common filters. Each ends with id: the
    // list's order is total (ties broken by id), so a page, a keyset cursor and the
    // ids-first read of a deep page walk the index alone, never sorting.
    index('job_signals_created').on(t.createdAt.desc(), t.id.desc()),
    index('job_signals_status_created_id').on(t.status, t.createdAt.desc(), t.id.desc()),
    index('job_signals_requested_by_created_id').on(t.requestedBy, t.createdAt.desc(), t.id.desc()),
    // A queue + status filter (the /queues page's "open signals" link, support's usual view).
    index('job_signals_queue_status_created').on(
      t.queue,
      t.status,
      t.createdAt.desc(),
      t.id.desc(),
    ),
    // The audit list's search: case-insensitive substrings of these columns (LIKE on
    // lower(...)), and jobId lookups without a queue. On lower() expressions, so plain
    // equality on requested_by keeps using its btree (a trigram index on the bare
    // column also answers `=`, and the planner took it, ten times slower).
    index('job_signals_text_search').using(
      'gin',
      sql`lower(${t.jobId}) gin_trgm_ops`,
      sql`lower(${t.jobName}) gin_trgm_ops`,
      sql`lower(${t.reason}) gin_trgm_ops`,
      sql`lower(${t.requestedBy}) gin_trgm_ops`,
    ),
    check(
      'job_signals_reason_length',
      sql`char_length(${t.reason}) <= ${sql.raw(String(REASON_MAX))}`,
    ),
  ],
);

export type JobSignal = typeof jobSignals.$inferSelect;
export type NewJobSignal = typeof jobSignals.$inferInsert;

/**
 * Signals requested per UTC day, queue and kind, kept by triggers on job_signals
 * (migration 0005). These three columns never change after the insert, so only
 * inserts (and SQL deletes or key edits) touch it: the audit list's chart, date
 * drill-down and unfiltered counts read a few thousand rows instead of millions.
 */
export const jobSignalDays = pgTable(
  'job_signal_days',
  {
    day: date('day', { mode: 'string' }).notNull(),
    queue: text('queue').notNull(),
    signal: signalKind('signal').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.queue, t.signal] })],
);

/**
 * How many jobs a cancel removed from each queue before they started (cancel
 * signals `completed` with outcome action `removed`), kept by triggers on
 * job_signals (migration 0009) so /jobs counts them without scanning.
 */
export const jobRemovedCounts = pgTable('job_removed_counts', {
  queue: text('queue').primaryKey(),
  n: bigint('n', { mode: 'number' }).notNull(),
});

/**
 * Signal Desk worker processes seen recently, per queue, so the dashboard can warn
 * before signalling a queue that no worker serves.
 */
export const workerHeartbeats = pgTable(
  'worker_heartbeats',
  {
    workerId: text('worker_id').notNull(),
    queue: text('queue').notNull(),
    hostname: text('hostname').notNull(),
    pid: bigint('pid', { mode: 'number' }).notNull(),
    startedAt: timestamptz('started_at').notNull().defaultNow(),
    lastSeenAt: timestamptz('last_seen_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('worker_heartbeats_worker_queue').on(t.workerId, t.queue),
    index('worker_heartbeats_queue_seen').on(t.queue, t.lastSeenAt),
  ],
);

export type WorkerHeartbeat = typeof workerHeartbeats.$inferSelect;

/*
 * Tables of the sample newsletter worker (worker/samples/newsletter.ts): who
 * gets the newsletter, and which recipient each send job has already reached,
 * so a resumed or retried job never sends to anyone twice.
 */
export const newsletterRecipients = pgTable('newsletter_recipients', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  email: text('email').notNull().unique(),
  list: text('list').notNull(),
});

export const newsletterSends = pgTable(
  'newsletter_sends',
  {
    jobId: text('job_id').notNull(),
    recipientId: bigint('recipient_id', { mode: 'number' })
      .notNull()
      .references(() => newsletterRecipients.id),
    batch: bigint('batch', { mode: 'number' }).notNull(),
    sentAt: timestamptz('sent_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('newsletter_sends_job_recipient').on(t.jobId, t.recipientId)],
);
