import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { type PgDatabase } from 'drizzle-orm/pg-core';

/** Finds `schema/migrations` (SQLite) or `schema/migrations-pg` from the source tree or `dist/`. */
export function migrationsFolder(dialect: 'sqlite' | 'pg' = 'sqlite'): string {
  const name = dialect === 'pg' ? 'migrations-pg' : 'migrations';
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'schema', name);
    if (existsSync(join(candidate, 'meta', '_journal.json'))) {
      return candidate;
    }
    dir = dirname(dir);
  }
  throw new Error(`schema/${name} not found`);
}

/**
 * Applies the PostgreSQL migrations (drizzle-kit output of drizzle.config.pg.ts) that have not run
 * in `schema` yet, in one transaction under an advisory lock, so replicas starting together apply
 * them once. Applied migrations are recorded in `<schema>.__migrations`. The generated SQL names
 * `"public"` in foreign keys; for another schema that is rewritten (tests share one server).
 */
export async function runPgMigrations(db: PgDatabase<never>, schema: string): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder: migrationsFolder('pg') });
  const s = sql.identifier(schema);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`csp-migrations:${schema}`}))`);
    await tx.execute(sql`create schema if not exists ${s}`);
    await tx.execute(
      sql`create table if not exists ${s}."__migrations" (hash text primary key, created_at bigint not null)`,
    );
    const applied = await tx.execute(sql`select hash from ${s}."__migrations"`);
    const done = new Set(
      ((applied as unknown as { rows: Array<{ hash: string }> }).rows ?? []).map((r) => r.hash),
    );
    await tx.execute(sql.raw(`set local search_path to "${schema}"`));
    for (const migration of migrations) {
      if (done.has(migration.hash)) {
        continue;
      }
      for (const statement of migration.sql) {
        const text =
          schema === 'public' ? statement : statement.replaceAll('"public".', `"${schema}".`);
        if (text.trim()) {
          await tx.execute(sql.raw(text));
        }
      }
      await tx.execute(
        sql`insert into ${s}."__migrations" (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`,
      );
    }
  });
}
