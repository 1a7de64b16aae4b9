ALTER TABLE `tie_decisions` ADD `decision_number` text;--> statement-breakpoint
ALTER TABLE `tie_decisions` ADD `decision_date` text;--> statement-breakpoint
ALTER TABLE `tie_decisions` ADD `signer` text;--> statement-breakpoint
ALTER TABLE `result_publications` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `result_publications` ADD `previous_sha256` text;--> statement-breakpoint
ALTER TABLE `result_publications` ADD `report` text;--> statement-breakpoint
CREATE TABLE `review_settings` (
	`exam_id` integer PRIMARY KEY NOT NULL,
	`window_days` integer NOT NULL,
	`mark_rule` text NOT NULL,
	`updated_by` integer,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `review_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`exam_id` integer NOT NULL,
	`candidate_id` integer NOT NULL,
	`part_id` integer NOT NULL,
	`requested_on` text NOT NULL,
	`note` text,
	`publication_id` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`reviewer1` integer,
	`reviewer2` integer,
	`original` real,
	`review` real,
	`final` real,
	`republication_id` integer,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`candidate_id`) REFERENCES `candidates`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`part_id`) REFERENCES `exam_parts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reviewer1`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewer2`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_requests_exam` ON `review_requests` (`exam_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `review_requests_once` ON `review_requests` (`candidate_id`,`part_id`);--> statement-breakpoint
CREATE TABLE `review_marks` (
	`request_id` integer NOT NULL,
	`reviewer` integer NOT NULL,
	`score` real NOT NULL,
	`entered_by` integer,
	`entered_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`request_id`, `reviewer`),
	FOREIGN KEY (`request_id`) REFERENCES `review_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`entered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `candidate_eligibility` (
	`candidate_id` integer PRIMARY KEY NOT NULL,
	`data` text NOT NULL,
	`status` text NOT NULL,
	`reasons` text NOT NULL,
	`override_status` text,
	`override_reason` text,
	`override_ref` text,
	`override_by` integer,
	`override_at` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`candidate_id`) REFERENCES `candidates`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`override_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `grade_equivalences` (
	`exam_id` integer NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`equivalent_to` text NOT NULL,
	`source` text NOT NULL,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`exam_id`, `code`),
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
