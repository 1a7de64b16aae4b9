CREATE TABLE `incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sitting_id` integer NOT NULL,
	`room_id` integer NOT NULL,
	`candidate_id` integer,
	`attempt_id` integer,
	`action` text NOT NULL,
	`reason` text NOT NULL,
	`details` text DEFAULT '{}' NOT NULL,
	`user_id` integer,
	`user_name` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `incidents_room` ON `incidents` (`sitting_id`,`room_id`);--> statement-breakpoint
CREATE INDEX `incidents_candidate` ON `incidents` (`candidate_id`);--> statement-breakpoint
CREATE TABLE `room_openings` (
	`sitting_id` integer NOT NULL,
	`room_id` integer NOT NULL,
	`opened_at` integer NOT NULL,
	`opened_by` integer,
	PRIMARY KEY(`sitting_id`, `room_id`),
	FOREIGN KEY (`sitting_id`) REFERENCES `sittings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`room_id`) REFERENCES `rooms`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`opened_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `sanctions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`exam_id` integer NOT NULL,
	`candidate_id` integer NOT NULL,
	`part_id` integer,
	`attempt_id` integer,
	`code` text NOT NULL,
	`reason` text NOT NULL,
	`incident_id` integer,
	`user_id` integer,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sanctions_candidate` ON `sanctions` (`candidate_id`);--> statement-breakpoint
CREATE TABLE `sitting_exports` (
	`sitting_id` integer PRIMARY KEY NOT NULL,
	`sha256` text NOT NULL,
	`data` blob NOT NULL,
	`attempts` integer NOT NULL,
	`answers` integer NOT NULL,
	`sealed_at` integer NOT NULL,
	`sealed_by` integer
);
--> statement-breakpoint
CREATE INDEX `seat_assignments_by_candidate` ON `seat_assignments` (`candidate_id`);