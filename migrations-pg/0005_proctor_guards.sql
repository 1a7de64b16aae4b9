-- PostgreSQL counterpart of migrations/0005_proctor_guards.sql (refuse_write: see 0001_guards.sql).
-- The incident log (biên bản) is append-only: no row may be changed or removed.
CREATE TRIGGER "incidents_no_update" BEFORE UPDATE ON "incidents"
FOR EACH ROW EXECUTE FUNCTION "refuse_write"('incidents are append-only');
--> statement-breakpoint
CREATE TRIGGER "incidents_no_delete" BEFORE DELETE ON "incidents"
FOR EACH ROW EXECUTE FUNCTION "refuse_write"('incidents are append-only');
--> statement-breakpoint
CREATE TRIGGER "incidents_no_truncate" BEFORE TRUNCATE ON "incidents"
FOR EACH STATEMENT EXECUTE FUNCTION "refuse_write"('incidents are append-only');
--> statement-breakpoint
-- A sealed sitting export never changes.
CREATE TRIGGER "sitting_exports_no_update" BEFORE UPDATE ON "sitting_exports"
FOR EACH ROW EXECUTE FUNCTION "refuse_write"('sealed exports are immutable');
--> statement-breakpoint
CREATE TRIGGER "sitting_exports_no_delete" BEFORE DELETE ON "sitting_exports"
FOR EACH ROW EXECUTE FUNCTION "refuse_write"('sealed exports are immutable');
--> statement-breakpoint
CREATE TRIGGER "sitting_exports_no_truncate" BEFORE TRUNCATE ON "sitting_exports"
FOR EACH STATEMENT EXECUTE FUNCTION "refuse_write"('sealed exports are immutable');
