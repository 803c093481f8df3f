import { type BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as sqliteTables from '../../schema/db.js';

/** The SQLite schema module's tables (the types repositories are written against). */
export type Schema = typeof sqliteTables;

/**
 * The handle repositories take. Typed with SQLite's async query builder, which has the same shape
 * as PostgreSQL's for the calls repositories may make; at run time it is the drizzle database of
 * the configured dialect, whose tables come from `tablesOf(db)`.
 */
export type AppDb = Pick<
  BaseSQLiteDatabase<'async', unknown, Schema>,
  'select' | 'selectDistinct' | 'insert' | 'update' | 'delete' | '$count'
>;
/** Older name of {@link AppDb}. */
export type Db = AppDb;

export type Dialect = 'sqlite' | 'pg';

/** PostgreSQL LISTEN/NOTIFY on this database (absent on SQLite). */
export interface Notifications {
  /** Channel names are scoped to the database's schema, so tests sharing a server stay apart. */
  channel(name: string): string;
  notify(channel: string, payload: string): Promise<void>;
  /** Listens on a dedicated connection that reconnects after errors; returns a stop function. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
}

export interface DbHandle {
  db: AppDb;
  dialect: Dialect;
  /** PostgreSQL schema the tables live in (`public` unless the URL says `?schema=`). */
  schema?: string;
  notifications?: Notifications;
  /**
   * Readiness probe for `/readyz`: a committed write (`readiness_probes`) and, on SQLite, the file at
   * the configured path still being the one opened and no recent failed write. Throws the fault.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}
