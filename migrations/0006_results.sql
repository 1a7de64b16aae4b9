CREATE TABLE `key_corrections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`exam_id` integer NOT NULL,
	`version_id` integer NOT NULL,
	`kind` text NOT NULL,
	`correct` text,
	`mode` text,
	`reason` text NOT NULL,
	`report` text NOT NULL,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `key_corrections_exam` ON `key_corrections` (`exam_id`);--> statement-breakpoint
CREATE TABLE `marking_rules` (
	`part_id` integer PRIMARY KEY NOT NULL,
	`markers` integer DEFAULT 1 NOT NULL,
	`max_difference` real DEFAULT 0 NOT NULL,
	`combine` text DEFAULT 'average' NOT NULL,
	FOREIGN KEY (`part_id`) REFERENCES `exam_parts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `part_marks` (
	`part_id` integer NOT NULL,
	`candidate_id` integer NOT NULL,
	`marker` integer NOT NULL,
	`score` real,
	`reason` text,
	`entered_by` integer,
	`entered_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`part_id`, `candidate_id`, `marker`),
	FOREIGN KEY (`part_id`) REFERENCES `exam_parts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`candidate_id`) REFERENCES `candidates`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`entered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `result_publications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`exam_id` integer NOT NULL,
	`snapshot` text NOT NULL,
	`sha256` text NOT NULL,
	`published_by` integer,
	`published_by_name` text NOT NULL,
	`published_at` text NOT NULL,
	`revoked_at` text,
	`revoked_reason` text,
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`published_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `result_publications_exam` ON `result_publications` (`exam_id`);--> statement-breakpoint
CREATE TABLE `tie_decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`exam_id` integer NOT NULL,
	`position_id` integer NOT NULL,
	`candidate_ids` text NOT NULL,
	`reason` text NOT NULL,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tie_decisions_exam` ON `tie_decisions` (`exam_id`);