import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gt,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  min,
  notInArray,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type {
  workflowBlockers,
  workflowEvents,
  workflowSteps,
} from '../../../schema/workflow-tables.js';
import { dialectOf, first, tablesOf, transaction } from '../../db/client.js';
import type { EngineDb } from './db.types.js';
import {
  type ItemStatus,
  type NewBlocker,
  type NewEvent,
  type NewItem,
  type WorkflowHead,
  type WorkflowItemRow,
  type WorkflowRow,
  type WorkflowStatus,
} from './engine.types.js';

export type WorkflowEventRow = typeof workflowEvents.$inferSelect;
export type WorkflowBlockerRow = typeof workflowBlockers.$inferSelect;
export type WorkflowStepRow = typeof workflowSteps.$inferSelect;

const json = (value: unknown) => JSON.stringify(value ?? {});

/** Rows per multi-row INSERT (×≤ 23 columns stays under both dialects' parameter limits), ids per IN list. */
const INSERT_CHUNK = 500;

export interface CreateWorkflowInput {
  workflow: Omit<WorkflowRow, 'version' | 'startedAt' | 'completedAt' | 'irreversibleAt'>;
  items: NewItem[];
  blockers: NewBlocker[];
  events: NewEvent[];
}

/** Creates a workflow with its items, blockers and first events in one transaction. */
export async function createWorkflow(db: EngineDb, input: CreateWorkflowInput): Promise<void> {
  const { workflow, items, blockers, events } = input;
  const at = workflow.createdAt;
  const { workflows, workflowItems, workflowBlockers, workflowEvents } = tablesOf(db);
  await transaction(db, async (tx) => {
    await tx.insert(workflows).values(workflow);
    // In chunks: one multi-row INSERT of a 5,000-customer plan's 55,000 items exceeds SQLite's
    // 32,766 bound parameters (and PostgreSQL's 65,535).
    for (let from = 0; from < items.length; from += INSERT_CHUNK) {
      await tx.insert(workflowItems).values(
        items.slice(from, from + INSERT_CHUNK).map((item, i) => ({
          id: item.id,
          workflowId: workflow.id,
          position: from + i,
          parentItemId: item.parentItemId ?? null,
          kind: item.kind,
          status: item.status ?? 'PENDING',
          state: item.state,
          step: item.step,
          customerTenantId: item.customerTenantId ?? null,
          partnerTenantId: item.partnerTenantId ?? null,
          subject: item.subject ?? null,
          dataJson: json(item.data),
          nextRunAt: item.nextRunAt,
          updatedAt: at,
        })),
      );
    }
    for (let from = 0; from < blockers.length; from += INSERT_CHUNK) {
      await tx
        .insert(workflowBlockers)
        .values(
          blockers
            .slice(from, from + INSERT_CHUNK)
            .map((b) => ({ ...blockerValues(b), workflowId: workflow.id, createdAt: at })),
        );
    }
    for (let from = 0; from < events.length; from += INSERT_CHUNK) {
      await tx
        .insert(workflowEvents)
        .values(
          events
            .slice(from, from + INSERT_CHUNK)
            .map((e) => ({ ...eventValues(e), workflowId: workflow.id, at })),
        );
    }
  });
}

function blockerValues(blocker: NewBlocker) {
  return {
    code: blocker.code,
    message: blocker.message,
    itemId: blocker.itemId ?? null,
    customerTenantId: blocker.customerTenantId ?? null,
    partnerTenantId: blocker.partnerTenantId ?? null,
    subject: blocker.subject ?? null,
  };
}

function eventValues(event: NewEvent) {
  return {
    type: event.type,
    message: event.message,
    itemId: event.itemId ?? null,
    customerTenantId: event.customerTenantId ?? null,
    partnerTenantId: event.partnerTenantId ?? null,
    subscriptionId: event.subscriptionId ?? null,
    dataJson: event.data ? JSON.stringify(event.data) : null,
  };
}

export async function getWorkflow(db: EngineDb, id: string): Promise<WorkflowRow | undefined> {
  const { workflows } = tablesOf(db);
  return first(await db.select().from(workflows).where(eq(workflows.id, id)).limit(1));
}

