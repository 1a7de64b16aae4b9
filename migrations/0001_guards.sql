-- The audit log is append-only: no row may be changed or removed.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--> statement-breakpoint
-- An approved question version is immutable: only its status may move on (approved -> retired).
CREATE TRIGGER question_versions_immutable BEFORE UPDATE ON question_versions
WHEN OLD.status IN ('approved', 'retired') AND (
  NEW.type IS NOT OLD.type OR NEW.topic_id IS NOT OLD.topic_id OR NEW.difficulty IS NOT OLD.difficulty
  OR NEW.stem IS NOT OLD.stem OR NEW.options IS NOT OLD.options OR NEW.partial_credit IS NOT OLD.partial_credit
  OR NEW.explanation IS NOT OLD.explanation OR NEW.legal_basis IS NOT OLD.legal_basis OR NEW.tags IS NOT OLD.tags
  OR NEW.version IS NOT OLD.version OR NEW.question_id IS NOT OLD.question_id
  OR (OLD.status = 'retired' AND NEW.status IS NOT 'retired')
)
BEGIN SELECT RAISE(ABORT, 'approved question versions are immutable'); END;
--> statement-breakpoint
CREATE TRIGGER question_versions_no_delete BEFORE DELETE ON question_versions
WHEN OLD.status IN ('approved', 'retired')
BEGIN SELECT RAISE(ABORT, 'approved question versions are immutable'); END;
