import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import Database from 'better-sqlite3';
import { is, sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzleBetterSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { PgDatabase } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { type BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { drizzle as drizzleSqliteProxy } from 'drizzle-orm/sqlite-proxy';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import * as sqliteTables from '../../schema/db.js';
import { type AppTables, defineTables, pgBuildersFor } from '../../schema/tables.js';
import { migrationsFolder, runPgMigrations } from './migrate.js';

/*
 * One database layer for two dialects (issue 10). `DATABASE_URL=postgres://…` opens PostgreSQL
 * (node-postgres with a pool), `pglite:` an in-process PostgreSQL (tests, experiments), anything
 * else the embedded SQLite file. Repositories are written once against `AppDb`:
 *
 * - `await` the query builder (never the SQLite-only `.run()/.all()/.get()`); `.returning()` to
 *   learn what an UPDATE changed; `tablesOf(db)` for the table objects of this database;
 * - `transaction(db, async (tx) => …)` for atomic work: PostgreSQL runs drizzle's async
 *   transaction on one pooled connection; SQLite takes the connection's async lock and runs
 *   BEGIN IMMEDIATE … COMMIT, and every statement outside the transaction waits for that lock,
 *   so no other statement interleaves with it. No HTTP inside a transaction.
 */

/** The SQLite schema module's tables (the types repositories are written against). */
type Schema = typeof sqliteTables;

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
  /** Cheap liveness probe for `/readyz`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

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
  const lock = sqliteLocks.get(db);
  if (!lock) {
    throw new Error('not a database opened by openDatabase()');
  }
  return lock.lock.transaction(lock.connection, () => work(db));
}

/** Runs raw SQL (dialect-specific statements only; prefer the query builder). */
export async function execute<T = Record<string, unknown>>(db: AppDb, query: SQL): Promise<T[]> {
  if (is(db, PgDatabase)) {
    const result = await (db as unknown as PgDatabase<never>).execute(query);
    return (result as unknown as { rows: T[] }).rows ?? (result as unknown as T[]);
  }
  return (db as unknown as BaseSQLiteDatabase<'async', unknown>).all<T>(query);
}

// ---------------------------------------------------------------- SQLite

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

const sqliteLocks = new WeakMap<object, { lock: SqliteLock; connection: Database.Database }>();
// Handles of one process on the same file share a lock: better-sqlite3 waits for another
// connection's write lock synchronously, which would block the very thread that must finish the
// other transaction (two replicas in one test process, a runner restarted on the same file).
const fileLocks = new Map<string, SqliteLock>();

function openSqlite(url: string, options: OpenOptions): DbHandle {
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
  const db = drizzleSqliteProxy(
    async (text, params, method) =>
      shared.statement(() => {
        const statement = prepare(text);
        if (method === 'run' || !statement.reader) {
          statement.run(...params);
          return { rows: [] };
        }
        if (method === 'get') {
          return { rows: statement.raw(true).get(...params) as unknown[] };
        }
        return { rows: statement.raw(true).all(...params) };
      }),
    { schema: sqliteTables },
  );
  sqliteLocks.set(db, { lock: shared, connection });
  return {
    db: db as unknown as AppDb,
    dialect: 'sqlite',
    async ping() {
      await shared.statement(() => connection.prepare('select 1').get());
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

// ---------------------------------------------------------------- PostgreSQL

/** Splits `?schema=` off a PostgreSQL URL (node-postgres would pass unknown params on). */
function schemaFromUrl(url: string): { url: string; schema: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  parsed.searchParams.delete('schema');
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name: ${schema}`);
  }
  return { url: parsed.toString(), schema };
}

const channelFor = (schema: string) => (name: string) =>
  schema === 'public' ? name : `${name}__${schema}`.slice(0, 63);

// bigint (int8) as a JavaScript number: every bigint column holds milliseconds or ids far below
// 2^53, and raw queries then see the same types as the query builder.
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

async function openPostgres(rawUrl: string, options: OpenOptions): Promise<DbHandle> {
  const { url, schema } = schemaFromUrl(rawUrl);
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types: pgTypes });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const tables = defineTables(pgBuildersFor(schema));
  const db = drizzleNodePg(pool, { schema: tables });
  if (options.migrate !== false) {
    await runPgMigrations(db as unknown as PgDatabase<never>, schema);
  }
  const channel = channelFor(schema);
  const listeners = new Set<pg.Client>();
  const notifications: Notifications = {
    channel,
    async notify(name, payload) {
      await pool.query('select pg_notify($1, $2)', [name, payload]);
    },
    async listen(name, onMessage) {
      let client: pg.Client | undefined;
      let stopped = false;
      let retryMs = 250;
      const connect = async (): Promise<void> => {
        if (stopped) {
          return;
        }
        const next = new pg.Client({ connectionString: url, types: pgTypes });
        next.on('notification', (message) => {
          if (message.channel === name && message.payload !== undefined) {
            onMessage(message.payload);
          }
        });
        next.on('error', () => {
          // Reconnect with capped backoff; notifications sent meanwhile are lost, which only
          // delays a live update (subscribers refetch the workflow on the next one).
          listeners.delete(next);
          void next.end().catch(() => undefined);
          if (!stopped) {
            setTimeout(() => void connect().catch(() => undefined), retryMs).unref();
            retryMs = Math.min(retryMs * 2, 10_000);
          }
        });
        try {
          await next.connect();
          await next.query(`LISTEN "${name}"`);
          retryMs = 250;
          client = next;
          listeners.add(next);
        } catch (error) {
          next.emit('error', error);
        }
      };
      await connect();
      return async () => {
        stopped = true;
        if (client) {
          listeners.delete(client);
          await client.end().catch(() => undefined);
        }
      };
    },
  };
  return {
    db: db as unknown as AppDb,
    dialect: 'pg',
    schema,
    notifications,
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      await Promise.all([...listeners].map((c) => c.end().catch(() => undefined)));
      await pool.end();
    },
  };
}

// PGlite instances by location, shared by every handle of the process that names it (tests open
// many applications on one in-process server, each in its own schema).
const pglites = new Map<string, Promise<PGlite>>();

async function pgliteFor(location: string): Promise<PGlite> {
  let instance = pglites.get(location);
  if (!instance) {
    instance = import('@electric-sql/pglite').then(async ({ PGlite }) => {
      const created = new PGlite(location === 'memory' ? undefined : location, {
        parsers: { 20: (value: string) => Number(value) },
      });
      await created.waitReady;
      return created;
    });
    pglites.set(location, instance);
  }
  return instance;
}

/** `pglite:` (in memory, shared by the process) or `pglite:<dir>`, optionally `?schema=`. */
async function openPglite(url: string, options: OpenOptions): Promise<DbHandle> {
  const [rest = '', query = ''] = url.slice('pglite:'.length).split('?');
  const location = rest.replace(/^\/\//, '') || 'memory';
  const schema = new URLSearchParams(query).get('schema') ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name: ${schema}`);
  }
  const client = await pgliteFor(location);
  const tables = defineTables(pgBuildersFor(schema));
  const db = drizzlePglite(client, { schema: tables });
  if (options.migrate !== false) {
    await runPgMigrations(db as unknown as PgDatabase<never>, schema);
  }
  const unlisten = new Set<() => Promise<void>>();
  return {
    db: db as unknown as AppDb,
    dialect: 'pg',
    schema,
    notifications: {
      channel: channelFor(schema),
      async notify(name, payload) {
        await client.query('select pg_notify($1, $2)', [name, payload]);
      },
      async listen(name, onMessage) {
        const stop = await client.listen(name, onMessage);
        unlisten.add(stop);
        return async () => {
          unlisten.delete(stop);
          await stop();
        };
      },
    },
    async ping() {
      await client.query('select 1');
    },
    async close() {
      await Promise.all([...unlisten].map((stop) => stop().catch(() => undefined)));
      // The in-process server stays up for the process's other handles.
    },
  };
}

/** `sql` re-exported for dialect-specific statements next to `execute`. */
export { sql };
