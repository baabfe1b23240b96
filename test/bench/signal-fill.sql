-- Fills job_signals with :rows synthetic signals spread over about a year, newest last
-- (ids grow with time, as they do in production); columns are drawn independently
-- (hashtext), so no filter is accidentally correlated with another. Used by signal-list-bench.ts.
insert into job_signals (queue, job_id, job_name, signal, status, reason, requested_by,
                         worker_id, outcome, created_at, delivered_at, completed_at)
select q.queue,
       g::text,
       q.queue || '-' || (array['run', 'sync', 'send', 'build', 'render'])[1 + (g * 7) % 5],
       k.signal,
       st.status,
       case when g % 5 = 0 then null
            else (array['customer asked', 'duplicate run', 'wrong parameters', 'stuck for hours',
                        'maintenance window', 'quota exceeded', 'deploy in progress',
                        'requested by finance', 'ticket'])[1 + (g * 13) % 9] || ' #' || (g % 9973) end,
       case when g % 10 = 0 then 'api' when g % 97 = 0 then 'sql'
            else 'user' || (1 + abs(hashtext('u' || g)) % 60) || '@example.com' end,
       case when st.status <> 'pending' then 'host-' || (g % 8) || ':' || (1000 + g % 50) || ':w' end,
       case when st.status = 'completed' then jsonb_build_object('action', 'cancelled', 'at', jsonb_build_object('page', g % 120))
            when st.status = 'superseded' then jsonb_build_object('reason', 'job completed first') end,
       t.created_at,
       case when st.status <> 'pending' then t.created_at + interval '80 milliseconds' * (1 + g % 50) end,
       case when st.status in ('completed', 'superseded') then t.created_at + interval '1 second' * (1 + (g * 17) % 90) end
from generate_series(1, :rows) as g
cross join lateral (select now() - interval '31 seconds' * (:rows - g) - interval '1 millisecond' * (g % 997) as created_at) t
cross join lateral (select (array['reports', 'emails', 'emails', 'emails', 'exports', 'imports', 'thumbnails',
                                  'thumbnails', 'billing', 'search-index', 'webhooks', 'webhooks', 'backups',
                                  'notifications', 'etl', 'video'])[1 + abs(hashtext('q' || g)) % 16] as queue) q
cross join lateral (select abs(hashtext('k' || g)) % 20 as h) kh
cross join lateral (select (case when kh.h < 12 then 'cancel' when kh.h < 17 then 'pause' else 'resume' end)::signal_kind as signal) k
cross join lateral (select (case when g > :rows - 150 then (case when g % 2 = 0 then 'pending' else 'delivered' end)
                                 when abs(hashtext('s' || g)) % 8 = 0 then 'superseded' else 'completed' end)::signal_status as status) st;
