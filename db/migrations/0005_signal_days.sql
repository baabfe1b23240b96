CREATE TABLE "job_signal_days" (
	"day" date NOT NULL,
	"queue" text NOT NULL,
	"signal" "signal_kind" NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "job_signal_days_day_queue_signal_pk" PRIMARY KEY("day","queue","signal")
);
--> statement-breakpoint
-- Inserts add to their day's counts: one grouped upsert per statement, in key order
-- so concurrent inserters take the counter rows' locks in the same order.
CREATE OR REPLACE FUNCTION job_signal_days_insert() RETURNS trigger AS $$
BEGIN
  INSERT INTO job_signal_days AS d (day, queue, signal, n)
  SELECT (created_at AT TIME ZONE 'UTC')::date, queue, signal, count(*)
  FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (day, queue, signal) DO UPDATE SET n = d.n + excluded.n;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER job_signal_days_insert
  AFTER INSERT ON job_signals REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION job_signal_days_insert();
--> statement-breakpoint
-- The application never deletes signals; a DELETE by SQL still keeps the counts true.
CREATE OR REPLACE FUNCTION job_signal_days_delete() RETURNS trigger AS $$
BEGIN
  UPDATE job_signal_days d SET n = d.n - o.n
  FROM (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, queue, signal, count(*) AS n
        FROM old_rows GROUP BY 1, 2, 3) o
  WHERE d.day = o.day AND d.queue = o.queue AND d.signal = o.signal;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER job_signal_days_delete
  AFTER DELETE ON job_signals REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION job_signal_days_delete();
--> statement-breakpoint
-- Status changes (every worker update) do not fire this: only an edit of a counted column does.
CREATE OR REPLACE FUNCTION job_signal_days_move() RETURNS trigger AS $$
BEGIN
  UPDATE job_signal_days SET n = n - 1
  WHERE day = (OLD.created_at AT TIME ZONE 'UTC')::date AND queue = OLD.queue AND signal = OLD.signal;
  INSERT INTO job_signal_days AS d (day, queue, signal, n)
  VALUES ((NEW.created_at AT TIME ZONE 'UTC')::date, NEW.queue, NEW.signal, 1)
  ON CONFLICT (day, queue, signal) DO UPDATE SET n = d.n + 1;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER job_signal_days_update
  AFTER UPDATE OF created_at, queue, signal ON job_signals FOR EACH ROW
  WHEN ((OLD.created_at, OLD.queue, OLD.signal) IS DISTINCT FROM (NEW.created_at, NEW.queue, NEW.signal))
  EXECUTE FUNCTION job_signal_days_move();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION job_signal_days_truncate() RETURNS trigger AS $$
BEGIN
  TRUNCATE job_signal_days;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER job_signal_days_truncate
  AFTER TRUNCATE ON job_signals FOR EACH STATEMENT EXECUTE FUNCTION job_signal_days_truncate();
--> statement-breakpoint
-- Counts of the signals written before this migration (under the table lock, so none is missed).
LOCK TABLE job_signals IN SHARE ROW EXCLUSIVE MODE;
--> statement-breakpoint
INSERT INTO job_signal_days (day, queue, signal, n)
SELECT (created_at AT TIME ZONE 'UTC')::date, queue, signal, count(*)
FROM job_signals GROUP BY 1, 2, 3;
