import { blob, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Workflow engine tables (ARCHITECTURE.md, "Workflow engine"). Our database is the source of truth
 * for workflows, their items, the step journal, events and the activity log; Partner Center stays
 * the source of truth for commerce state. Times are ISO-8601 UTC strings from the injected clock,
 * except `backoffUntilMs`, which is wall-clock milliseconds (transport backoff is about the real
 * service's load, not business time).
 */
export const workflows = sqliteTable(
  'workflows',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id').notNull(),
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    /** The plan input as given (JSON), for idempotency-key comparison and display. */
    inputJson: text('input_json').notNull(),
    inputHash: text('input_hash').notNull(),
    idempotencyKey: text('idempotency_key'),
    /** Procedure-specific plan data (JSON): sources, target, budget, form ... */
    dataJson: text('data_json').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    startedAt: text('started_at'),
    completedAt: text('completed_at'),
    /** Set once a step that cannot be undone has run (R-CON-8): cancel is refused from then on. */
    irreversibleAt: text('irreversible_at'),
    version: integer('version').notNull().default(0),
  },
  (t) => [
    index('workflows_org_idx').on(t.organizationId, t.createdAt),
    uniqueIndex('workflows_idempotency_idx').on(t.organizationId, t.idempotencyKey),
  ],
);

export const workflowItems = sqliteTable(
  'workflow_items',
  {
    id: text('id').primaryKey(),
    workflowId: text('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    /** Stable ordering within a workflow (planning order). */
    position: integer('position').notNull(),
    parentItemId: text('parent_item_id'),
    /** Procedure-specific item kind, e.g. CUSTOMER, LICENSE_REPROVISION. */
    kind: text('kind').notNull(),
    /** Engine status: PENDING RUNNING WAITING DONE BLOCKED FAILED SKIPPED CANCELED. */
    status: text('status').notNull(),
    /** Procedure-specific state shown to users (e.g. ConsolidationCustomerState). */
    state: text('state').notNull(),
    /** The next step the runner will execute for this item. */
    step: text('step').notNull(),
    customerTenantId: text('customer_tenant_id'),
    partnerTenantId: text('partner_tenant_id'),
    subject: text('subject'),
    dataJson: text('data_json').notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** Business-clock time at which the item is runnable again (waits, rechecks). */
    nextRunAt: text('next_run_at'),
    /** Wall-clock ms before which a transiently failed step is not retried. */
    backoffUntilMs: integer('backoff_until_ms'),
    recheckCount: integer('recheck_count').notNull().default(0),
    waitingReason: text('waiting_reason'),
    lastError: text('last_error'),
    leaseOwner: text('lease_owner'),
    leaseExpiresAtMs: integer('lease_expires_at_ms'),
    updatedAt: text('updated_at').notNull(),
    completedAt: text('completed_at'),
  },
  (t) => [
    index('workflow_items_workflow_idx').on(t.workflowId, t.position),
    index('workflow_items_runnable_idx').on(t.status, t.nextRunAt),
    index('workflow_items_customer_idx').on(t.customerTenantId),
  ],
);

/**
 * The step journal: a step's intent is written before its Partner Center call and its result
 * after it, so a restarted engine knows whether a call may have happened (look before create).
 */
export const workflowSteps = sqliteTable(
  'workflow_steps',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workflowId: text('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    itemId: text('item_id').notNull(),
    step: text('step').notNull(),
    /** Deterministic MS-RequestId for this step's Partner Center call. */
    requestId: text('request_id').notNull(),
    /** INTENT, SUCCEEDED or FAILED. */
    phase: text('phase').notNull(),
    intentJson: text('intent_json'),
    resultJson: text('result_json'),
    error: text('error'),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
  },
  (t) => [uniqueIndex('workflow_steps_item_step_idx').on(t.itemId, t.step)],
);

export const workflowEvents = sqliteTable(
  'workflow_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workflowId: text('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    itemId: text('item_id'),
    at: text('at').notNull(),
    type: text('type').notNull(),
    message: text('message').notNull(),
    customerTenantId: text('customer_tenant_id'),
    partnerTenantId: text('partner_tenant_id'),
    subscriptionId: text('subscription_id'),
    dataJson: text('data_json'),
  },
  (t) => [index('workflow_events_workflow_idx').on(t.workflowId, t.id)],
);

export const workflowBlockers = sqliteTable(
  'workflow_blockers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workflowId: text('workflow_id')
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    itemId: text('item_id'),
    code: text('code').notNull(),
    message: text('message').notNull(),
    customerTenantId: text('customer_tenant_id'),
    partnerTenantId: text('partner_tenant_id'),
    subject: text('subject'),
    createdAt: text('created_at').notNull(),
    resolvedAt: text('resolved_at'),
  },
  (t) => [index('workflow_blockers_workflow_idx').on(t.workflowId)],
);

/**
 * The activity log (R-CON-9): every change the product makes and every Partner Center audit
 * record read for the organization's tenants, kept without Partner Center's 90-day limit.
 */
export const activityEntries = sqliteTable(
  'activity_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organizationId: text('organization_id').notNull(),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    operation: text('operation').notNull(),
    /** PRODUCT (a change we made) or PARTNER_CENTER_AUDIT (a record read from Partner Center). */
    source: text('source').notNull(),
    partnerTenantId: text('partner_tenant_id'),
    customerTenantId: text('customer_tenant_id'),
    customerName: text('customer_name'),
    workflowId: text('workflow_id'),
    subscriptionId: text('subscription_id'),
    details: text('details'),
    /** Partner Center audit record id, unique so re-reading a window never duplicates. */
    externalId: text('external_id'),
  },
  (t) => [
    index('activity_entries_org_at_idx').on(t.organizationId, t.at, t.id),
    uniqueIndex('activity_entries_external_idx').on(t.organizationId, t.externalId),
  ],
);

/** How far the Partner Center audit log has been read per partner tenant. */
export const auditCursors = sqliteTable('audit_cursors', {
  partnerTenantId: text('partner_tenant_id').primaryKey(),
  readUntil: text('read_until').notNull(),
});

/**
 * Generated export files (CSV/XLSX), downloadable by their organization with a bearer token.
 * Kept in the database so any replica can serve them; they expire.
 */
export const exportFiles = sqliteTable(
  'export_files',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id').notNull(),
    createdBy: text('created_by').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    rowCount: integer('row_count').notNull(),
    content: blob('content', { mode: 'buffer' }).notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [index('export_files_org_idx').on(t.organizationId, t.createdAt)],
);
