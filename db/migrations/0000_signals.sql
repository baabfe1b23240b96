CREATE TYPE "public"."signal_kind" AS ENUM('cancel', 'pause', 'resume');--> statement-breakpoint
CREATE TYPE "public"."signal_status" AS ENUM('pending', 'delivered', 'completed', 'superseded');--> statement-breakpoint
CREATE TABLE "job_signals" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "job_signals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"queue" text NOT NULL,
	"job_id" text NOT NULL,
	"job_name" text NOT NULL,
	"signal" "signal_kind" NOT NULL,
	"status" "signal_status" DEFAULT 'pending' NOT NULL,
	"reason" text,
	"requested_by" text NOT NULL,
	"worker_id" text,
	"outcome" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	CONSTRAINT "job_signals_reason_length" CHECK (char_length("job_signals"."reason") <= 500)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "job_signals_open_unique" ON "job_signals" USING btree ("queue","job_id","signal") WHERE "job_signals"."status" in ('pending', 'delivered');--> statement-breakpoint
CREATE INDEX "job_signals_job_history" ON "job_signals" USING btree ("queue","job_id","created_at");--> statement-breakpoint
CREATE INDEX "job_signals_open" ON "job_signals" USING btree ("queue","created_at") WHERE "job_signals"."status" in ('pending', 'delivered');--> statement-breakpoint
CREATE INDEX "job_signals_created" ON "job_signals" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "job_signals_status_created" ON "job_signals" USING btree ("status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "job_signals_requested_by_created" ON "job_signals" USING btree ("requested_by","created_at" DESC NULLS LAST);