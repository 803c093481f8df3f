import { defineTables, pgBuildersFor } from './tables.js';

// The PostgreSQL instance of the one table description (schema/tables.ts), for drizzle-kit
// (drizzle.config.pg.ts → schema/migrations-pg/). The server builds its own instance per database
// (server/db/client.ts), so a schema other than `public` is possible.
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
} = defineTables(pgBuildersFor());
