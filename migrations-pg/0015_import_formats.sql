-- PostgreSQL counterpart of migrations/0015_import_formats.sql (issue 18: question titles).
ALTER TABLE "questions" ADD COLUMN "title" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "title_key" text DEFAULT '' NOT NULL;
