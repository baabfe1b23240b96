DROP INDEX "job_signals_status_created";--> statement-breakpoint
DROP INDEX "job_signals_requested_by_created";--> statement-breakpoint
CREATE INDEX "job_signals_status_created_id" ON "job_signals" USING btree ("status","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "job_signals_requested_by_created_id" ON "job_signals" USING btree ("requested_by","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "job_signals_queue_status_created" ON "job_signals" USING btree ("queue","status","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);