/** {@link WorkflowHead}s by id (the runner's read per claim). */
export async function getWorkflowHeadsByIds(
  db: EngineDb,
  ids: readonly string[],
): Promise<WorkflowHead[]> {
  if (ids.length === 0) {
    return [];
  }
  const { workflows } = tablesOf(db);
  const { inputJson: _input, ...head } = getTableColumns(workflows);
  return db
    .select(head)
    .from(workflows)
    .where(inArray(workflows.id, [...ids]));
}

export async function getWorkflowsByIds(
  db: EngineDb,
  ids: readonly string[],
): Promise<WorkflowRow[]> {
  if (ids.length === 0) {
    return [];
  }
  const { workflows } = tablesOf(db);
  return db
    .select()
    .from(workflows)
    .where(inArray(workflows.id, [...ids]));
}

export async function findWorkflowByIdempotencyKey(
  db: EngineDb,
  organizationId: string,
  key: string,
): Promise<WorkflowRow | undefined> {
  const { workflows } = tablesOf(db);
  return first(
    await db
      .select()
      .from(workflows)
      .where(and(eq(workflows.organizationId, organizationId), eq(workflows.idempotencyKey, key)))
      .limit(1),
  );
}

export interface WorkflowListFilter {
  organizationId: string;
  kind?: string | null;
  status?: string | null;
}

/** Keyset page over (createdAt desc, id desc); `after` is the last row's [createdAt, id]. */
export async function listWorkflows(
  db: EngineDb,
  filter: WorkflowListFilter,
  page: { limit: number; after?: [string, string] | null },
): Promise<{ rows: WorkflowRow[]; totalCount: number }> {
  // The organization's own workflows and those shared with it read-only (incoming transfers).
  const { workflows, workflowViewers } = tablesOf(db);
  const base = [
    or(
      eq(workflows.organizationId, filter.organizationId),
      inArray(
        workflows.id,
        db
          .select({ id: workflowViewers.workflowId })
          .from(workflowViewers)
          .where(eq(workflowViewers.organizationId, filter.organizationId)),
      ),
    ),
  ];
  if (filter.kind) {
    base.push(eq(workflows.kind, filter.kind));
  }
  if (filter.status) {
    base.push(eq(workflows.status, filter.status));
  }
  const where = and(...base);
  const keyset = page.after
    ? or(
        lt(workflows.createdAt, page.after[0]),
        and(eq(workflows.createdAt, page.after[0]), lt(workflows.id, page.after[1])),
      )
    : undefined;
  const rows = await db
    .select()
    .from(workflows)
    .where(keyset ? and(where, keyset) : where)
    .orderBy(desc(workflows.createdAt), desc(workflows.id))
    .limit(page.limit);
  const total = first(await db.select({ n: count() }).from(workflows).where(where));
  return { rows, totalCount: total?.n ?? 0 };
}

export async function listItems(db: EngineDb, workflowId: string): Promise<WorkflowItemRow[]> {
  const { workflowItems } = tablesOf(db);
  return db
    .select()
    .from(workflowItems)
    .where(eq(workflowItems.workflowId, workflowId))
    .orderBy(asc(workflowItems.position));
}

/**
 * Work items and finished work items of a workflow, counted in the database (the API's
 * `progress`: reading a 55,000-item workflow's rows for two numbers cost seconds and hundreds of MB).
 */
