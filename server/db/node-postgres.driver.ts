import { type PgDatabase } from 'drizzle-orm/pg-core';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { defineTables, pgBuildersFor } from '../../schema/tables.js';
import {
  type AppDb,
  type DbHandle,
  type Notifications,
  type OpenOptions,
} from './db-handle.types.js';
import { runPgMigrations } from './migrate.js';

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

/** `/readyz`'s committed write (a standby, a read-only database or a full disk refuse it). */
export const readinessProbeSql = (schema: string): string =>
  `insert into "${schema}".readiness_probes (id, checked_at_ms) values ($1, $2) on conflict (id) do update set checked_at_ms = excluded.checked_at_ms`;

/** Notification channels of one schema (names within PostgreSQL's 63 bytes). */
export const channelFor = (schema: string) => (name: string) =>
  schema === 'public' ? name : `${name}__${schema}`.slice(0, 63);

// bigint (int8) as a JavaScript number: every bigint column holds milliseconds or ids far below
// 2^53, and raw queries then see the same types as the query builder.
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export async function openPostgres(rawUrl: string, options: OpenOptions): Promise<DbHandle> {
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
      await pool.query(readinessProbeSql(schema), ['readyz', Date.now()]);
    },
    async close() {
      await Promise.all([...listeners].map((c) => c.end().catch(() => undefined)));
      await pool.end();
    },
  };
}
