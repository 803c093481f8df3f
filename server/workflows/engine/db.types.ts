import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';

/** The database handle the engine's repositories take (schema-agnostic query builder). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- drizzle's schema generic; queries use table objects only
export type EngineDb = BetterSQLite3Database<any>;
