import Database from 'better-sqlite3';
import { and, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import * as tables from '../../../schema/db.js';
import { notIndexed } from '../../../server/db/client.js';
import { migrationsFolder } from '../../../server/db/migrate.js';

// Issue 20: statements keyed by ids (release a customer's held children, wake items) also filter
// on status/kind; without ANALYZE statistics SQLite served them from the (status, next_run_at) or
// (kind, state) index, reading every item of that status (8 ms per release at 22,001 items, a
// quadratic 5,000-customer run). notIndexed() keeps those conditions off the index.

const connection = new Database(':memory:');
const db = drizzle(connection, { schema: tables });
migrate(db, { migrationsFolder: migrationsFolder('sqlite') });
afterAll(() => connection.close());

function plan(query: { toSQL(): { sql: string; params: unknown[] } }): string {
  const { sql, params } = query.toSQL();
  return connection
    .prepare(`explain query plan ${sql}`)
    .all(...params.map((p) => (typeof p === 'boolean' ? Number(p) : p)))
    .map((r) => (r as { detail: string }).detail)
    .join('; ');
}

const items = tables.workflowItems;
const ids = ['a', 'b', 'c', 'd'];

describe('SQLite query plans of id-keyed engine statements', () => {
  it('a status condition picks the status index; through notIndexed the primary key', () => {
    const release = (status: SQL) =>
      db
        .update(items)
        .set({ nextRunAt: '2026-01-01T00:00:00.000Z' })
        .where(and(inArray(items.id, ids), status, isNull(items.nextRunAt)));
    expect(plan(release(eq(items.status, 'PENDING')))).toContain('workflow_items_runnable_idx');
    const fixed = plan(release(eq(notIndexed(items.status), 'PENDING')));
    expect(fixed).not.toContain('workflow_items_runnable_idx');
    expect(fixed).toMatch(/sqlite_autoindex_workflow_items_1 \(id=\?\)/);
  });

  it('the consolidated-source guard reads by customer, not every customer item', () => {
    const guard = (kind: SQL) =>
      db
        .select({ workflowId: items.workflowId })
        .from(items)
        .innerJoin(tables.workflows, eq(tables.workflows.id, items.workflowId))
        .where(
          and(
            eq(tables.workflows.organizationId, 'org'),
            kind,
            eq(items.partnerTenantId, 'p'),
            eq(items.customerTenantId, 'c'),
          ),
        );
    expect(plan(guard(eq(items.kind, 'CUSTOMER')))).toContain('workflow_items_kind_state_idx');
    expect(plan(guard(eq(notIndexed(items.kind), 'CUSTOMER')))).toContain(
      'workflow_items_customer_idx',
    );
  });
});
