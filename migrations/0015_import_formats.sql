ALTER TABLE `questions` ADD `title` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `questions` ADD `title_key` text DEFAULT '' NOT NULL;
