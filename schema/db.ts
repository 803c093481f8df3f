import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// Every table of the application (sqlite-core). Workflow tables are added by the workflow engine.
// Column names are written out in snake_case; timestamps are UTC milliseconds.

/** Partner organizations known to this server (synced from the emulator or from configuration). */
export const partnerOrganizations = sqliteTable('partner_organizations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Where the row came from: `emulator` or `config`. */
  source: text('source').notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch() * 1000)`),
});

/** Partner Center tenants (Entra ID tenants with a CSP account) of each organization. */
export const partnerTenants = sqliteTable(
  'partner_tenants',
  {
    tenantId: text('tenant_id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => partnerOrganizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    mpnId: text('mpn_id').notNull(),
    country: text('country').notNull(),
    region: text('region'),
    /** `direct`, `indirect_provider` or `indirect_reseller`. */
    kind: text('kind').notNull(),
    /** JSON array of labels (e.g. `central`). */
    labels: text('labels').notNull().default('[]'),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
  },
  (t) => [index('partner_tenants_organization_idx').on(t.organizationId, t.name)],
);

export type PartnerOrganizationRow = typeof partnerOrganizations.$inferSelect;
export type NewPartnerOrganizationRow = typeof partnerOrganizations.$inferInsert;
export type PartnerTenantRow = typeof partnerTenants.$inferSelect;
export type NewPartnerTenantRow = typeof partnerTenants.$inferInsert;
export * from './workflow-tables.js';
export * from './transfer-tables.js';
