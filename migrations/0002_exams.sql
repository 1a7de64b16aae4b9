CREATE TABLE `candidates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`exam_id` integer NOT NULL,
	`number` text NOT NULL,
	`full_name` text NOT NULL,
	`date_of_birth` text NOT NULL,
	`gender` text NOT NULL,
	`id_number` text NOT NULL,
	`ethnicity` text DEFAULT 'Kinh' NOT NULL,
	`position_id` integer NOT NULL,
	`priority_category` text,
	`exemptions` text DEFAULT '[]' NOT NULL,
	`kiem_dinh` text,
	`current_grade` text,
	`years_in_grade` real,
	`extra` text DEFAULT '{}' NOT NULL,
	`pin_hash` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`position_id`) REFERENCES `exam_positions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `candidates_number` ON `candidates` (`exam_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `candidates_id_number` ON `candidates` (`exam_id`,`id_number`);--> statement-breakpoint
CREATE TABLE `exam_parts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`exam_id` integer NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`subject_id` integer,
	`mode` text NOT NULL,
	`round` integer DEFAULT 1 NOT NULL,
	`question_count` integer,
	`duration_min` integer,
	`score_scale` real DEFAULT 100 NOT NULL,
	`pass_rule` text NOT NULL,
	`role` text NOT NULL,
	`coefficient` real,
	`exemptible_by` text DEFAULT '[]' NOT NULL,
	`blueprint` text DEFAULT '{"cells":[]}' NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`bank_version` text,
	`frozen_pool` text,
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`subject_id`) REFERENCES `subjects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `exam_parts_code` ON `exam_parts` (`exam_id`,`code`);--> statement-breakpoint
CREATE TABLE `exam_positions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`exam_id` integer NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`quota` integer NOT NULL,
	`grade` text,
	`requires_foreign_language` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `exam_positions_code` ON `exam_positions` (`exam_id`,`code`);--> statement-breakpoint
CREATE TABLE `exams` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`profile_id` text NOT NULL,
	`overrides` text DEFAULT '{}' NOT NULL,
	`organising_body` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`secret` text NOT NULL,
	`exam_date` text,
	`frozen_at` text,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `exams_code_unique` ON `exams` (`code`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`exam_id` integer,
	`status` text NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`message` text DEFAULT '' NOT NULL,
	`result` text,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`finished_at` text,
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `papers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`part_id` integer NOT NULL,
	`candidate_id` integer NOT NULL,
	`attempt` integer DEFAULT 0 NOT NULL,
	`algorithm_version` integer NOT NULL,
	`bank_version` text NOT NULL,
	`items` text NOT NULL,
	`digest` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`part_id`) REFERENCES `exam_parts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`candidate_id`) REFERENCES `candidates`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `papers_part_candidate` ON `papers` (`part_id`,`candidate_id`);--> statement-breakpoint
CREATE TABLE `room_invigilators` (
	`sitting_id` integer NOT NULL,
	`room_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	PRIMARY KEY(`sitting_id`, `room_id`, `user_id`),
	FOREIGN KEY (`sitting_id`) REFERENCES `sittings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`room_id`) REFERENCES `rooms`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `rooms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`exam_id` integer NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`location` text DEFAULT '' NOT NULL,
	`seats` integer NOT NULL,
	`seats_per_row` integer DEFAULT 6 NOT NULL,
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rooms_code` ON `rooms` (`exam_id`,`code`);--> statement-breakpoint
CREATE TABLE `seat_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sitting_id` integer NOT NULL,
	`room_id` integer NOT NULL,
	`seat_no` integer NOT NULL,
	`candidate_id` integer NOT NULL,
	FOREIGN KEY (`sitting_id`) REFERENCES `sittings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`room_id`) REFERENCES `rooms`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`candidate_id`) REFERENCES `candidates`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `seat_assignments_candidate` ON `seat_assignments` (`sitting_id`,`candidate_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `seat_assignments_seat` ON `seat_assignments` (`sitting_id`,`room_id`,`seat_no`);--> statement-breakpoint
CREATE TABLE `sittings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`exam_id` integer NOT NULL,
	`name` text NOT NULL,
	`starts_at` text NOT NULL,
	`part_ids` text NOT NULL,
	FOREIGN KEY (`exam_id`) REFERENCES `exams`(`id`) ON UPDATE no action ON DELETE cascade
);
