import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as tables from '../../schema/db.js';

/** The database handle repositories take. */
export type Db = BetterSQLite3Database<typeof tables>;

export interface DbHandle {
  db: Db;
  /** Cheap liveness probe for `/readyz`. */
  ping(): Promise<void>;
  close(): void;
}

/**
 * Opens the SQLite database named by `DATABASE_URL`: a path, `file:<path>`, or `file::memory:` /
 * `:memory:`. WAL mode and foreign keys are switched on.
 */
export function createDb(url: string): DbHandle {
  const memory = url === ':memory:' || url === 'file::memory:' || url.startsWith('file::memory:?');
  const path = memory ? ':memory:' : url.replace(/^file:/, '');
  if (!memory) {
    mkdirSync(dirname(path), { recursive: true });
  }
  const sqlite = new Database(path);
  if (!memory) {
    sqlite.pragma('journal_mode = WAL');
  }
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema: tables });
  return {
    db,
    async ping() {
      sqlite.prepare('select 1').get();
    },
    close() {
      if (sqlite.open) {
        sqlite.close();
      }
    },
  };
}
