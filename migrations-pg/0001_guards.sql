-- PostgreSQL counterpart of migrations/0001_guards.sql: the same triggers, names and messages.
-- A refusing trigger raises the SQLite message text with SQLSTATE 23000 (integrity_constraint_violation,
-- as SQLite reports RAISE(ABORT) as a constraint failure). TRUNCATE skips row triggers in PostgreSQL
-- (SQLite has no TRUNCATE), so each guarded table also refuses it with a statement trigger *_no_truncate.
CREATE FUNCTION "refuse_write"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'integrity_constraint_violation';
END;
$$;
--> statement-breakpoint
-- The audit log is append-only: no row may be changed or removed.
CREATE TRIGGER "audit_log_no_update" BEFORE UPDATE ON "audit_log"
FOR EACH ROW EXECUTE FUNCTION "refuse_write"('audit_log is append-only');
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_delete" BEFORE DELETE ON "audit_log"
FOR EACH ROW EXECUTE FUNCTION "refuse_write"('audit_log is append-only');
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
FOR EACH STATEMENT EXECUTE FUNCTION "refuse_write"('audit_log is append-only');
--> statement-breakpoint
-- An approved question version is immutable: only its status may move on (approved -> retired).
CREATE TRIGGER "question_versions_immutable" BEFORE UPDATE ON "question_versions"
FOR EACH ROW WHEN (OLD."status" IN ('approved', 'retired') AND (
  NEW."type" IS DISTINCT FROM OLD."type" OR NEW."topic_id" IS DISTINCT FROM OLD."topic_id" OR NEW."difficulty" IS DISTINCT FROM OLD."difficulty"
  OR NEW."stem" IS DISTINCT FROM OLD."stem" OR NEW."options" IS DISTINCT FROM OLD."options" OR NEW."partial_credit" IS DISTINCT FROM OLD."partial_credit"
  OR NEW."explanation" IS DISTINCT FROM OLD."explanation" OR NEW."legal_basis" IS DISTINCT FROM OLD."legal_basis" OR NEW."tags" IS DISTINCT FROM OLD."tags"
  OR NEW."version" IS DISTINCT FROM OLD."version" OR NEW."question_id" IS DISTINCT FROM OLD."question_id"
  OR (OLD."status" = 'retired' AND NEW."status" IS DISTINCT FROM 'retired')
))
EXECUTE FUNCTION "refuse_write"('approved question versions are immutable');
--> statement-breakpoint
CREATE TRIGGER "question_versions_no_delete" BEFORE DELETE ON "question_versions"
FOR EACH ROW WHEN (OLD."status" IN ('approved', 'retired'))
EXECUTE FUNCTION "refuse_write"('approved question versions are immutable');
--> statement-breakpoint
-- TRUNCATE would remove approved versions too: refused while any exists.
CREATE FUNCTION "question_versions_refuse_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM "question_versions" WHERE "status" IN ('approved', 'retired')) THEN
		RAISE EXCEPTION USING MESSAGE = 'approved question versions are immutable', ERRCODE = 'integrity_constraint_violation';
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "question_versions_no_truncate" BEFORE TRUNCATE ON "question_versions"
FOR EACH STATEMENT EXECUTE FUNCTION "question_versions_refuse_truncate"();
