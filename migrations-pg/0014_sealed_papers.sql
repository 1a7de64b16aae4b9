-- PostgreSQL counterpart of migrations/0014_sealed_papers.sql (issue 15: paper views rendered once).
CREATE TABLE "paper_views" (
	"paper_id" integer PRIMARY KEY NOT NULL,
	"candidate_id" integer NOT NULL,
	"part_id" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"view" bytea NOT NULL,
	"digest" text NOT NULL,
	"rendered_at" bigint NOT NULL,
	FOREIGN KEY ("paper_id") REFERENCES "papers"("id") ON UPDATE NO ACTION ON DELETE CASCADE,
	FOREIGN KEY ("candidate_id") REFERENCES "candidates"("id") ON UPDATE NO ACTION ON DELETE CASCADE,
	FOREIGN KEY ("part_id") REFERENCES "exam_parts"("id") ON UPDATE NO ACTION ON DELETE CASCADE
);
--> statement-breakpoint
CREATE UNIQUE INDEX "paper_views_candidate_part" ON "paper_views" ("candidate_id","part_id");
