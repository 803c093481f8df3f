CREATE INDEX `workflow_items_parent_idx` ON `workflow_items` (`parent_item_id`);--> statement-breakpoint
CREATE INDEX `workflow_items_workflow_status_idx` ON `workflow_items` (`workflow_id`,`status`);