-- PostgreSQL counterpart of migrations/0010_hardening_imports.sql.
CREATE TABLE "image_subjects" (
	"image_id" text NOT NULL,
	"subject_id" integer NOT NULL,
	PRIMARY KEY ("image_id", "subject_id"),
	FOREIGN KEY ("image_id") REFERENCES "images"("id") ON UPDATE NO ACTION ON DELETE CASCADE,
	FOREIGN KEY ("subject_id") REFERENCES "subjects"("id") ON UPDATE NO ACTION ON DELETE CASCADE
);
--> statement-breakpoint
CREATE INDEX "image_subjects_subject" ON "image_subjects" ("subject_id");
--> statement-breakpoint
INSERT INTO "image_subjects" ("image_id", "subject_id")
  SELECT DISTINCT i."id", q."subject_id" FROM "images" i
    JOIN "question_versions" v ON strpos(v."stem", i."id") > 0 OR strpos(v."options", i."id") > 0 OR strpos(v."explanation", i."id") > 0
    JOIN "questions" q ON q."id" = v."question_id"
  ON CONFLICT DO NOTHING;