export async function countProgress(
  db: EngineDb,
  workflowId: string,
  options: { notWork: readonly string[]; finished: readonly string[] },
): Promise<{ total: number; completed: number }> {
  const { workflowItems } = tablesOf(db);
  const work =
    options.notWork.length > 0 ? notInArray(workflowItems.kind, [...options.notWork]) : sql`1 = 1`;
  const [row] = await db
    .select({
      total: sql<number>`sum(case when ${work} then 1 else 0 end)`,
      completed: sql<number>`sum(case when ${and(work, inArray(workflowItems.status, [...options.finished]))} then 1 else 0 end)`,
    })
    .from(workflowItems)
    .where(eq(workflowItems.workflowId, workflowId));
  // PostgreSQL returns sums as strings (bigint), SQLite as numbers; no rows: null.
  return { total: Number(row?.total ?? 0), completed: Number(row?.completed ?? 0) };
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
  page: { afterPosition: number; limit: number },
): Promise<{ rows: WorkflowItemRow[]; totalCount: number }> {
  const { workflowItems } = tablesOf(db);
  const ofKind = and(eq(workflowItems.workflowId, workflowId), eq(workflowItems.kind, kind));
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

export async function listEvents(
  db: EngineDb,
  workflowId: string,
  page: { limit: number; afterId?: number | null },
): Promise<{ rows: WorkflowEventRow[]; totalCount: number }> {
  const { workflowEvents } = tablesOf(db);
  const where = eq(workflowEvents.workflowId, workflowId);
  const rows = await db
    .select()
    .from(workflowEvents)
    .where(page.afterId ? and(where, gt(workflowEvents.id, page.afterId)) : where)
    .orderBy(asc(workflowEvents.id))
    .limit(page.limit);
  const total = first(await db.select({ n: count() }).from(workflowEvents).where(where));
  return { rows, totalCount: total?.n ?? 0 };
}

export async function listBlockers(
  db: EngineDb,
  workflowId: string,
): Promise<WorkflowBlockerRow[]> {
  const { workflowBlockers } = tablesOf(db);
  return db
    .select()
    .from(workflowBlockers)
    .where(and(eq(workflowBlockers.workflowId, workflowId), isNull(workflowBlockers.resolvedAt)))
    .orderBy(asc(workflowBlockers.id));
}

export async function addEvents(
  db: EngineDb,
  workflowId: string,
  at: string,
  events: NewEvent[],
): Promise<void> {
  if (events.length === 0) {
    return;
  }
  const { workflows, workflowEvents } = tablesOf(db);
  await transaction(db, async (tx) => {
    await tx
      .insert(workflowEvents)
      .values(events.map((event) => ({ ...eventValues(event), workflowId, at })));
    await tx.update(workflows).set({ updatedAt: at }).where(eq(workflows.id, workflowId));
  });
}

export async function addBlocker(
  db: EngineDb,
  workflowId: string,
  at: string,
  blocker: NewBlocker,
): Promise<void> {
  const { workflowBlockers } = tablesOf(db);
  await db
    .insert(workflowBlockers)
    .values({ ...blockerValues(blocker), workflowId, createdAt: at });
}

/** Marks the workflow RUNNING and schedules its runnable items (startWorkflow). */
export async function startWorkflowRow(
  db: EngineDb,
  workflowId: string,
  at: string,
  expectedVersion: number,
): Promise<boolean> {
  const { workflows, workflowEvents } = tablesOf(db);
  return transaction(db, async (tx) => {
    const changed = await tx
      .update(workflows)
      .set({ status: 'RUNNING', startedAt: at, updatedAt: at, version: expectedVersion + 1 })
      .where(
        and(
          eq(workflows.id, workflowId),
          eq(workflows.status, 'DRAFT'),
          eq(workflows.version, expectedVersion),
        ),
      )
      .returning({ id: workflows.id });
    if (changed.length !== 1) {
      return false;
    }
    await tx
      .insert(workflowEvents)
      .values({ workflowId, at, type: 'WORKFLOW_STARTED', message: 'Workflow started.' });
    return true;
  });
}

export async function cancelWorkflowRow(
  db: EngineDb,
  workflowId: string,
  at: string,
  message: string,
): Promise<boolean> {
  const { workflows, workflowItems, workflowEvents } = tablesOf(db);
  return transaction(db, async (tx) => {
    const changed = await tx
      .update(workflows)
      .set({ status: 'CANCELED', updatedAt: at, completedAt: at })
      .where(
        and(
          eq(workflows.id, workflowId),
          inArray(workflows.status, ['DRAFT', 'RUNNING', 'WAITING']),
          isNull(workflows.irreversibleAt),
        ),
      )
      .returning({ id: workflows.id });
    if (changed.length !== 1) {
      return false;
    }
    await tx
      .update(workflowItems)
      .set({ status: 'CANCELED', updatedAt: at, leaseOwner: null, leaseExpiresAtMs: null })
      .where(
        and(
          eq(workflowItems.workflowId, workflowId),
          inArray(workflowItems.status, ['PENDING', 'RUNNING', 'WAITING']),
        ),
      );
    await tx.insert(workflowEvents).values({ workflowId, at, type: 'WORKFLOW_CANCELED', message });
    return true;
  });
}

/**
 * Marks the workflow irreversible (R-CON-8). Conditional on it still being RUNNING/WAITING, so a
 * cancel that won the race makes the caller stop before its irreversible call.
 */
export async function markIrreversible(
  db: EngineDb,
  workflowId: string,
  at: string,
): Promise<boolean> {
  const { workflows } = tablesOf(db);
  const changed = await db
    .update(workflows)
    .set({ irreversibleAt: sql`coalesce(${workflows.irreversibleAt}, ${at})` })
    .where(and(eq(workflows.id, workflowId), inArray(workflows.status, ['RUNNING', 'WAITING'])))
    .returning({ id: workflows.id });
  return changed.length === 1;
}

export async function updateWorkflowData(
  db: EngineDb,
  workflowId: string,
  at: string,
  data: Record<string, unknown>,
): Promise<void> {
  const { workflows } = tablesOf(db);
  await db
    .update(workflows)
    .set({ dataJson: JSON.stringify(data), updatedAt: at })
    .where(eq(workflows.id, workflowId));
}

/** Item statuses the runner claims (each due on the business clock). */
const CLAIMABLE_STATUSES = ['PENDING', 'RUNNING', 'WAITING'] as const;

/**
 * Claims up to `limit` runnable items with a lease. Runnable: an active status, due on the
 * business clock, past any transport backoff, and not leased by a live owner. Any number of
 * runners (processes, replicas) may claim at once and never take the same item: on PostgreSQL
 * the candidates are locked with `FOR UPDATE SKIP LOCKED` (a replica skips rows another one is
 * claiming instead of queueing behind it); on both dialects the lease is set by a conditional
 * UPDATE that only succeeds while the item is unleased or its lease ran out. A replica killed
 * mid-step stops renewing; once its lease expires another runner resumes the item through the
 * journal (look before create), so no Partner Center effect happens twice.
 *
 * Cost: one ordered range read of the runnable index (status, next_run_at, position) per status,
 * stopping after `limit` rows, so a claim costs the same whether 10 or 50,000 items are due
 * (one query over the three statuses would sort every due item before its LIMIT).
 */
export async function claimRunnableItems(
  db: EngineDb,
  options: {
    now: string;
    nowMs: number;
    owner: string;
    leaseMs: number;
    limit: number;
    exclude: readonly string[];
  },
): Promise<WorkflowItemRow[]> {
  const { now, nowMs, owner, leaseMs, limit } = options;
  if (limit <= 0) {
    return [];
  }
  const exclude = new Set(options.exclude);
  const { workflows, workflowItems } = tablesOf(db);
  const unleased = or(
    isNull(workflowItems.leaseExpiresAtMs),
    lt(workflowItems.leaseExpiresAtMs, nowMs),
  );
  return transaction(db, async (tx) => {
    const candidates: Array<{ id: string; nextRunAt: string | null; position: number }> = [];
    for (const status of CLAIMABLE_STATUSES) {
      const query = tx
        .select({
          id: workflowItems.id,
          nextRunAt: workflowItems.nextRunAt,
          position: workflowItems.position,
        })
        .from(workflowItems)
        .where(
          and(
            eq(workflowItems.status, status),
            lte(workflowItems.nextRunAt, now),
            // A subquery rather than a join, so the PostgreSQL row lock covers the items only.
            inArray(
              workflowItems.workflowId,
              tx
                .select({ id: workflows.id })
                .from(workflows)
                .where(inArray(workflows.status, ['RUNNING', 'WAITING'])),
            ),
            or(isNull(workflowItems.backoffUntilMs), lte(workflowItems.backoffUntilMs, nowMs)),
            unleased,
          ),
        )
        .orderBy(asc(workflowItems.nextRunAt), asc(workflowItems.position))
        // The caller's own in-flight items are filtered here rather than in SQL (one statement
        // text, prepared once, instead of one per length of the exclusion list).
        .limit(limit + exclude.size);
      const rows =
        dialectOf(tx) === 'pg'
          ? await (query as unknown as PgSelectLockable).for('update', { skipLocked: true })
          : await query;
      for (const row of rows) {
        if (!exclude.has(row.id)) {
          candidates.push(row);
        }
      }
    }
    if (candidates.length === 0) {
      return [];
    }
    // Due first, then planning order, across the three statuses.
    candidates.sort((a, b) =>
      (a.nextRunAt ?? '') < (b.nextRunAt ?? '')
        ? -1
        : (a.nextRunAt ?? '') > (b.nextRunAt ?? '')
          ? 1
          : a.position - b.position,
    );
    return tx
      .update(workflowItems)
      .set({ leaseOwner: owner, leaseExpiresAtMs: nowMs + leaseMs })
      .where(
        and(
          inArray(
            workflowItems.id,
            candidates.slice(0, limit).map((c) => c.id),
          ),
          unleased,
        ),
      )
      .returning();
  });
}

/** The PostgreSQL row-locking clause of a select (not on SQLite's builder type). */
interface PgSelectLockable {
  for(
    strength: 'update',
    config: { skipLocked: boolean },
  ): Promise<Array<{ id: string; nextRunAt: string | null; position: number }>>;
}

/** Extends the caller's lease while its step runs; false once another runner owns the item. */
export async function renewLease(
  db: EngineDb,
  itemId: string,
  owner: string,
  untilMs: number,
): Promise<boolean> {
  const { workflowItems } = tablesOf(db);
  const changed = await db
    .update(workflowItems)
    .set({ leaseExpiresAtMs: untilMs })
    .where(and(eq(workflowItems.id, itemId), eq(workflowItems.leaseOwner, owner)))
    .returning({ id: workflowItems.id });
  return changed.length === 1;
}

export async function releaseLease(db: EngineDb, itemId: string, owner: string): Promise<void> {
  const { workflowItems } = tablesOf(db);
  await db
    .update(workflowItems)
    .set({ leaseOwner: null, leaseExpiresAtMs: null })
    .where(and(eq(workflowItems.id, itemId), eq(workflowItems.leaseOwner, owner)));
}

export interface ItemUpdate {
  status: ItemStatus;
  state: string;
  step: string;
  data: Record<string, unknown>;
  nextRunAt: string | null;
  backoffUntilMs?: number | null;
  attempts?: number;
  recheckCount?: number;
  waitingReason?: string | null;
  lastError?: string | null;
  completedAt?: string | null;
}

/**
 * Writes a step's outcome for an item the caller holds the lease of, with its events and
 * blockers, releases held children when asked, and recomputes the workflow status: all in one
 * transaction. Returns false when the lease was lost (another runner owns the item now).
 */
export async function applyItemUpdate(
  db: EngineDb,
  options: {
    item: WorkflowItemRow;
    owner: string;
    at: string;
    update: ItemUpdate;
    events: NewEvent[];
    blockers: NewBlocker[];
    releaseChildren?: { kinds?: string[]; nextRunAt: string };
    /** Wake the item's parent (default true). */
    wakeParent?: boolean;
  },
): Promise<{ applied: boolean; workflowStatus: WorkflowStatus | null }> {
  const { item, owner, at, update, events, blockers, releaseChildren, wakeParent } = options;
  const { workflowItems, workflowEvents, workflowBlockers } = tablesOf(db);
  return transaction(db, async (tx) => {
    const changed = await tx
      .update(workflowItems)
      .set({
        status: update.status,
        state: update.state,
        step: update.step,
        dataJson: JSON.stringify(update.data),
        nextRunAt:
          update.status === 'WAITING' && update.nextRunAt !== null
            ? // Woken while the step ran (a child finished after the step looked): look again now.
              sql<string>`case when ${workflowItems.wakeCount} <> ${item.wakeCount} then ${at} else ${update.nextRunAt} end`
            : update.nextRunAt,
        backoffUntilMs: update.backoffUntilMs ?? null,
        attempts: update.attempts ?? item.attempts,
        recheckCount: update.recheckCount ?? item.recheckCount,
        waitingReason: update.waitingReason ?? null,
        lastError: update.lastError ?? null,
        completedAt: update.completedAt ?? item.completedAt,
        updatedAt: at,
        leaseOwner: null,
        leaseExpiresAtMs: null,
      })
      .where(and(eq(workflowItems.id, item.id), eq(workflowItems.leaseOwner, owner)))
      .returning({ id: workflowItems.id });
    if (changed.length !== 1) {
      return { applied: false, workflowStatus: null };
    }
    if (releaseChildren) {
      // The children by the parent index first: with the status conditions in the same
      // statement, SQLite picks the runnable index (status, next_run_at) and reads every held
      // item of every workflow.
      const children = await tx
        .select({ id: workflowItems.id })
        .from(workflowItems)
        .where(eq(workflowItems.parentItemId, item.id));
      for (let from = 0; from < children.length; from += INSERT_CHUNK) {
        const conditions = [
          inArray(
            workflowItems.id,
            children.slice(from, from + INSERT_CHUNK).map((c) => c.id),
          ),
          eq(workflowItems.status, 'PENDING'),
          isNull(workflowItems.nextRunAt),
        ];
        if (releaseChildren.kinds) {
          conditions.push(inArray(workflowItems.kind, releaseChildren.kinds));
        }
        await tx
          .update(workflowItems)
          .set({ nextRunAt: releaseChildren.nextRunAt, updatedAt: at })
          .where(and(...conditions));
      }
    }
    if (item.parentItemId && wakeParent !== false) {
      // A child's progress is its parent's news: wake the parent to re-evaluate (unless the step
      // said its parent does not look at this progress).
      await wake(tx, [item.parentItemId], at);
    }
    if (events.length > 0) {
      await tx
        .insert(workflowEvents)
        .values(events.map((e) => ({ ...eventValues(e), workflowId: item.workflowId, at })));
    }
    if (blockers.length > 0) {
      await tx.insert(workflowBlockers).values(
        blockers.map((b) => ({
          ...blockerValues(b),
          workflowId: item.workflowId,
          createdAt: at,
        })),
      );
    }
    const workflowStatus = await recomputeStatus(tx, item.workflowId, at);
    return { applied: true, workflowStatus };
  });
}

async function recomputeStatus(
  tx: EngineDb,
  workflowId: string,
  at: string,
): Promise<WorkflowStatus | null> {
  const { workflows, workflowItems, workflowEvents } = tablesOf(tx);
  // Locks the workflow row on PostgreSQL (an UPDATE first), so two replicas finishing the last
  // two items at once serialise here and the second sees the first one's item.
  const locked = await tx
    .update(workflows)
    .set({ updatedAt: at })
    .where(eq(workflows.id, workflowId))
    .returning({ status: workflows.status });
  const workflow = first(locked);
  if (!workflow || !['RUNNING', 'WAITING'].includes(workflow.status)) {
    return (workflow?.status as WorkflowStatus | undefined) ?? null;
  }
  // Three probes of the (workflow, status, next_run_at) index that each stop at their first row:
  // the cost of an update no longer grows with the workflow's size (counting every item, or
  // reading them, made each step's update O(items) and a whole run quadratic).
  const exists = (where: SQL | undefined) =>
    // (drizzle renders an embedded select in parentheses already)
    sql<unknown>`exists ${tx
      .select({ one: sql`1` })
      .from(workflowItems)
      .where(and(eq(workflowItems.workflowId, workflowId), where))
      .limit(1)}`;
  const [probe] = await tx
    .select({
      open: exists(inArray(workflowItems.status, ['PENDING', 'RUNNING', 'WAITING'])),
      runnable: exists(
        and(
          inArray(workflowItems.status, ['PENDING', 'RUNNING']),
          lte(workflowItems.nextRunAt, at),
        ),
      ),
      failed: exists(eq(workflowItems.status, 'FAILED')),
    })
    .from(workflows)
    .where(eq(workflows.id, workflowId));
  // SQLite answers 0/1, PostgreSQL booleans.
  const status = statusFromCounts({
    open: probe?.open ? 1 : 0,
    runnable: probe?.runnable ? 1 : 0,
    failed: probe?.failed ? 1 : 0,
  });
  if (status !== workflow.status) {
    await tx
      .update(workflows)
      .set({
        status,
        updatedAt: at,
        completedAt: status === 'COMPLETED' || status === 'FAILED' ? at : null,
      })
      .where(eq(workflows.id, workflowId));
    await tx.insert(workflowEvents).values({
      workflowId,
      at,
      type: `WORKFLOW_${status}`,
      message: statusMessage(status),
    });
  }
  return status;
}

function statusMessage(status: WorkflowStatus): string {
  switch (status) {
    case 'COMPLETED':
      return 'Every item that was not blocked is done.';
    case 'FAILED':
      return 'Every item has ended and at least one failed; see the failed items.';
    case 'WAITING':
      return 'Waiting on people or Microsoft; see the waiting items.';
    default:
      return `Workflow is ${status.toLowerCase()}.`;
  }
}

/**
 * RUNNING while any item can run now; WAITING while the rest only wait (on the clock, a person or
 * a parent); COMPLETED once every item ended and none failed; FAILED once every item ended and
 * one failed.
 */
export function statusFromCounts(counts: {
  open: number;
  runnable: number;
  failed: number;
}): WorkflowStatus {
  if (counts.open === 0) {
    return counts.failed > 0 ? 'FAILED' : 'COMPLETED';
  }
  return counts.runnable > 0 ? 'RUNNING' : 'WAITING';
}

/** Sets the item's lastError and a transport backoff without changing its step (retryable failure). */
export async function recordRetryableFailure(
  db: EngineDb,
  options: {
    item: WorkflowItemRow;
    owner: string;
    at: string;
    error: string;
    backoffUntilMs: number;
    event: NewEvent;
  },
): Promise<void> {
  const { item, owner, at, error, backoffUntilMs, event } = options;
  const { workflowItems, workflowEvents } = tablesOf(db);
  await transaction(db, async (tx) => {
    await tx
      .update(workflowItems)
      .set({
        attempts: item.attempts + 1,
        lastError: error,
        backoffUntilMs,
        updatedAt: at,
        leaseOwner: null,
        leaseExpiresAtMs: null,
      })
      .where(and(eq(workflowItems.id, item.id), eq(workflowItems.leaseOwner, owner)));
    await tx
      .insert(workflowEvents)
      .values({ ...eventValues(event), workflowId: item.workflowId, at });
  });
}

/** Puts FAILED items back to run their failed step again (retry after a fix). */
export async function retryFailedItems(
  db: EngineDb,
  workflowId: string,
  at: string,
): Promise<number> {
  const { workflows, workflowItems, workflowEvents } = tablesOf(db);
  return transaction(db, async (tx) => {
    const retried = await tx
      .update(workflowItems)
      .set({
        status: 'PENDING',
        nextRunAt: at,
        attempts: 0,
        backoffUntilMs: null,
        completedAt: null,
        updatedAt: at,
      })
      .where(and(eq(workflowItems.workflowId, workflowId), eq(workflowItems.status, 'FAILED')))
      .returning({ id: workflowItems.id });
    if (retried.length > 0) {
      await tx
        .update(workflows)
        .set({ status: 'RUNNING', completedAt: null, updatedAt: at })
        .where(eq(workflows.id, workflowId));
      await tx.insert(workflowEvents).values({
        workflowId,
        at,
        type: 'ITEMS_RETRIED',
        message: `${retried.length} failed item(s) scheduled to run their failed step again.`,
      });
    }
    return retried.length;
  });
}

// ---- step journal ----

export async function getStep(
  db: EngineDb,
  itemId: string,
  step: string,
): Promise<WorkflowStepRow | undefined> {
  const { workflowSteps } = tablesOf(db);
  return first(
    await db
      .select()
      .from(workflowSteps)
      .where(and(eq(workflowSteps.itemId, itemId), eq(workflowSteps.step, step)))
      .limit(1),
  );
}

/** Journals a step's intent before its Partner Center call (idempotent: keeps the first intent). */
export async function journalIntent(
  db: EngineDb,
  options: {
    workflowId: string;
    itemId: string;
    step: string;
    requestId: string;
    at: string;
    intent: unknown;
  },
): Promise<WorkflowStepRow> {
  const { workflowId, itemId, step, requestId, at, intent } = options;
  const { workflowSteps } = tablesOf(db);
  const [inserted] = await db
    .insert(workflowSteps)
    .values({
      workflowId,
      itemId,
      step,
      requestId,
      phase: 'INTENT',
      intentJson: JSON.stringify(intent ?? null),
      startedAt: at,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted) {
    return inserted;
  }
  // Another attempt journalled it first: keep its intent.
  const row = await getStep(db, itemId, step);
  if (!row) {
    throw new Error(`journal intent for ${itemId}/${step} was not written`);
  }
  return row;
}

export async function journalResult(
  db: EngineDb,
  options: {
    itemId: string;
    step: string;
    at: string;
    result: unknown;
    phase?: 'SUCCEEDED' | 'FAILED';
    error?: string;
  },
): Promise<void> {
  const { itemId, step, at, result, phase = 'SUCCEEDED', error } = options;
  const { workflowSteps } = tablesOf(db);
  await db
    .update(workflowSteps)
    .set({
      phase,
      resultJson: JSON.stringify(result ?? null),
      error: error ?? null,
      finishedAt: at,
    })
    .where(and(eq(workflowSteps.itemId, itemId), eq(workflowSteps.step, step)));
}

/** The earliest transport backoff among items due now on the business clock, or null. */
export async function earliestBackoff(db: EngineDb, now: string): Promise<number | null> {
  const { workflows, workflowItems } = tablesOf(db);
  const [row] = await db
    .select({ at: min(workflowItems.backoffUntilMs) })
    .from(workflowItems)
    .innerJoin(workflows, eq(workflows.id, workflowItems.workflowId))
    .where(
      and(
        inArray(workflows.status, ['RUNNING', 'WAITING']),
        inArray(workflowItems.status, ['PENDING', 'RUNNING', 'WAITING']),
        lte(workflowItems.nextRunAt, now),
        isNotNull(workflowItems.backoffUntilMs),
      ),
    );
  return row?.at ?? null;
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
        inArray(workflowItems.status, ['PENDING', 'RUNNING', 'WAITING']),
      ),
    );
}

