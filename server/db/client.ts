import { type AnyColumn, is, sql, type SQL } from 'drizzle-orm';
import { PgDatabase } from 'drizzle-orm/pg-core';
import { type BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { type AppTables } from '../../schema/tables.js';
import { openSqlite, sqliteTransaction } from './better-sqlite3.driver.js';
import { type AppDb, type DbHandle, type Dialect, type OpenOptions } from './db-handle.types.js';
import { openPostgres } from './node-postgres.driver.js';
import { openPglite } from './pglite.driver.js';

export type {
  AppDb,
  Db,
  DbHandle,
  Dialect,
  Notifications,
  OpenOptions,
} from './db-handle.types.js';

/*
 * One database layer for two dialects (issue 10). `DATABASE_URL=postgres://…` opens PostgreSQL
 * (node-postgres with a pool), `pglite:` an in-process PostgreSQL (tests, experiments), anything
 * else the embedded SQLite file (one driver file each:
 * `node-postgres.driver.ts`, `pglite.driver.ts`, `better-sqlite3.driver.ts`). Repositories are written once against `AppDb`:
 *
 * - `await` the query builder (never the SQLite-only `.run()/.all()/.get()`); `.returning()` to
 *   learn what an UPDATE changed; `tablesOf(db)` for the table objects of this database;
 * - `transaction(db, async (tx) => …)` for atomic work: PostgreSQL runs drizzle's async
 *   transaction on one pooled connection; SQLite takes the connection's async lock and runs
 *   BEGIN IMMEDIATE … COMMIT, and every statement outside the transaction waits for that lock,
 *   so no other statement interleaves with it. No HTTP inside a transaction.
 */

/** Opens the database named by `DATABASE_URL` and applies pending migrations. */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<DbHandle> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    return openPostgres(url, options);
  }
  if (url.startsWith('pglite:')) {
    return openPglite(url, options);
  }
  return openSqlite(url, options);
}

/** True when `DATABASE_URL` selects PostgreSQL (a server or in-process PGlite). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url) || url.startsWith('pglite:');
}

/** The table objects of this database's dialect (and schema). */
export function tablesOf(db: AppDb): AppTables {
  const schema = (db as unknown as { _?: { fullSchema?: AppTables } })._?.fullSchema;
  if (!schema?.workflows) {
    throw new Error('database handle has no table schema');
  }
  return schema;
}

export function dialectOf(db: AppDb): Dialect {
  return is(db, PgDatabase) ? 'pg' : 'sqlite';
}

/**
 * `column` as an expression no index can serve, for the other conditions of a statement keyed by
 * ids (`id in (…)`, a parent id). Without ANALYZE statistics SQLite's planner prefers an index
 * whose leading columns those conditions match (status, next_run_at; kind) over the listed ids,
 * and reads every item of that status: releasing 10 children took 8.4 ms at 22,001 items and grew
 * with the workflow, which made a 5,000-customer run quadratic (issue 20). PostgreSQL plans by
 * statistics and still uses the primary key.
 */
export function notIndexed(column: AnyColumn): SQL {
  return sql`(${column} || '')`;
}

/** The first row of a result, or undefined. */
export function first<T>(rows: readonly T[]): T | undefined {
  return rows[0];
}

/**
 * Runs `work` atomically. Inside, use only `tx`. Nested calls join the outer transaction on
 * SQLite and become a savepoint on PostgreSQL.
 */
export async function transaction<T>(db: AppDb, work: (tx: AppDb) => Promise<T>): Promise<T> {
  if (is(db, PgDatabase)) {
    return (db as unknown as PgDatabase<never, Record<string, never>>).transaction((tx) =>
      work(tx as unknown as AppDb),
    );
  }
  return sqliteTransaction(db, () => work(db));
}

/** Runs raw SQL (dialect-specific statements only; prefer the query builder). */
export async function execute<T = Record<string, unknown>>(db: AppDb, query: SQL): Promise<T[]> {
  if (is(db, PgDatabase)) {
    const result = await (db as unknown as PgDatabase<never>).execute(query);
    return (result as unknown as { rows: T[] }).rows ?? (result as unknown as T[]);
  }
  return (db as unknown as BaseSQLiteDatabase<'async', unknown>).all<T>(query);
}

/** `sql` re-exported for dialect-specific statements next to `execute`. */
export { sql };
