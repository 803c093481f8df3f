import { and, asc, count, eq, gt, inArray, not, notInArray, sql, type SQL } from 'drizzle-orm';
import { first, notIndexed, tablesOf } from '../../db/client.js';
import type { EngineDb } from './db.types.js';
import { type WorkflowItemRow } from './engine.types.js';
import { INSERT_CHUNK } from './row-values.js';

export async function listItems(db: EngineDb, workflowId: string): Promise<WorkflowItemRow[]> {
  const { workflowItems } = tablesOf(db);
  return db
    .select()
    .from(workflowItems)
    .where(eq(workflowItems.workflowId, workflowId))
    .orderBy(asc(workflowItems.position));
}

/**
 * Work items of a workflow counted in the database (the API's `progress`: reading a 55,000-item
 * workflow's rows for four numbers cost seconds and hundreds of MB): all of them, those done,
 * those an operator excluded (SKIPPED in `excludedState`) and those blocked.
 */
export async function countProgress(
  db: EngineDb,
  workflowId: string,
  options: { notWork: readonly string[]; completed: readonly string[]; excludedState: string },
): Promise<{ total: number; completed: number; excluded: number; blocked: number }> {
  const { workflowItems } = tablesOf(db);
  const work =
    options.notWork.length > 0 ? notInArray(workflowItems.kind, [...options.notWork]) : sql`1 = 1`;
  const excluded = and(
    eq(workflowItems.status, 'SKIPPED'),
    eq(workflowItems.state, options.excludedState),
  );
  const sum = (condition: SQL | undefined) =>
    sql<number>`sum(case when ${and(work, condition)} then 1 else 0 end)`;
  const [row] = await db
    .select({
      total: sum(sql`1 = 1`),
      completed: sum(
        and(inArray(workflowItems.status, [...options.completed]), not(excluded as SQL)),
      ),
      excluded: sum(excluded),
      blocked: sum(eq(workflowItems.status, 'BLOCKED')),
    })
    .from(workflowItems)
    .where(eq(workflowItems.workflowId, workflowId));
  // PostgreSQL returns sums as strings (bigint), SQLite as numbers; no rows: null.
  return {
    total: Number(row?.total ?? 0),
    completed: Number(row?.completed ?? 0),
    excluded: Number(row?.excluded ?? 0),
    blocked: Number(row?.blocked ?? 0),
  };
}

