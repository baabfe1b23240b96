DROP INDEX "job_signals_open";--> statement-breakpoint
CREATE INDEX "job_signals_open_by_id" ON "job_signals" USING btree ("queue","id") WHERE "job_signals"."status" in ('pending', 'delivered');