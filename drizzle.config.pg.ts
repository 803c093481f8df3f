import { defineConfig } from 'drizzle-kit';

// PostgreSQL migrations, generated from the same table description as the SQLite ones
// (schema/tables.ts): `npx drizzle-kit generate --config drizzle.config.pg.ts --name <name>`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './schema/db.pg.ts',
  out: './schema/migrations-pg',
});
