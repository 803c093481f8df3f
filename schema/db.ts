import { defineTables, sqliteBuilders } from './tables.js';

// The SQLite instance of the one table description (schema/tables.ts): drizzle.config.ts →
// schema/migrations/, and the table types every repository is written against. Add a table in
// schema/tables.ts (both dialects), not here; then generate both migrations (docs/seams.md).
export const {
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
  gdapRoleTemplates,
} = defineTables(sqliteBuilders);

export type PartnerOrganizationRow = typeof partnerOrganizations.$inferSelect;
export type NewPartnerOrganizationRow = typeof partnerOrganizations.$inferInsert;
export type PartnerTenantRow = typeof partnerTenants.$inferSelect;
export type NewPartnerTenantRow = typeof partnerTenants.$inferInsert;
export type { AppTables } from './tables.js';
