import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle as drizzleBetterSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzleSqliteProxy } from 'drizzle-orm/sqlite-proxy';
import * as sqliteTables from '../../schema/db.js';
import { type AppDb, type DbHandle, type OpenOptions } from './db-handle.types.js';
import { migrationsFolder } from './migrate.js';
import { SqliteFileGuard } from './sqlite-file-guard.js';
import { StorageFaultError } from './storage-fault.js';

/**
 * The single SQLite connection's async lock: a transaction holds it from BEGIN to COMMIT across
 * its awaits; statements outside a transaction take it for their one statement. Statements of the
 * holding transaction are recognised through AsyncLocalStorage.
 */
class SqliteLock {
  private tail: Promise<void> = Promise.resolve();
  private readonly context = new AsyncLocalStorage<{ active: boolean }>();

  private async exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** Resolves once no transaction holds the connection. */
  async idle(): Promise<void> {
    await this.exclusive(() => undefined);
  }

  statement<T>(work: () => T): Promise<T> | T {
    return this.context.getStore()?.active ? work() : this.exclusive(work);
  }

  transaction<T>(connection: Database.Database, work: () => Promise<T>): Promise<T> {
    if (this.context.getStore()?.active) {
      return work();
    }
    return this.exclusive(() => {
      const token = { active: true };
      return this.context.run(token, async () => {
        connection.prepare('BEGIN IMMEDIATE').run();
        try {
          const result = await work();
          connection.prepare('COMMIT').run();
          return result;
        } catch (error) {
          if (connection.inTransaction) {
            connection.prepare('ROLLBACK').run();
          }
          throw error;
        } finally {
          token.active = false;
        }
      });
    });
  }
}

const sqliteLocks = new WeakMap<
  object,
  { lock: SqliteLock; connection: Database.Database; guard: SqliteFileGuard }
>();
// Handles of one process on the same file share a lock: better-sqlite3 waits for another
// connection's write lock synchronously, which would block the very thread that must finish the
// other transaction (two replicas in one test process, a runner restarted on the same file).
const fileLocks = new Map<string, SqliteLock>();

export function openSqlite(url: string, options: OpenOptions): DbHandle {
  const memory = url === ':memory:' || url === 'file::memory:' || url.startsWith('file::memory:?');
  const path = memory ? ':memory:' : url.replace(/^file:/, '');
  if (!memory) {
    mkdirSync(dirname(path), { recursive: true });
  }
  const connection = new Database(path);
  if (!memory) {
    connection.pragma('journal_mode = WAL');
  }
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  if (options.migrate !== false) {
    migrateSqlite(drizzleBetterSqlite(connection), {
      migrationsFolder: migrationsFolder('sqlite'),
    });
  }

  let lock = memory ? new SqliteLock() : fileLocks.get(resolvePath(path));
  if (!lock) {
    lock = new SqliteLock();
    fileLocks.set(resolvePath(path), lock);
  }
  const shared = lock;
  // Prepared statements by SQL text (bounded: IN lists of many lengths make many texts).
  const statements = new Map<string, Database.Statement>();
  const prepare = (text: string) => {
    let statement = statements.get(text);
    if (!statement) {
      if (statements.size >= 500) {
        statements.clear();
      }
      statement = connection.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
  const guard = new SqliteFileGuard(memory ? undefined : path);
  const db = drizzleSqliteProxy(
    async (text, params, method) =>
      shared.statement(() => {
        const statement = prepare(text);
        const write = method === 'run' || !statement.reader;
        return guard.run(write, connection.inTransaction, () => {
          if (write) {
            statement.run(...params);
            return { rows: [] };
          }
          if (method === 'get') {
            return { rows: statement.raw(true).get(...params) as unknown[] };
          }
          return { rows: statement.raw(true).all(...params) };
        });
      }),
    { schema: sqliteTables },
  );
  sqliteLocks.set(db, { lock: shared, connection, guard });
  return {
    db: db as unknown as AppDb,
    dialect: 'sqlite',
    async ping() {
      await shared.statement(() => {
        guard.assertSameFile();
        try {
          connection
            .prepare(
              'insert into readiness_probes (id, checked_at_ms) values (?, ?) on conflict (id) do update set checked_at_ms = excluded.checked_at_ms',
            )
            .run('readyz', Date.now());
        } catch (error) {
          guard.noteFault(error);
          throw error;
        }
      });
      const fault = guard.recentFault();
      if (fault) {
        throw new StorageFaultError(
          `A write failed ${fault.secondsAgo} s ago (${fault.message}); ready again once a write succeeds.`,
        );
      }
    },
    async close() {
      if (connection.open) {
        // Let a transaction in progress finish first.
        await shared.idle();
        connection.close();
      }
    },
  };
}

/**
 * Runs `work` in a transaction of a SQLite handle: BEGIN IMMEDIATE … COMMIT under the
 * connection's async lock (see {@link SqliteLock}).
 */
export function sqliteTransaction<T>(db: AppDb, work: () => Promise<T>): Promise<T> {
  const lock = sqliteLocks.get(db);
  if (!lock) {
    throw new Error('not a database opened by openDatabase()');
  }
  const { guard } = lock;
  guard.assertSameFile();
  return lock.lock.transaction(lock.connection, work).then(
    (result) => {
      guard.noteWrite();
      return result;
    },
    (error: unknown) => {
      guard.noteFault(error);
      throw error;
    },
  );
}
