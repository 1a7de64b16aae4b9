ALTER TABLE `exams` ADD `application_deadline` text;--> statement-breakpoint
ALTER TABLE `exams` ADD `profile_out_of_force_reason` text;
