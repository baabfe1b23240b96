CREATE TABLE "newsletter_recipients" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "newsletter_recipients_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"list" text NOT NULL,
	CONSTRAINT "newsletter_recipients_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "newsletter_sends" (
	"job_id" text NOT NULL,
	"recipient_id" bigint NOT NULL,
	"batch" bigint NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD CONSTRAINT "newsletter_sends_recipient_id_newsletter_recipients_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."newsletter_recipients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "newsletter_sends_job_recipient" ON "newsletter_sends" USING btree ("job_id","recipient_id");