import { type PgDatabase } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PGlite } from '@electric-sql/pglite';
import { defineTables, pgBuildersFor } from '../../schema/tables.js';
import { type AppDb, type DbHandle, type OpenOptions } from './db-handle.types.js';
import { runPgMigrations } from './migrate.js';
import { channelFor, readinessProbeSql } from './node-postgres.driver.js';

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
export async function openPglite(url: string, options: OpenOptions): Promise<DbHandle> {
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
      await client.query(readinessProbeSql(schema), ['readyz', Date.now()]);
    },
    async close() {
      await Promise.all([...unlisten].map((stop) => stop().catch(() => undefined)));
      // The in-process server stays up for the process's other handles.
    },
  };
}
