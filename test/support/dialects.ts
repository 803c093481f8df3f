import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Dialect } from '../../server/db/client.js';

/*
 * The database dialects the repository, engine and end-to-end suites run on (issue 10).
 * PostgreSQL is the real server named by TEST_POSTGRES_URL when set (CI sets it when
 * `pg_isready -h 127.0.0.1` succeeds), else an in-process PGlite, so `npm test` covers both
 * dialects on a machine without a PostgreSQL server. TEST_DIALECTS=sqlite (or pg) narrows it.
 */

export const dialects: Dialect[] = (process.env.TEST_DIALECTS ?? 'sqlite,pg')
  .split(',')
  .map((d) => d.trim())
  .filter((d): d is Dialect => d === 'sqlite' || d === 'pg');

/** The PostgreSQL server of this run, or undefined (PGlite). */
export const postgresServerUrl: string | undefined = process.env.TEST_POSTGRES_URL || undefined;

export interface TestDatabase {
  dialect: Dialect;
  /** A DATABASE_URL for `openDatabase` / the application. */
  url: string;
  /** Removes the database (schema or file); safe to call twice. */
  drop(): Promise<void>;
}

/**
 * A fresh, empty database of the dialect: SQLite `file::memory:` (or a file when `file` is set,
 * so a second application can open the same one), PostgreSQL a new schema on the test server or
 * in the process's PGlite.
 */
export async function createTestDatabase(
  dialect: Dialect,
  options: { file?: boolean } = {},
): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    if (!options.file) {
      return { dialect, url: 'file::memory:', drop: async () => undefined };
    }
    const dir = mkdtempSync(join(tmpdir(), 'csp-db-'));
    return {
      dialect,
      url: join(dir, 'app.db'),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  if (!postgresServerUrl) {
    // The in-process server lives as long as the test process; schemas are left to it.
    return { dialect, url: `pglite:?schema=${schema}`, drop: async () => undefined };
  }
  const url = new URL(postgresServerUrl);
  url.searchParams.set('schema', schema);
  let dropped = false;
  return {
    dialect,
    url: url.toString(),
    drop: async () => {
      if (dropped) {
        return;
      }
      dropped = true;
      const client = new pg.Client({ connectionString: postgresServerUrl });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
