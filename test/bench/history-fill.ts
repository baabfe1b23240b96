import type { Sql } from '../../db/client';

/** Signals per job in the synthetic history (pause, resume, pause, cancel). */
export const SIGNALS_PER_JOB = 4;
export const FILL_QUEUES = 100;

/** Queue and job id of the `j`-th synthetic job (0-based). */
export function fillJob(j: number): { queue: string; jobId: string } {
  return { queue: `fill-${j % FILL_QUEUES}`, jobId: String(Math.floor(j / FILL_QUEUES)) };
}

/**
 * Fills `job_signals` with `rows` synthetic signals in one INSERT … SELECT:
 * `rows / 4` jobs over 100 queues, each with pause, resume, pause, cancel a
 * few seconds apart; created_at spread evenly over the last year (ids grow
 * with time, as in production); 90 % completed, 10 % superseded, and the
 * newest 200 cancels still pending. Then ANALYZE. Returns the milliseconds taken.
 */
export async function fillSignals(sql: Sql, rows: number): Promise<number> {
  const started = performance.now();
  await sql`
    insert into job_signals (queue, job_id, job_name, signal, status, reason, requested_by,
                             worker_id, outcome, created_at, updated_at, delivered_at, completed_at)
    select 'fill-' || (j % ${FILL_QUEUES}),
           (j / ${FILL_QUEUES})::text,
           (array['send-invoice', 'render-pdf', 'sync-crm', 'resize', 'export'])[1 + j % 5],
           (array['pause', 'resume', 'pause', 'cancel'])[1 + k]::signal_kind,
           st.status,
           case when g % 3 = 0 then null else 'ticket #' || (g % 9973) end,
           case when g % 10 = 0 then 'api' else 'user' || (g % 60) || '@example.com' end,
           case when st.status <> 'pending' then 'host-' || (g % 8) || ':' || (1000 + g % 50) end,
           case when st.status = 'completed' then jsonb_build_object('action', 'done', 'at', jsonb_build_object('page', g % 120))
                when st.status = 'superseded' then jsonb_build_object('reason', 'job completed first') end,
           t.created_at,
           t.created_at + case when st.status = 'pending' then interval '0' else interval '1 second' end,
           case when st.status <> 'pending' then t.created_at + interval '50 milliseconds' end,
           case when st.status <> 'pending' then t.created_at + interval '1 second' end
    from generate_series(1, ${rows}::int) as g
    cross join lateral (select (g - 1) / ${SIGNALS_PER_JOB} as j, (g - 1) % ${SIGNALS_PER_JOB} as k) jk
    cross join lateral (select now() - interval '1 year' * ((${rows}::int - g)::float8 / ${rows}::int) as created_at) t
    cross join lateral (select (case when k = 3 and g > ${rows}::int - 800 then 'pending'
                                     when g % 10 = 0 then 'superseded'
                                     else 'completed' end)::signal_status as status) st`;
  await sql`analyze job_signals`;
  return performance.now() - started;
}
