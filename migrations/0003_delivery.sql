CREATE TABLE `answers` (
	`attempt_id` integer NOT NULL,
	`question_no` integer NOT NULL,
	`choice` text NOT NULL,
	`seq` integer NOT NULL,
	`saved_at` integer NOT NULL,
	PRIMARY KEY(`attempt_id`, `question_no`),
	FOREIGN KEY (`attempt_id`) REFERENCES `attempts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `attempt_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`attempt_id` integer NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	`data` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `attempt_events_attempt` ON `attempt_events` (`attempt_id`);--> statement-breakpoint
CREATE TABLE `attempt_flags` (
	`attempt_id` integer NOT NULL,
	`question_no` integer NOT NULL,
	PRIMARY KEY(`attempt_id`, `question_no`),
	FOREIGN KEY (`attempt_id`) REFERENCES `attempts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`candidate_id` integer NOT NULL,
	`part_id` integer NOT NULL,
	`sitting_id` integer NOT NULL,
	`paper_id` integer NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`submitted_at` integer,
	`submit_reason` text,
	`correct` real,
	`total` integer,
	`score` real,
	`passed` integer,
	FOREIGN KEY (`candidate_id`) REFERENCES `candidates`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`part_id`) REFERENCES `exam_parts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sitting_id`) REFERENCES `sittings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attempts_candidate_part` ON `attempts` (`candidate_id`,`part_id`);--> statement-breakpoint
CREATE INDEX `attempts_status` ON `attempts` (`status`);--> statement-breakpoint
CREATE TABLE `candidate_devices` (
	`candidate_id` integer PRIMARY KEY NOT NULL,
	`device_id` text NOT NULL,
	`ip` text,
	`user_agent` text,
	`bound_at` integer NOT NULL,
	`move_allowed` integer DEFAULT false NOT NULL,
	`rules_acknowledged_at` integer,
	FOREIGN KEY (`candidate_id`) REFERENCES `candidates`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `sittings` ADD `opened_at` text;