CREATE TABLE `transfer_signing_links` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`workflow_id` text NOT NULL,
	`party` text NOT NULL,
	`nonce` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `transfer_signing_links_workflow_idx` ON `transfer_signing_links` (`workflow_id`,`party`);--> statement-breakpoint
CREATE TABLE `workflow_viewers` (
	`workflow_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`role` text NOT NULL,
	PRIMARY KEY(`workflow_id`, `organization_id`),
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `workflow_viewers_org_idx` ON `workflow_viewers` (`organization_id`);