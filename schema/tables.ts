import { customType as pgCustomType } from 'drizzle-orm/pg-core';
import * as p from 'drizzle-orm/pg-core';
import * as s from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import type { ActivitySource } from '../server/shared/activity-operations.js';
import type { BlockerCode } from '../server/shared/error-codes.js';
import type { WorkflowEventType } from '../server/shared/workflow-event-types.js';

/*
 * The one description of every table, for both dialects (issue 10). `defineTables(builders)` is run
 * once with SQLite builders (schema/db.ts, drizzle.config.ts, schema/migrations/) and once with
 * PostgreSQL builders (schema/db.pg.ts, drizzle.config.pg.ts, schema/migrations-pg/). The column
 * vocabulary is deliberately small so both dialects produce the same JavaScript row shapes:
 *
 *   text        TEXT            text
 *   integer     INTEGER         integer                 (counts, positions)
 *   bigint      INTEGER         bigint -> number        (wall-clock milliseconds)
 *   real        REAL            double precision        (token buckets)
 *   blob        BLOB -> Buffer  bytea -> Buffer
 *   timestampMs INTEGER (ms)    bigint (ms) -> Date
 *   serial      INTEGER PK AUTOINCREMENT   bigint identity
 *
 * Types are the SQLite ones; the PostgreSQL tables are typed as those (see `pgBuilders`), which
 * holds because every column maps to the same JavaScript type. Repositories take their table
 * objects from the database handle (`tablesOf(db)` in server/db/client.ts), never from a dialect.
 */

const sqliteBuilders = {
  dialect: 'sqlite' as 'sqlite' | 'pg',
  table: s.sqliteTable,
  text: (name: string) => s.text(name),
  integer: (name: string) => s.integer(name),
  bigint: (name: string) => s.integer(name),
  real: (name: string) => s.real(name),
  blob: (name: string) => s.blob(name, { mode: 'buffer' }),
  timestampMs: (name: string) => s.integer(name, { mode: 'timestamp_ms' }),
  serial: (name: string) => s.integer(name).primaryKey({ autoIncrement: true }),
  index: s.index,
  uniqueIndex: s.uniqueIndex,
  primaryKey: s.primaryKey,
  /** Default of a `timestampMs` column: the database's current time in milliseconds. */
  nowMs: () => sql`(unixepoch() * 1000)`,
};

/** What a table description is written with (SQLite-typed; see the file comment). */
export type TableBuilders = typeof sqliteBuilders;

export { sqliteBuilders };

const bytea = pgCustomType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

const bigintDate = pgCustomType<{ data: Date; driverData: string | number | bigint }>({
  dataType: () => 'bigint',
  toDriver: (value) => value.getTime(),
  fromDriver: (value) => new Date(Number(value)),
});

// Each PostgreSQL builder returns the pg-core column builder; the cast gives it the SQLite
// builder's type, which is sound for the calls descriptions make (notNull, default, primaryKey,
// references, unique) because both builder families have them with the same meaning.
const as = <T>(value: unknown): T => value as T;

/**
 * PostgreSQL builders; `schema` puts the tables in a schema other than `public` (tests give each
 * database its own schema so they can share one server).
 */
