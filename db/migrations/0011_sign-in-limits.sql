CREATE TABLE "rate_limits" (
	"id" text PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"count" integer NOT NULL,
	"last_request" bigint NOT NULL,
	CONSTRAINT "rate_limits_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "sign_in_backoff" (
	"key" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"failures" integer NOT NULL,
	"last_failure_at" timestamp with time zone NOT NULL,
	"retry_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "rate_limits_last_request" ON "rate_limits" USING btree ("last_request");--> statement-breakpoint
CREATE INDEX "sign_in_backoff_email" ON "sign_in_backoff" USING btree ("email");--> statement-breakpoint
CREATE INDEX "sign_in_backoff_last_failure" ON "sign_in_backoff" USING btree ("last_failure_at");