-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "job_signals_search" ON "job_signals" USING gin ("job_id" gin_trgm_ops,"job_name" gin_trgm_ops,"reason" gin_trgm_ops,"requested_by" gin_trgm_ops);