export function pgBuildersFor(schema?: string): TableBuilders {
  const table = schema && schema !== 'public' ? p.pgSchema(schema).table : p.pgTable;
  return {
    dialect: 'pg',
    table: as<TableBuilders['table']>(table),
    text: (name) => as(p.text(name)),
    integer: (name) => as(p.integer(name)),
    bigint: (name) => as(p.bigint(name, { mode: 'number' })),
    real: (name) => as(p.doublePrecision(name)),
    blob: (name) => as(bytea(name)),
    timestampMs: (name) => as(bigintDate(name)),
    serial: (name) =>
      as(p.bigint(name, { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity()),
    index: as<TableBuilders['index']>(p.index),
    uniqueIndex: as<TableBuilders['uniqueIndex']>(p.uniqueIndex),
    primaryKey: as<TableBuilders['primaryKey']>(p.primaryKey),
    nowMs: () => sql`((extract(epoch from now()) * 1000)::bigint)`,
  };
}

/** Every table of the application. Column names are snake_case; timestamps are UTC. */
export function defineTables(b: TableBuilders) {
  // ---- partner directory ----

  /** Partner organizations known to this server (synced from the emulator or from configuration). */
  const partnerOrganizations = b.table('partner_organizations', {
    id: b.text('id').primaryKey(),
    name: b.text('name').notNull(),
    /** Where the row came from: `emulator` or `config`. */
    source: b.text('source').notNull(),
    updatedAt: b.timestampMs('updated_at').notNull().default(b.nowMs()),
  });

  /** Partner Center tenants (Entra ID tenants with a CSP account) of each organization. */
  const partnerTenants = b.table(
    'partner_tenants',
    {
      tenantId: b.text('tenant_id').primaryKey(),
      organizationId: b
        .text('organization_id')
        .notNull()
        .references(() => partnerOrganizations.id, { onDelete: 'cascade' }),
      name: b.text('name').notNull(),
      mpnId: b.text('mpn_id').notNull(),
      country: b.text('country').notNull(),
      region: b.text('region'),
      /** `direct`, `indirect_provider` or `indirect_reseller`. */
      kind: b.text('kind').notNull(),
      /** JSON array of labels (e.g. `central`). */
      labels: b.text('labels').notNull().default('[]'),
      updatedAt: b.timestampMs('updated_at').notNull().default(b.nowMs()),
    },
    (t) => [b.index('partner_tenants_organization_idx').on(t.organizationId, t.name)],
  );

  // ---- workflow engine (ARCHITECTURE.md, "Workflow engine") ----
  // Our database is the source of truth for workflows, their items, the step journal, events and
  // the activity log; Partner Center stays the source of truth for commerce state. Times are
  // ISO-8601 UTC strings from the injected clock, except `*Ms` columns, which are wall-clock
  // milliseconds (transport backoff and leases are about real time, not business time).

  const workflows = b.table(
    'workflows',
    {
      id: b.text('id').primaryKey(),
      organizationId: b.text('organization_id').notNull(),
      kind: b.text('kind').notNull(),
      status: b.text('status').notNull(),
      /** The plan input as given (JSON), for idempotency-key comparison and display. */
      inputJson: b.text('input_json').notNull(),
      inputHash: b.text('input_hash').notNull(),
      idempotencyKey: b.text('idempotency_key'),
      /** Procedure-specific plan data (JSON): sources, target, budget, form ... */
      dataJson: b.text('data_json').notNull(),
      createdBy: b.text('created_by').notNull(),
      createdAt: b.text('created_at').notNull(),
      updatedAt: b.text('updated_at').notNull(),
      startedAt: b.text('started_at'),
      completedAt: b.text('completed_at'),
      /** Set once a step that cannot be undone has run (R-CON-8): cancel is refused from then on. */
      irreversibleAt: b.text('irreversible_at'),
      version: b.integer('version').notNull().default(0),
    },
    (t) => [
      b.index('workflows_org_idx').on(t.organizationId, t.createdAt),
      b.uniqueIndex('workflows_idempotency_idx').on(t.organizationId, t.idempotencyKey),
    ],
  );

  const workflowItems = b.table(
    'workflow_items',
    {
      id: b.text('id').primaryKey(),
      workflowId: b
        .text('workflow_id')
        .notNull()
        .references(() => workflows.id, { onDelete: 'cascade' }),
      /** Stable ordering within a workflow (planning order). */
      position: b.integer('position').notNull(),
      parentItemId: b.text('parent_item_id'),
      /** Procedure-specific item kind, e.g. CUSTOMER, LICENSE_REPROVISION. */
      kind: b.text('kind').notNull(),
      /** Engine status: PENDING RUNNING WAITING DONE BLOCKED FAILED SKIPPED CANCELED. */
      status: b.text('status').notNull(),
      /** Procedure-specific state shown to users (e.g. ConsolidationCustomerState). */
      state: b.text('state').notNull(),
      /** The next step the runner will execute for this item. */
      step: b.text('step').notNull(),
      customerTenantId: b.text('customer_tenant_id'),
      partnerTenantId: b.text('partner_tenant_id'),
      subject: b.text('subject'),
      dataJson: b.text('data_json').notNull(),
      attempts: b.integer('attempts').notNull().default(0),
      /** Business-clock time at which the item is runnable again (waits, rechecks). */
      nextRunAt: b.text('next_run_at'),
      /** Wall-clock ms before which a transiently failed step is not retried. */
      backoffUntilMs: b.bigint('backoff_until_ms'),
      recheckCount: b.integer('recheck_count').notNull().default(0),
      /**
       * Bumped whenever something wakes the item (a child's progress). A step that ends in `wait`
       * while this changed runs again at once instead of sleeping: no wake-up is lost to a step
       * that read its children just before one finished (several runners, several replicas).
       */
      wakeCount: b.integer('wake_count').notNull().default(0),
      waitingReason: b.text('waiting_reason'),
      lastError: b.text('last_error'),
      /** The runner (process, replica) that holds the item while it runs a step. */
      leaseOwner: b.text('lease_owner'),
      /** Wall-clock ms the lease runs out at unless renewed; then another runner may take it. */
      leaseExpiresAtMs: b.bigint('lease_expires_at_ms'),
      updatedAt: b.text('updated_at').notNull(),
      completedAt: b.text('completed_at'),
    },
    (t) => [
      b.index('workflow_items_workflow_idx').on(t.workflowId, t.position),
      // The claim reads it in order per status and stops after its limit (position breaks the
      // ties of items planned at the same instant without a sort).
      b.index('workflow_items_runnable_idx').on(t.status, t.nextRunAt, t.position),
      b.index('workflow_items_customer_idx').on(t.customerTenantId),
      // Children of an item (release, wake, progress); the workflow status probes (open, runnable
      // now, failed) of each update.
      b.index('workflow_items_parent_idx').on(t.parentItemId),
      b.index('workflow_items_workflow_status_idx').on(t.workflowId, t.status, t.nextRunAt),
      // Invariant sweeps (e.g. R-CON-4: license items whose replacement is active) every few
      // seconds, without reading every item ever planned.
      b.index('workflow_items_kind_state_idx').on(t.kind, t.state),
    ],
  );

  /**
   * The step journal: a step's intent is written before its Partner Center call and its result
   * after it, so a restarted engine knows whether a call may have happened (look before create).
   */
  const workflowSteps = b.table(
    'workflow_steps',
    {
      id: b.serial('id'),
      workflowId: b
        .text('workflow_id')
        .notNull()
        .references(() => workflows.id, { onDelete: 'cascade' }),
      itemId: b.text('item_id').notNull(),
      step: b.text('step').notNull(),
      /** Deterministic MS-RequestId for this step's Partner Center call. */
      requestId: b.text('request_id').notNull(),
      /** INTENT, SUCCEEDED or FAILED. */
      phase: b.text('phase').notNull(),
      intentJson: b.text('intent_json'),
      resultJson: b.text('result_json'),
      error: b.text('error'),
      startedAt: b.text('started_at').notNull(),
      finishedAt: b.text('finished_at'),
    },
    (t) => [b.uniqueIndex('workflow_steps_item_step_idx').on(t.itemId, t.step)],
  );

  const workflowEvents = b.table(
    'workflow_events',
    {
      id: b.serial('id'),
      workflowId: b
        .text('workflow_id')
        .notNull()
        .references(() => workflows.id, { onDelete: 'cascade' }),
      itemId: b.text('item_id'),
      at: b.text('at').notNull(),
      type: b.text('type').$type<WorkflowEventType>().notNull(),
      message: b.text('message').notNull(),
      customerTenantId: b.text('customer_tenant_id'),
      partnerTenantId: b.text('partner_tenant_id'),
      subscriptionId: b.text('subscription_id'),
      dataJson: b.text('data_json'),
    },
    (t) => [b.index('workflow_events_workflow_idx').on(t.workflowId, t.id)],
  );

  const workflowBlockers = b.table(
    'workflow_blockers',
    {
      id: b.serial('id'),
      workflowId: b
        .text('workflow_id')
        .notNull()
        .references(() => workflows.id, { onDelete: 'cascade' }),
      itemId: b.text('item_id'),
      code: b.text('code').$type<BlockerCode>().notNull(),
      message: b.text('message').notNull(),
      customerTenantId: b.text('customer_tenant_id'),
      partnerTenantId: b.text('partner_tenant_id'),
      subject: b.text('subject'),
      createdAt: b.text('created_at').notNull(),
      resolvedAt: b.text('resolved_at'),
    },
    (t) => [b.index('workflow_blockers_workflow_idx').on(t.workflowId)],
  );

  /**
   * The activity log (R-CON-9): every change the product makes and every Partner Center audit
   * record read for the organization's tenants, kept without Partner Center's 90-day limit.
   */
  const activityEntries = b.table(
    'activity_entries',
    {
      id: b.serial('id'),
      organizationId: b.text('organization_id').notNull(),
      at: b.text('at').notNull(),
      actor: b.text('actor').notNull(),
      operation: b.text('operation').notNull(),
      /** PRODUCT (a change we made) or PARTNER_CENTER_AUDIT (a record read from Partner Center). */
      source: b.text('source').$type<ActivitySource>().notNull(),
      partnerTenantId: b.text('partner_tenant_id'),
      customerTenantId: b.text('customer_tenant_id'),
      customerName: b.text('customer_name'),
      /**
       * customerName and customerTenantId folded (lower case, no accents) on insert, so that
       * `customerSearch` matches "negoce" to "Négoce" alike on SQLite and PostgreSQL. Null on rows
       * written before it existed (searched by the case-insensitive name alone).
       */
      customerSearch: b.text('customer_search'),
      workflowId: b.text('workflow_id'),
      subscriptionId: b.text('subscription_id'),
      details: b.text('details'),
      /** Partner Center audit record id, unique so re-reading a window never duplicates. */
      externalId: b.text('external_id'),
    },
    (t) => [
      b.index('activity_entries_org_at_idx').on(t.organizationId, t.at, t.id),
      b.uniqueIndex('activity_entries_external_idx').on(t.organizationId, t.externalId),
    ],
  );

  /** How far the Partner Center audit log has been read per partner tenant. */
  const auditCursors = b.table('audit_cursors', {
    partnerTenantId: b.text('partner_tenant_id').primaryKey(),
    readUntil: b.text('read_until').notNull(),
  });

  /**
   * Generated export files (CSV/XLSX), downloadable by their organization with a bearer token.
   * Kept in the database so any replica can serve them; they expire.
   */
  const exportFiles = b.table(
    'export_files',
    {
      id: b.text('id').primaryKey(),
      organizationId: b.text('organization_id').notNull(),
      createdBy: b.text('created_by').notNull(),
      fileName: b.text('file_name').notNull(),
      contentType: b.text('content_type').notNull(),
      rowCount: b.integer('row_count').notNull(),
      content: b.blob('content').notNull(),
      createdAt: b.text('created_at').notNull(),
      expiresAt: b.text('expires_at').notNull(),
    },
    (t) => [b.index('export_files_org_idx').on(t.organizationId, t.createdAt)],
  );

  // ---- subscription transfer (R-TRF-5) ----

  /**
   * Single-use signing links of the CSP Subscription Transfer form (R-TRF-5): the customer and
   * the new partner sign through a link without an account. Only the SHA-256 of the link's token
   * is stored, so neither the database nor a log ever holds a usable link; `usedAt` makes it
   * single use.
   */
  const transferSigningLinks = b.table(
    'transfer_signing_links',
    {
      tokenHash: b.text('token_hash').primaryKey(),
      workflowId: b
        .text('workflow_id')
        .notNull()
        .references(() => workflows.id, { onDelete: 'cascade' }),
      /** CUSTOMER or NEW_PARTNER. */
      party: b.text('party').notNull(),
      /**
       * Random per link; the token is an HMAC of it under the server's key, so an admin of the
       * owning organization can be shown the link again while the table alone never yields one.
       */
      nonce: b.text('nonce').notNull(),
      createdAt: b.text('created_at').notNull(),
      expiresAt: b.text('expires_at').notNull(),
      usedAt: b.text('used_at'),
    },
    (t) => [b.index('transfer_signing_links_workflow_idx').on(t.workflowId, t.party)],
  );

  /**
   * Organizations other than the owner that may read a workflow: the new partner's organization
   * sees an incoming transfer in its `workflows` when it is also served by this server (read-only).
   */
  const workflowViewers = b.table(
    'workflow_viewers',
    {
      workflowId: b
        .text('workflow_id')
        .notNull()
        .references(() => workflows.id, { onDelete: 'cascade' }),
      organizationId: b.text('organization_id').notNull(),
      /** Why it may read it, e.g. INCOMING_TRANSFER. */
      role: b.text('role').notNull(),
    },
    (t) => [
      b.primaryKey({ columns: [t.workflowId, t.organizationId] }),
      b.index('workflow_viewers_org_idx').on(t.organizationId),
    ],
  );

  // ---- scale-out (issue 10) ----

  /**
   * The Partner Center rate budget shared by every replica: one token bucket per partner tenant
   * (and per limiter scope), refilled by elapsed time and taken from atomically, so N replicas
   * together stay within Partner Center's limits instead of N times over.
   */
  const rateBuckets = b.table('rate_buckets', {
    /** `<scope>:<partner tenant id>`, e.g. `pc:…` for Partner Center, `arm:…` for ARM. */
    key: b.text('key').primaryKey(),
    tokens: b.real('tokens').notNull(),
    /** Wall-clock ms (the database's clock) of the last refill. */
    refilledAtMs: b.bigint('refilled_at_ms').notNull(),
  });

  /**
   * One row per probe name, rewritten by `/readyz`: proof that the database takes a committed
   * write (a full disk, a read-only file or a standby answers `select 1` but not this).
   */
  const readinessProbes = b.table('readiness_probes', {
    id: b.text('id').primaryKey(),
    checkedAtMs: b.bigint('checked_at_ms').notNull(),
  });

  return {
    partnerOrganizations,
    partnerTenants,
    workflows,
    workflowItems,
    workflowSteps,
    workflowEvents,
    workflowBlockers,
    activityEntries,
    auditCursors,
    exportFiles,
    transferSigningLinks,
    workflowViewers,
    rateBuckets,
    readinessProbes,
  };
}

/** The table objects of one dialect (typed as SQLite's, see the file comment). */
export type AppTables = ReturnType<typeof defineTables>;
