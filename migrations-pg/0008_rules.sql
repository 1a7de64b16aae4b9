-- PostgreSQL counterpart of migrations/0008_rules.sql.
ALTER TABLE "exams" ADD COLUMN "application_deadline" text;
--> statement-breakpoint
ALTER TABLE "exams" ADD COLUMN "profile_out_of_force_reason" text;
