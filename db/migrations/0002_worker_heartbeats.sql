CREATE TABLE "worker_heartbeats" (
	"worker_id" text NOT NULL,
	"queue" text NOT NULL,
	"hostname" text NOT NULL,
	"pid" bigint NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "worker_heartbeats_worker_queue" ON "worker_heartbeats" USING btree ("worker_id","queue");--> statement-breakpoint
CREATE INDEX "worker_heartbeats_queue_seen" ON "worker_heartbeats" USING btree ("queue","last_seen_at");