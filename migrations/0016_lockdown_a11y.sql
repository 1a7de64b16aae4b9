CREATE TABLE `exam_lockdown` (
	`exam_id` integer PRIMARY KEY NOT NULL,
	`seb_required` integer DEFAULT 0 NOT NULL,
	`seb_start_url` text,
	`focus_policy` text DEFAULT 'warn' NOT NULL,
	`focus_limit` integer DEFAULT 3 NOT NULL,
	`updated_by` integer,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `candidate_accommodations` (
	`candidate_id` integer PRIMARY KEY NOT NULL,
	`extra_minutes` integer DEFAULT 0 NOT NULL,
	`reason` text NOT NULL,
	`set_by` integer,
	`set_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`candidate_id`) REFERENCES `candidates`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`set_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `lockdown_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`candidate_id` integer NOT NULL,
	`attempt_id` integer,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`candidate_id`) REFERENCES `candidates`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lockdown_events_candidate` ON `lockdown_events` (`candidate_id`,`id`);
