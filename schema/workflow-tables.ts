// Engine, activity and export tables: defined once for both dialects in schema/tables.ts; this
// module keeps the names importable from where they have always been (types, SQLite instance).
export {
  workflows,
  workflowItems,
  workflowSteps,
  workflowEvents,
  workflowBlockers,
  activityEntries,
  auditCursors,
  exportFiles,
} from './db.js';
