import type { AppDb } from '../../db/client.js';

/**
 * The database handle the engine's repositories take: SQLite or PostgreSQL (server/db/client.ts).
 * Await query builders, take tables from `tablesOf(db)`, and use `transaction(db, …)`.
 */
export type EngineDb = AppDb;
