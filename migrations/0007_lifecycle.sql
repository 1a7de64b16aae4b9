-- Issue 11: one clock, the sitting's lifecycle, one source of truth for a part's rules.
ALTER TABLE `exams` ADD `time_zone` text DEFAULT 'Asia/Ho_Chi_Minh' NOT NULL;
--> statement-breakpoint
-- An invigilator closed the room: every attempt in it had ended; absentees confirmed (see absences).
CREATE TABLE `room_closures` (
	`sitting_id` integer NOT NULL,
	`room_id` integer NOT NULL,
	`closed_at` integer NOT NULL,
	`closed_by` integer,
	`incident_id` integer,
	PRIMARY KEY(`sitting_id`, `room_id`)
);
--> statement-breakpoint
-- A seated candidate who never started a part of the sitting, confirmed absent (vắng) when the room closed.
CREATE TABLE `absences` (
	`sitting_id` integer NOT NULL,
	`room_id` integer NOT NULL,
	`candidate_id` integer NOT NULL,
	`part_id` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	`confirmed_by` integer,
	PRIMARY KEY(`candidate_id`, `part_id`)
);
--> statement-breakpoint
CREATE INDEX `absences_sitting` ON `absences` (`sitting_id`, `room_id`);
--> statement-breakpoint
CREATE TRIGGER room_closures_no_update BEFORE UPDATE ON room_closures
BEGIN SELECT RAISE(ABORT, 'room closures are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER room_closures_no_delete BEFORE DELETE ON room_closures
BEGIN SELECT RAISE(ABORT, 'room closures are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER absences_no_update BEFORE UPDATE ON absences
BEGIN SELECT RAISE(ABORT, 'absences are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER absences_no_delete BEFORE DELETE ON absences
BEGIN SELECT RAISE(ABORT, 'absences are append-only'); END;
--> statement-breakpoint
-- A part's rules live in exam_parts only: values an earlier PATCH left in exams.overrides.parts
-- (never written to exam_parts) are moved there, then removed from the JSON.
UPDATE `exam_parts` SET
	`duration_min` = coalesce((SELECT json_extract(j.value, '$.durationMin') FROM `exams` e, json_each(e.overrides, '$.parts') j
		WHERE e.id = exam_parts.exam_id AND json_extract(j.value, '$.id') = exam_parts.code), `duration_min`),
	`question_count` = coalesce((SELECT json_extract(j.value, '$.questionCount') FROM `exams` e, json_each(e.overrides, '$.parts') j
		WHERE e.id = exam_parts.exam_id AND json_extract(j.value, '$.id') = exam_parts.code), `question_count`),
	`score_scale` = coalesce((SELECT json_extract(j.value, '$.scoreScale') FROM `exams` e, json_each(e.overrides, '$.parts') j
		WHERE e.id = exam_parts.exam_id AND json_extract(j.value, '$.id') = exam_parts.code), `score_scale`),
	`role` = coalesce((SELECT json_extract(j.value, '$.role') FROM `exams` e, json_each(e.overrides, '$.parts') j
		WHERE e.id = exam_parts.exam_id AND json_extract(j.value, '$.id') = exam_parts.code), `role`),
	`coefficient` = coalesce((SELECT json_extract(j.value, '$.coefficient') FROM `exams` e, json_each(e.overrides, '$.parts') j
		WHERE e.id = exam_parts.exam_id AND json_extract(j.value, '$.id') = exam_parts.code), `coefficient`),
	`pass_rule` = coalesce((SELECT json(json_extract(j.value, '$.passRule')) FROM `exams` e, json_each(e.overrides, '$.parts') j
		WHERE e.id = exam_parts.exam_id AND json_extract(j.value, '$.id') = exam_parts.code AND json_type(j.value, '$.passRule.kind') IS NOT NULL), `pass_rule`)
	WHERE `exam_id` IN (SELECT id FROM `exams` WHERE json_type(overrides, '$.parts') = 'array');
--> statement-breakpoint
UPDATE `exams` SET `overrides` = json_remove(`overrides`, '$.parts') WHERE json_type(`overrides`, '$.parts') IS NOT NULL;
