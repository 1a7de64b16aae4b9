-- The incident log (biên bản) is append-only: no row may be changed or removed.
CREATE TRIGGER incidents_no_update BEFORE UPDATE ON incidents
BEGIN SELECT RAISE(ABORT, 'incidents are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents
BEGIN SELECT RAISE(ABORT, 'incidents are append-only'); END;
--> statement-breakpoint
-- A sealed sitting export never changes.
CREATE TRIGGER sitting_exports_no_update BEFORE UPDATE ON sitting_exports
BEGIN SELECT RAISE(ABORT, 'sealed exports are immutable'); END;
--> statement-breakpoint
CREATE TRIGGER sitting_exports_no_delete BEFORE DELETE ON sitting_exports
BEGIN SELECT RAISE(ABORT, 'sealed exports are immutable'); END;
