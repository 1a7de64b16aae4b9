CREATE TABLE `paper_views` (
	`paper_id` integer PRIMARY KEY NOT NULL,
	`candidate_id` integer NOT NULL,
	`part_id` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`view` blob NOT NULL,
	`digest` text NOT NULL,
	`rendered_at` integer NOT NULL,
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`candidate_id`) REFERENCES `candidates`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`part_id`) REFERENCES `exam_parts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `paper_views_candidate_part` ON `paper_views` (`candidate_id`,`part_id`);
