-- Every writer notifies: one NOTIFY per INSERT statement (never one per row: a
-- NOTIFY takes a global lock at commit), whoever wrote it (the dashboard, the REST
-- API, psql, another service). The payload is only a hint, the rows are the truth:
-- the queues the statement touched (so a worker process that serves none of them
-- reads nothing) and the smallest id it inserted (so a process reads from there,
-- even when this transaction commits after one with higher ids). A payload too
-- long for NOTIFY (8000 bytes) drops the queue list: then every worker reads.
CREATE OR REPLACE FUNCTION job_signals_notify_insert() RETURNS trigger AS $$
DECLARE
  payload text;
BEGIN
  -- An INSERT … ON CONFLICT DO NOTHING that met only open signals inserted nothing.
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  SELECT json_build_object('queues', json_agg(DISTINCT queue), 'minId', min(id))::text
    INTO payload FROM new_rows;
  IF octet_length(payload) > 7900 THEN
    SELECT json_build_object('minId', min(id))::text INTO payload FROM new_rows;
  END IF;
  PERFORM pg_notify('job_signals', payload);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER job_signals_notify_insert
  AFTER INSERT ON job_signals
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION job_signals_notify_insert();
