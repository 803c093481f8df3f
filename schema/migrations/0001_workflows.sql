CREATE TABLE `activity_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` text NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`operation` text NOT NULL,
	`source` text NOT NULL,
	`partner_tenant_id` text,
	`customer_tenant_id` text,
	`customer_name` text,
	`workflow_id` text,
	`subscription_id` text,
	`details` text,
	`external_id` text
);
--> statement-breakpoint
CREATE INDEX `activity_entries_org_at_idx` ON `activity_entries` (`organization_id`,`at`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `activity_entries_external_idx` ON `activity_entries` (`organization_id`,`external_id`);--> statement-breakpoint
CREATE TABLE `audit_cursors` (
	`partner_tenant_id` text PRIMARY KEY NOT NULL,
	`read_until` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `export_files` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`created_by` text NOT NULL,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`row_count` integer NOT NULL,
	`content` blob NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `export_files_org_idx` ON `export_files` (`organization_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `workflow_blockers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workflow_id` text NOT NULL,
	`item_id` text,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`customer_tenant_id` text,
	`partner_tenant_id` text,
	`subject` text,
	`created_at` text NOT NULL,
	`resolved_at` text,
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `workflow_blockers_workflow_idx` ON `workflow_blockers` (`workflow_id`);--> statement-breakpoint
CREATE TABLE `workflow_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workflow_id` text NOT NULL,
	`item_id` text,
	`at` text NOT NULL,
	`type` text NOT NULL,
	`message` text NOT NULL,
	`customer_tenant_id` text,
	`partner_tenant_id` text,
	`subscription_id` text,
	`data_json` text,
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `workflow_events_workflow_idx` ON `workflow_events` (`workflow_id`,`id`);--> statement-breakpoint
CREATE TABLE `workflow_items` (
	`id` text PRIMARY KEY NOT NULL,
	`workflow_id` text NOT NULL,
	`position` integer NOT NULL,
	`parent_item_id` text,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`state` text NOT NULL,
	`step` text NOT NULL,
	`customer_tenant_id` text,
	`partner_tenant_id` text,
	`subject` text,
	`data_json` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_run_at` text,
	`backoff_until_ms` integer,
	`recheck_count` integer DEFAULT 0 NOT NULL,
	`waiting_reason` text,
	`last_error` text,
	`lease_owner` text,
	`lease_expires_at_ms` integer,
	`updated_at` text NOT NULL,
	`completed_at` text,
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `workflow_items_workflow_idx` ON `workflow_items` (`workflow_id`,`position`);--> statement-breakpoint
CREATE INDEX `workflow_items_runnable_idx` ON `workflow_items` (`status`,`next_run_at`);--> statement-breakpoint
CREATE INDEX `workflow_items_customer_idx` ON `workflow_items` (`customer_tenant_id`);--> statement-breakpoint
CREATE TABLE `workflow_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workflow_id` text NOT NULL,
	`item_id` text NOT NULL,
	`step` text NOT NULL,
	`request_id` text NOT NULL,
	`phase` text NOT NULL,
	`intent_json` text,
	`result_json` text,
	`error` text,
	`started_at` text NOT NULL,
	`finished_at` text,
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_steps_item_step_idx` ON `workflow_steps` (`item_id`,`step`);--> statement-breakpoint
CREATE TABLE `workflows` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`input_json` text NOT NULL,
	`input_hash` text NOT NULL,
	`idempotency_key` text,
	`data_json` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`started_at` text,
	`completed_at` text,
	`irreversible_at` text,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `workflows_org_idx` ON `workflows` (`organization_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `workflows_idempotency_idx` ON `workflows` (`organization_id`,`idempotency_key`);