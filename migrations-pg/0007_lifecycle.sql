-- PostgreSQL counterpart of migrations/0007_lifecycle.sql (refuse_write: see 0001_guards.sql).
ALTER TABLE "exams" ADD COLUMN "time_zone" text DEFAULT 'Asia/Ho_Chi_Minh' NOT NULL;
--> statement-breakpoint
-- An invigilator closed the room: every attempt in it had ended; absentees confirmed (see absences).
CREATE TABLE "room_closures" (
	"sitting_id" integer NOT NULL,
	"room_id" integer NOT NULL,
	"closed_at" bigint NOT NULL,
	"closed_by" integer,
	"incident_id" integer,
	PRIMARY KEY ("sitting_id", "room_id")
);
--> statement-breakpoint
-- A seated candidate who never started a part of the sitting, confirmed absent (vắng) when the room closed.
CREATE TABLE "absences" (
	"sitting_id" integer NOT NULL,
	"room_id" integer NOT NULL,
	"candidate_id" integer NOT NULL,
	"part_id" integer NOT NULL,
	"recorded_at" bigint NOT NULL,
	"confirmed_by" integer,
	PRIMARY KEY ("candidate_id", "part_id")
);
--> statement-breakpoint
CREATE INDEX "absences_sitting" ON "absences" ("sitting_id", "room_id");
--> statement-breakpoint
CREATE TRIGGER "room_closures_no_update" BEFORE UPDATE ON "room_closures"
FOR EACH ROW EXECUTE FUNCTION "refuse_write"('room closures are append-only');
--> statement-breakpoint
CREATE TRIGGER "room_closures_no_delete" BEFORE DELETE ON "room_closures"
FOR EACH ROW EXECUTE FUNCTION "refuse_write"('room closures are append-only');
--> statement-breakpoint
CREATE TRIGGER "room_closures_no_truncate" BEFORE TRUNCATE ON "room_closures"
FOR EACH STATEMENT EXECUTE FUNCTION "refuse_write"('room closures are append-only');
--> statement-breakpoint
CREATE TRIGGER "absences_no_update" BEFORE UPDATE ON "absences"
FOR EACH ROW EXECUTE FUNCTION "refuse_write"('absences are append-only');
--> statement-breakpoint
CREATE TRIGGER "absences_no_delete" BEFORE DELETE ON "absences"
FOR EACH ROW EXECUTE FUNCTION "refuse_write"('absences are append-only');
--> statement-breakpoint
CREATE TRIGGER "absences_no_truncate" BEFORE TRUNCATE ON "absences"
FOR EACH STATEMENT EXECUTE FUNCTION "refuse_write"('absences are append-only');
--> statement-breakpoint
-- A part's rules live in exam_parts only: values an earlier PATCH left in exams.overrides.parts
-- (never written to exam_parts) are moved there, then removed from the JSON. (On a PostgreSQL
-- database no row predates this migration; the statements are kept so both histories stay the same.
-- pass_rule comes back in jsonb's text form: the same JSON, other spacing and key order.)
UPDATE "exam_parts" AS p SET
	"duration_min" = coalesce((SELECT (j->>'durationMin')::integer FROM "exams" e, jsonb_array_elements(e."overrides"::jsonb->'parts') j
		WHERE e."id" = p."exam_id" AND j->>'id' = p."code" LIMIT 1), p."duration_min"),
	"question_count" = coalesce((SELECT (j->>'questionCount')::integer FROM "exams" e, jsonb_array_elements(e."overrides"::jsonb->'parts') j
		WHERE e."id" = p."exam_id" AND j->>'id' = p."code" LIMIT 1), p."question_count"),
	"score_scale" = coalesce((SELECT (j->>'scoreScale')::double precision FROM "exams" e, jsonb_array_elements(e."overrides"::jsonb->'parts') j
		WHERE e."id" = p."exam_id" AND j->>'id' = p."code" LIMIT 1), p."score_scale"),
	"role" = coalesce((SELECT j->>'role' FROM "exams" e, jsonb_array_elements(e."overrides"::jsonb->'parts') j
		WHERE e."id" = p."exam_id" AND j->>'id' = p."code" LIMIT 1), p."role"),
	"coefficient" = coalesce((SELECT (j->>'coefficient')::double precision FROM "exams" e, jsonb_array_elements(e."overrides"::jsonb->'parts') j
		WHERE e."id" = p."exam_id" AND j->>'id' = p."code" LIMIT 1), p."coefficient"),
	"pass_rule" = coalesce((SELECT (j->'passRule')::text FROM "exams" e, jsonb_array_elements(e."overrides"::jsonb->'parts') j
		WHERE e."id" = p."exam_id" AND j->>'id' = p."code" AND j->'passRule'->'kind' IS NOT NULL LIMIT 1), p."pass_rule")
	WHERE p."exam_id" IN (SELECT "id" FROM "exams" WHERE jsonb_typeof("overrides"::jsonb->'parts') = 'array');
--> statement-breakpoint
UPDATE "exams" SET "overrides" = ("overrides"::jsonb - 'parts')::text WHERE "overrides"::jsonb ? 'parts';
