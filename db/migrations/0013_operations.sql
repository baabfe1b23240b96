CREATE TABLE "signal_operations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "signal_operations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"signal" "signal_kind" NOT NULL,
	"queue" text NOT NULL,
	"requested_by" text NOT NULL,
	"reason" text,
	"name" text,
	"job_count" integer NOT NULL,
	"skipped" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "signal_operations_reason_length" CHECK (char_length("signal_operations"."reason") <= 500)
);
--> statement-breakpoint
ALTER TABLE "job_signals" ADD COLUMN "operation_id" bigint;--> statement-breakpoint
CREATE INDEX "signal_operations_created" ON "signal_operations" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "job_signals" ADD CONSTRAINT "job_signals_operation_id_signal_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."signal_operations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_signals_operation" ON "job_signals" USING btree ("operation_id","status") WHERE "job_signals"."operation_id" is not null;