/** Succeeded journal entries of one item (results other items may read). */
export async function succeededSteps(db: EngineDb, itemId: string): Promise<WorkflowStepRow[]> {
  const { workflowSteps } = tablesOf(db);
  return db
    .select()
    .from(workflowSteps)
    .where(and(eq(workflowSteps.itemId, itemId), eq(workflowSteps.phase, 'SUCCEEDED')))
    .orderBy(asc(workflowSteps.id));
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
 * Adds a blocker and a BLOCKER event for an item unless it was flagged before (marks the item's
 * data with `overlapFlagged`), in one transaction. Returns whether it flagged now.
 */
export async function flagItemOnce(
  db: EngineDb,
  item: WorkflowItemRow,
  at: string,
  blocker: NewBlocker,
): Promise<boolean> {
  const { workflowItems, workflowBlockers, workflowEvents } = tablesOf(db);
  return transaction(db, async (tx) => {
    const current = first(
      await tx.select().from(workflowItems).where(eq(workflowItems.id, item.id)).limit(1),
    );
    if (!current) {
      return false;
    }
    const data = JSON.parse(current.dataJson) as Record<string, unknown>;
    if (data.overlapFlagged) {
      return false;
    }
    await tx
      .update(workflowItems)
      .set({ dataJson: JSON.stringify({ ...data, overlapFlagged: true }) })
      .where(eq(workflowItems.id, item.id));
    await tx
      .insert(workflowBlockers)
      .values({ ...blockerValues(blocker), workflowId: item.workflowId, createdAt: at });
    await tx.insert(workflowEvents).values({
      ...eventValues({
        type: 'BLOCKER',
        message: blocker.message,
        itemId: item.id,
        customerTenantId: item.customerTenantId,
        subscriptionId: blocker.subject ?? null,
      }),
      workflowId: item.workflowId,
      at,
    });
    return true;
  });
}

/**
 * The `subscriptionId`s in the succeeded journal results of one step across a workflow's items,
 * except one item's: effects other items already own (look before create never claims them).
 */
export async function journalledResultIds(
  db: EngineDb,
  workflowId: string,
  step: string,
  exceptItemId: string,
): Promise<string[]> {
  const { workflowSteps } = tablesOf(db);
  const rows = await db
    .select({ itemId: workflowSteps.itemId, resultJson: workflowSteps.resultJson })
    .from(workflowSteps)
    .where(
      and(
        eq(workflowSteps.workflowId, workflowId),
        eq(workflowSteps.step, step),
        eq(workflowSteps.phase, 'SUCCEEDED'),
      ),
    );
  return rows
    .filter((r) => r.itemId !== exceptItemId)
    .map(
      (r) =>
        (JSON.parse(r.resultJson ?? 'null') as { subscriptionId?: string } | null)?.subscriptionId,
    )
    .filter((id): id is string => typeof id === 'string');
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