/** Items per engine status (what `workflowUpdated` compares between two events). */
export async function countItemsByStatus(
  db: EngineDb,
  workflowId: string,
): Promise<Record<string, number>> {
  const { workflowItems } = tablesOf(db);
  const rows = await db
    .select({ status: workflowItems.status, count: sql<number>`count(*)` })
    .from(workflowItems)
    .where(eq(workflowItems.workflowId, workflowId))
    .groupBy(workflowItems.status);
  // PostgreSQL returns counts as strings (bigint).
  return Object.fromEntries(
    rows
      .map((row) => [row.status, Number(row.count)] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

/**
 * Items of a workflow that name one of these customers, in planning order (a page's customer
 * snapshots without reading the whole workflow).
 */
export async function listItemsOfCustomers(
  db: EngineDb,
  workflowId: string,
  customerTenantIds: readonly string[],
): Promise<WorkflowItemRow[]> {
  if (customerTenantIds.length === 0) {
    return [];
  }
  const { workflowItems } = tablesOf(db);
  const rows: WorkflowItemRow[] = [];
  const ids = [...new Set(customerTenantIds)];
  for (let from = 0; from < ids.length; from += INSERT_CHUNK) {
    // By the customer index alone: with the workflow id as well, SQLite reads the whole workflow
    // through its index instead. A customer is named by few workflows.
    const found = await db
      .select()
      .from(workflowItems)
      .where(inArray(workflowItems.customerTenantId, ids.slice(from, from + INSERT_CHUNK)));
    rows.push(...found.filter((r) => r.workflowId === workflowId));
  }
  return rows.sort((a, b) => a.position - b.position);
}

/**
 * A keyset page of one kind of item in planning order (positions after `afterPosition`), with the
 * kind's total: a page of a 55,000-item workflow without reading the rest.
 */
export async function pageItemsOfKind(
  db: EngineDb,
  workflowId: string,
  kind: string,
  page: { afterPosition: number; limit: number; states?: readonly string[] | null },
): Promise<{ rows: WorkflowItemRow[]; totalCount: number }> {
  const { workflowItems } = tablesOf(db);
  const ofKind = and(
    eq(workflowItems.workflowId, workflowId),
    eq(workflowItems.kind, kind),
    page.states ? inArray(workflowItems.state, [...page.states]) : undefined,
  );
  const rows = await db
    .select()
    .from(workflowItems)
    .where(and(ofKind, gt(workflowItems.position, page.afterPosition)))
    .orderBy(asc(workflowItems.position))
    .limit(page.limit);
  const [total] = await db.select({ n: count() }).from(workflowItems).where(ofKind);
  return { rows, totalCount: Number(total?.n ?? 0) };
}

/** The children of these items (by the parent index), in planning order. */
export async function listChildren(
  db: EngineDb,
  parentItemIds: readonly string[],
): Promise<WorkflowItemRow[]> {
  const { workflowItems } = tablesOf(db);
  const rows: WorkflowItemRow[] = [];
  for (let from = 0; from < parentItemIds.length; from += INSERT_CHUNK) {
    rows.push(
      ...(await db
        .select()
        .from(workflowItems)
        .where(
          inArray(workflowItems.parentItemId, parentItemIds.slice(from, from + INSERT_CHUNK)),
        )),
    );
  }
  return rows.sort((a, b) => a.position - b.position);
}

export async function getItem(db: EngineDb, id: string): Promise<WorkflowItemRow | undefined> {
  const { workflowItems } = tablesOf(db);
  return first(await db.select().from(workflowItems).where(eq(workflowItems.id, id)).limit(1));
}

/** Makes waiting items runnable now (another item finished what they wait for). */
export async function wakeItems(
  db: EngineDb,
  itemIds: readonly string[],
  at: string,
): Promise<void> {
  if (itemIds.length === 0) {
    return;
  }
  await wake(db, itemIds, at);
}

/**
 * Wakes items: a WAITING one becomes runnable now; every open one counts the wake, so a step of
 * it running at this moment looks again instead of sleeping (see `applyItemUpdate`).
 */
async function wake(db: EngineDb, itemIds: readonly string[], at: string): Promise<void> {
  const { workflowItems } = tablesOf(db);
  await db
    .update(workflowItems)
    .set({
      nextRunAt: sql<string>`case when ${workflowItems.status} = 'WAITING' then ${at} else ${workflowItems.nextRunAt} end`,
      wakeCount: sql<number>`${workflowItems.wakeCount} + 1`,
    })
    .where(
      and(
        inArray(workflowItems.id, [...itemIds]),
        inArray(notIndexed(workflowItems.status), ['PENDING', 'RUNNING', 'WAITING']),
      ),
    );
}

/** Unfinished items of one kind in the organization's started, unfinished workflows of a kind. */
export async function openItemsOfKind(
  db: EngineDb,
  organizationId: string,
  workflowKind: string,
  itemKind: string,
): Promise<Array<{ workflowId: string; customerTenantId: string | null }>> {
  const { workflows, workflowItems } = tablesOf(db);
  return db
    .select({
      workflowId: workflowItems.workflowId,
      customerTenantId: workflowItems.customerTenantId,
    })
    .from(workflowItems)
    .innerJoin(workflows, eq(workflows.id, workflowItems.workflowId))
    .where(
      and(
        eq(workflows.organizationId, organizationId),
        eq(workflows.kind, workflowKind),
        inArray(workflows.status, ['RUNNING', 'WAITING']),
        eq(workflowItems.kind, itemKind),
        inArray(workflowItems.status, ['PENDING', 'RUNNING', 'WAITING', 'DONE']),
      ),
    );
}

/**
 * An item's children. By parent only (item ids are unique): with the workflow id as well, SQLite
 * picks the workflow's index and reads every item of the workflow (quadratic runs).
 */
export async function childItems(db: EngineDb, parentItemId: string): Promise<WorkflowItemRow[]> {
  const { workflowItems } = tablesOf(db);
  return db.select().from(workflowItems).where(eq(workflowItems.parentItemId, parentItemId));
}

/** A workflow's items of one kind. */
export async function itemsOfKind(
  db: EngineDb,
  workflowId: string,
  kind: string,
): Promise<WorkflowItemRow[]> {
  const { workflowItems } = tablesOf(db);
  return db
    .select()
    .from(workflowItems)
    .where(and(eq(workflowItems.workflowId, workflowId), eq(workflowItems.kind, kind)));
}

/** Items of one kind in one state, across workflows (invariant sweeps; (kind, state) index). */
export async function itemsInState(
  db: EngineDb,
  kind: string,
  state: string,
): Promise<WorkflowItemRow[]> {
  const { workflowItems } = tablesOf(db);
  return db
    .select()
    .from(workflowItems)
    .where(and(eq(workflowItems.kind, kind), eq(workflowItems.state, state)));
}
