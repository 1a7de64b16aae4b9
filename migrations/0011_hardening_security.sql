ALTER TABLE `users` ADD `session_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE TABLE `audit_macs` (
	`audit_id` integer PRIMARY KEY NOT NULL,
	`mac` text NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER audit_macs_no_update BEFORE UPDATE ON audit_macs
BEGIN SELECT RAISE(ABORT, 'audit_macs is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER audit_macs_no_delete BEFORE DELETE ON audit_macs
BEGIN SELECT RAISE(ABORT, 'audit_macs is append-only'); END;
--> statement-breakpoint
CREATE TABLE `signin_lockouts` (
	`candidate_id` integer PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`locked_until` integer DEFAULT 0 NOT NULL,
	`last_failed_at` integer NOT NULL,
	FOREIGN KEY (`candidate_id`) REFERENCES `candidates`(`id`) ON UPDATE no action ON DELETE cascade
);
