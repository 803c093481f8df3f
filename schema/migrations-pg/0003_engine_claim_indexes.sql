DROP INDEX "workflow_items_runnable_idx";--> statement-breakpoint
DROP INDEX "workflow_items_workflow_status_idx";--> statement-breakpoint
CREATE INDEX "workflow_items_kind_state_idx" ON "workflow_items" USING btree ("kind","state");--> statement-breakpoint
CREATE INDEX "workflow_items_runnable_idx" ON "workflow_items" USING btree ("status","next_run_at","position");--> statement-breakpoint
CREATE INDEX "workflow_items_workflow_status_idx" ON "workflow_items" USING btree ("workflow_id","status","next_run_at");