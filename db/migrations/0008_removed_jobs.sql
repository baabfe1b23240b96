CREATE TABLE "job_removed_counts" (
	"queue" text PRIMARY KEY NOT NULL,
	"n" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "job_signals_removed_jobs" ON "job_signals" USING btree ("queue","completed_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "job_signals"."signal" = 'cancel' and "job_signals"."status" = 'completed' and ("job_signals"."outcome" ->> 'action') = 'removed';--> statement-breakpoint
CREATE INDEX "job_signals_removed_jobs_all" ON "job_signals" USING btree ("completed_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "job_signals"."signal" = 'cancel' and "job_signals"."status" = 'completed' and ("job_signals"."outcome" ->> 'action') = 'removed';--> statement-breakpoint
-- The planner's row estimates for the partial index above need statistics on the
-- outcome's action (PostgreSQL 14+), else it takes ~1% and sorts instead of paging.
CREATE STATISTICS "job_signals_outcome_action" ON ((outcome ->> 'action')) FROM "job_signals";
--> statement-breakpoint
-- job_removed_counts follows every statement that inserts, updates or deletes signals:
-- one grouped upsert per statement, in queue order, so concurrent writers take the
-- counter rows' locks in the same order (no deadlocks), and none when nothing changed.
CREATE OR REPLACE FUNCTION job_removed_counts_apply() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO job_removed_counts AS c (queue, n)
    SELECT queue, count(*) FROM new_rows
    WHERE signal = 'cancel' AND status = 'completed' AND (outcome ->> 'action') = 'removed'
    GROUP BY queue ORDER BY queue
    ON CONFLICT (queue) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE job_removed_counts c SET n = c.n - o.n
    FROM (SELECT queue, count(*) AS n FROM old_rows
          WHERE signal = 'cancel' AND status = 'completed' AND (outcome ->> 'action') = 'removed'
          GROUP BY queue ORDER BY queue) o
    WHERE c.queue = o.queue;
  ELSE
    INSERT INTO job_removed_counts AS c (queue, n)
    SELECT queue, sum(d) FROM (
      SELECT queue, -1 AS d FROM old_rows
      WHERE signal = 'cancel' AND status = 'completed' AND (outcome ->> 'action') = 'removed'
      UNION ALL
      SELECT queue, 1 AS d FROM new_rows
      WHERE signal = 'cancel' AND status = 'completed' AND (outcome ->> 'action') = 'removed'
    ) x
    GROUP BY queue HAVING sum(d) <> 0 ORDER BY queue
    ON CONFLICT (queue) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER job_removed_counts_insert
  AFTER INSERT ON job_signals REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION job_removed_counts_apply();
--> statement-breakpoint
CREATE TRIGGER job_removed_counts_update
  AFTER UPDATE ON job_signals REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION job_removed_counts_apply();
--> statement-breakpoint
CREATE TRIGGER job_removed_counts_delete
  AFTER DELETE ON job_signals REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION job_removed_counts_apply();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION job_removed_counts_truncate() RETURNS trigger AS $$
BEGIN
  TRUNCATE job_removed_counts;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER job_removed_counts_truncate
  AFTER TRUNCATE ON job_signals FOR EACH STATEMENT EXECUTE FUNCTION job_removed_counts_truncate();
--> statement-breakpoint
-- Jobs removed before this migration (under the table lock, so none is missed).
LOCK TABLE job_signals IN SHARE ROW EXCLUSIVE MODE;
--> statement-breakpoint
INSERT INTO job_removed_counts (queue, n)
SELECT queue, count(*) FROM job_signals
WHERE signal = 'cancel' AND status = 'completed' AND (outcome ->> 'action') = 'removed'
GROUP BY queue;
