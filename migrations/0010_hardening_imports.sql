CREATE TABLE `image_subjects` (
	`image_id` text NOT NULL,
	`subject_id` integer NOT NULL,
	PRIMARY KEY(`image_id`, `subject_id`),
	FOREIGN KEY (`image_id`) REFERENCES `images`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`subject_id`) REFERENCES `subjects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `image_subjects_subject` ON `image_subjects` (`subject_id`);--> statement-breakpoint
INSERT OR IGNORE INTO `image_subjects` (`image_id`, `subject_id`)
  SELECT i.id, q.subject_id FROM images i
    JOIN question_versions v ON instr(v.stem, i.id) > 0 OR instr(v.options, i.id) > 0 OR instr(v.explanation, i.id) > 0
    JOIN questions q ON q.id = v.question_id;
