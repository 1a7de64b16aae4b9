-- PostgreSQL counterpart of migrations/0011_hardening_security.sql (refuse_write: see 0001_guards.sql).
ALTER TABLE "users" ADD COLUMN "session_version" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
CREATE TABLE "audit_macs" (
	"audit_id" integer PRIMARY KEY NOT NULL,
	"mac" text NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER "audit_macs_no_update" BEFORE UPDATE ON "audit_macs"
FOR EACH ROW EXECUTE FUNCTION "refuse_write"('audit_macs is append-only');
--> statement-breakpoint
CREATE TRIGGER "audit_macs_no_delete" BEFORE DELETE ON "audit_macs"
FOR EACH ROW EXECUTE FUNCTION "refuse_write"('audit_macs is append-only');
--> statement-breakpoint
CREATE TRIGGER "audit_macs_no_truncate" BEFORE TRUNCATE ON "audit_macs"
FOR EACH STATEMENT EXECUTE FUNCTION "refuse_write"('audit_macs is append-only');
--> statement-breakpoint
CREATE TABLE "signin_lockouts" (
	"candidate_id" integer PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"locked_until" bigint DEFAULT 0 NOT NULL,
	"last_failed_at" bigint NOT NULL,
	FOREIGN KEY ("candidate_id") REFERENCES "candidates"("id") ON UPDATE NO ACTION ON DELETE CASCADE
);
