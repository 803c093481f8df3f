import {
  and,
  asc,
  count,
  desc,
  eq,
  gt,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  min,
  or,
  sql,
} from 'drizzle-orm';
import {
  workflowBlockers,
  workflowEvents,
  workflowItems,
  workflowSteps,
  workflows,
} from '../../../schema/workflow-tables.js';
import { workflowViewers } from '../../../schema/transfer-tables.js';
import type { EngineDb } from './db.types.js';
import {
  TERMINAL_ITEM_STATUSES,
  type ItemStatus,
  type NewBlocker,
  type NewEvent,
  type NewItem,
  type WorkflowItemRow,
  type WorkflowRow,
  type WorkflowStatus,
} from './engine.types.js';

export type WorkflowEventRow = typeof workflowEvents.$inferSelect;
export type WorkflowBlockerRow = typeof workflowBlockers.$inferSelect;
export type WorkflowStepRow = typeof workflowSteps.$inferSelect;

const json = (value: unknown) => JSON.stringify(value ?? {});

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
  db.transaction((tx) => {
    tx.insert(workflows).values(workflow).run();
    items.forEach((item, position) => {
      tx.insert(workflowItems)
        .values({
          id: item.id,
          workflowId: workflow.id,
          position,
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
        })
        .run();
    });
    for (const blocker of blockers) {
      tx.insert(workflowBlockers)
        .values({ ...blockerValues(blocker), workflowId: workflow.id, createdAt: at })
        .run();
    }
    for (const event of events) {
      tx.insert(workflowEvents)
        .values({ ...eventValues(event), workflowId: workflow.id, at })
        .run();
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
  return db.select().from(workflows).where(eq(workflows.id, id)).get();
}

export async function getWorkflowsByIds(
  db: EngineDb,
  ids: readonly string[],
): Promise<WorkflowRow[]> {
  if (ids.length === 0) {
    return [];
  }
  return db
    .select()
    .from(workflows)
    .where(inArray(workflows.id, [...ids]))
    .all();
}

export async function findWorkflowByIdempotencyKey(
  db: EngineDb,
  organizationId: string,
  key: string,
): Promise<WorkflowRow | undefined> {
  return db
    .select()
    .from(workflows)
    .where(and(eq(workflows.organizationId, organizationId), eq(workflows.idempotencyKey, key)))
    .get();
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
  const rows = db
    .select()
    .from(workflows)
    .where(keyset ? and(where, keyset) : where)
    .orderBy(desc(workflows.createdAt), desc(workflows.id))
    .limit(page.limit)
    .all();
  const total = db.select({ n: count() }).from(workflows).where(where).get();
  return { rows, totalCount: total?.n ?? 0 };
}

export async function listItems(db: EngineDb, workflowId: string): Promise<WorkflowItemRow[]> {
  return db
    .select()
    .from(workflowItems)
    .where(eq(workflowItems.workflowId, workflowId))
    .orderBy(asc(workflowItems.position))
    .all();
}

export async function getItem(db: EngineDb, id: string): Promise<WorkflowItemRow | undefined> {
  return db.select().from(workflowItems).where(eq(workflowItems.id, id)).get();
}

/** Items of the organization's non-terminal workflows for these customers (overlap detection). */
export async function activeItemsForCustomers(
  db: EngineDb,
  organizationId: string,
  kind: string,
  customerTenantIds: readonly string[],
): Promise<Array<{ workflowId: string; customerTenantId: string | null; itemStatus: string }>> {
  if (customerTenantIds.length === 0) {
    return [];
  }
  return db
    .select({
      workflowId: workflowItems.workflowId,
      customerTenantId: workflowItems.customerTenantId,
      itemStatus: workflowItems.status,
    })
    .from(workflowItems)
    .innerJoin(workflows, eq(workflows.id, workflowItems.workflowId))
    .where(
      and(
        eq(workflows.organizationId, organizationId),
        eq(workflows.kind, kind),
        inArray(workflows.status, ['DRAFT', 'RUNNING', 'WAITING']),
        inArray(workflowItems.customerTenantId, [...customerTenantIds]),
      ),
    )
    .all();
}

export async function listEvents(
  db: EngineDb,
  workflowId: string,
  page: { limit: number; afterId?: number | null },
): Promise<{ rows: WorkflowEventRow[]; totalCount: number }> {
  const where = eq(workflowEvents.workflowId, workflowId);
  const rows = db
    .select()
    .from(workflowEvents)
    .where(page.afterId ? and(where, gt(workflowEvents.id, page.afterId)) : where)
    .orderBy(asc(workflowEvents.id))
    .limit(page.limit)
    .all();
  const total = db.select({ n: count() }).from(workflowEvents).where(where).get();
  return { rows, totalCount: total?.n ?? 0 };
}

export async function listBlockers(
  db: EngineDb,
  workflowId: string,
): Promise<WorkflowBlockerRow[]> {
  return db
    .select()
    .from(workflowBlockers)
    .where(and(eq(workflowBlockers.workflowId, workflowId), isNull(workflowBlockers.resolvedAt)))
    .orderBy(asc(workflowBlockers.id))
    .all();
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
  db.transaction((tx) => {
    for (const event of events) {
      tx.insert(workflowEvents)
        .values({ ...eventValues(event), workflowId, at })
        .run();
    }
    tx.update(workflows).set({ updatedAt: at }).where(eq(workflows.id, workflowId)).run();
  });
}

export async function addBlocker(
  db: EngineDb,
  workflowId: string,
  at: string,
  blocker: NewBlocker,
): Promise<void> {
  db.insert(workflowBlockers)
    .values({ ...blockerValues(blocker), workflowId, createdAt: at })
    .run();
}

/** Marks the workflow RUNNING and schedules its runnable items (startWorkflow). */
export async function startWorkflowRow(
  db: EngineDb,
  workflowId: string,
  at: string,
  expectedVersion: number,
): Promise<boolean> {
  return db.transaction((tx) => {
    const result = tx
      .update(workflows)
      .set({ status: 'RUNNING', startedAt: at, updatedAt: at, version: expectedVersion + 1 })
      .where(
        and(
          eq(workflows.id, workflowId),
          eq(workflows.status, 'DRAFT'),
          eq(workflows.version, expectedVersion),
        ),
      )
      .run();
    if (result.changes !== 1) {
      return false;
    }
    tx.insert(workflowEvents)
      .values({ workflowId, at, type: 'WORKFLOW_STARTED', message: 'Workflow started.' })
      .run();
    return true;
  });
}

export async function cancelWorkflowRow(
  db: EngineDb,
  workflowId: string,
  at: string,
  message: string,
): Promise<boolean> {
  return db.transaction((tx) => {
    const result = tx
      .update(workflows)
      .set({ status: 'CANCELED', updatedAt: at, completedAt: at })
      .where(
        and(
          eq(workflows.id, workflowId),
          inArray(workflows.status, ['DRAFT', 'RUNNING', 'WAITING']),
          isNull(workflows.irreversibleAt),
        ),
      )
      .run();
    if (result.changes !== 1) {
      return false;
    }
    tx.update(workflowItems)
      .set({ status: 'CANCELED', updatedAt: at, leaseOwner: null, leaseExpiresAtMs: null })
      .where(
        and(
          eq(workflowItems.workflowId, workflowId),
          inArray(workflowItems.status, ['PENDING', 'RUNNING', 'WAITING']),
        ),
      )
      .run();
    tx.insert(workflowEvents).values({ workflowId, at, type: 'WORKFLOW_CANCELED', message }).run();
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
  const result = db
    .update(workflows)
    .set({ irreversibleAt: sql`coalesce(${workflows.irreversibleAt}, ${at})` })
    .where(and(eq(workflows.id, workflowId), inArray(workflows.status, ['RUNNING', 'WAITING'])))
    .run();
  return result.changes === 1;
}

export async function updateWorkflowData(
  db: EngineDb,
  workflowId: string,
  at: string,
  data: Record<string, unknown>,
): Promise<void> {
  db.update(workflows)
    .set({ dataJson: JSON.stringify(data), updatedAt: at })
    .where(eq(workflows.id, workflowId))
    .run();
}

/**
 * Claims up to `limit` runnable items with a lease. Runnable: an active status, due on the
 * business clock, past any transport backoff, and not leased by a live owner. The claim is one
 * conditional UPDATE per item, so two runners never take the same item.
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
  const { now, nowMs, owner, leaseMs, limit, exclude } = options;
  return db.transaction((tx) => {
    const candidates = tx
      .select({ id: workflowItems.id })
      .from(workflowItems)
      .innerJoin(workflows, eq(workflows.id, workflowItems.workflowId))
      .where(
        and(
          inArray(workflows.status, ['RUNNING', 'WAITING']),
          inArray(workflowItems.status, ['PENDING', 'RUNNING', 'WAITING']),
          lte(workflowItems.nextRunAt, now),
          or(isNull(workflowItems.backoffUntilMs), lte(workflowItems.backoffUntilMs, nowMs)),
          or(isNull(workflowItems.leaseExpiresAtMs), lt(workflowItems.leaseExpiresAtMs, nowMs)),
        ),
      )
      .orderBy(asc(workflowItems.nextRunAt), asc(workflowItems.position))
      .limit(limit + exclude.length)
      .all()
      .filter((row) => !exclude.includes(row.id))
      .slice(0, limit);
    const claimed: WorkflowItemRow[] = [];
    for (const { id } of candidates) {
      const row = tx
        .update(workflowItems)
        .set({ leaseOwner: owner, leaseExpiresAtMs: nowMs + leaseMs })
        .where(
          and(
            eq(workflowItems.id, id),
            or(isNull(workflowItems.leaseExpiresAtMs), lt(workflowItems.leaseExpiresAtMs, nowMs)),
          ),
        )
        .returning()
        .get();
      if (row) {
        claimed.push(row);
      }
    }
    return claimed;
  });
}

export async function renewLease(
  db: EngineDb,
  itemId: string,
  owner: string,
  untilMs: number,
): Promise<boolean> {
  const result = db
    .update(workflowItems)
    .set({ leaseExpiresAtMs: untilMs })
    .where(and(eq(workflowItems.id, itemId), eq(workflowItems.leaseOwner, owner)))
    .run();
  return result.changes === 1;
}

export async function releaseLease(db: EngineDb, itemId: string, owner: string): Promise<void> {
  db.update(workflowItems)
    .set({ leaseOwner: null, leaseExpiresAtMs: null })
    .where(and(eq(workflowItems.id, itemId), eq(workflowItems.leaseOwner, owner)))
    .run();
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
  },
): Promise<{ applied: boolean; workflowStatus: WorkflowStatus | null }> {
  const { item, owner, at, update, events, blockers, releaseChildren } = options;
  return db.transaction((tx) => {
    const result = tx
      .update(workflowItems)
      .set({
        status: update.status,
        state: update.state,
        step: update.step,
        dataJson: JSON.stringify(update.data),
        nextRunAt: update.nextRunAt,
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
      .run();
    if (result.changes !== 1) {
      return { applied: false, workflowStatus: null };
    }
    if (releaseChildren) {
      const conditions = [
        eq(workflowItems.parentItemId, item.id),
        eq(workflowItems.status, 'PENDING'),
        isNull(workflowItems.nextRunAt),
      ];
      if (releaseChildren.kinds) {
        conditions.push(inArray(workflowItems.kind, releaseChildren.kinds));
      }
      tx.update(workflowItems)
        .set({ nextRunAt: releaseChildren.nextRunAt, updatedAt: at })
        .where(and(...conditions))
        .run();
    }
    if (item.parentItemId) {
      // A child's progress is its parent's news: wake a waiting parent to re-evaluate.
      tx.update(workflowItems)
        .set({ nextRunAt: at })
        .where(and(eq(workflowItems.id, item.parentItemId), eq(workflowItems.status, 'WAITING')))
        .run();
    }
    for (const event of events) {
      tx.insert(workflowEvents)
        .values({ ...eventValues(event), workflowId: item.workflowId, at })
        .run();
    }
    for (const blocker of blockers) {
      tx.insert(workflowBlockers)
        .values({ ...blockerValues(blocker), workflowId: item.workflowId, createdAt: at })
        .run();
    }
    const workflowStatus = recomputeStatus(tx, item.workflowId, at);
    return { applied: true, workflowStatus };
  });
}

type Tx = Parameters<Parameters<EngineDb['transaction']>[0]>[0];

function recomputeStatus(tx: Tx, workflowId: string, at: string): WorkflowStatus | null {
  const workflow = tx.select().from(workflows).where(eq(workflows.id, workflowId)).get();
  if (!workflow || !['RUNNING', 'WAITING'].includes(workflow.status)) {
    return (workflow?.status as WorkflowStatus | undefined) ?? null;
  }
  const items = tx
    .select({ status: workflowItems.status, nextRunAt: workflowItems.nextRunAt })
    .from(workflowItems)
    .where(eq(workflowItems.workflowId, workflowId))
    .all();
  const status = deriveWorkflowStatus(items, at);
  if (status !== workflow.status) {
    tx.update(workflows)
      .set({
        status,
        updatedAt: at,
        completedAt: status === 'COMPLETED' || status === 'FAILED' ? at : null,
      })
      .where(eq(workflows.id, workflowId))
      .run();
    tx.insert(workflowEvents)
      .values({
        workflowId,
        at,
        type: `WORKFLOW_${status}`,
        message: statusMessage(status),
      })
      .run();
  } else {
    tx.update(workflows).set({ updatedAt: at }).where(eq(workflows.id, workflowId)).run();
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
export function deriveWorkflowStatus(
  items: Array<{ status: string; nextRunAt: string | null }>,
  now: string,
): WorkflowStatus {
  let runnable = false;
  let open = false;
  let failed = false;
  for (const item of items) {
    if (TERMINAL_ITEM_STATUSES.has(item.status as ItemStatus)) {
      failed ||= item.status === 'FAILED';
      continue;
    }
    open = true;
    if (item.status !== 'WAITING' && item.nextRunAt !== null && item.nextRunAt <= now) {
      runnable = true;
    }
  }
  if (!open) {
    return failed ? 'FAILED' : 'COMPLETED';
  }
  return runnable ? 'RUNNING' : 'WAITING';
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
  db.transaction((tx) => {
    tx.update(workflowItems)
      .set({
        attempts: item.attempts + 1,
        lastError: error,
        backoffUntilMs,
        updatedAt: at,
        leaseOwner: null,
        leaseExpiresAtMs: null,
      })
      .where(and(eq(workflowItems.id, item.id), eq(workflowItems.leaseOwner, owner)))
      .run();
    tx.insert(workflowEvents)
      .values({ ...eventValues(event), workflowId: item.workflowId, at })
      .run();
  });
}

/** Puts FAILED items back to run their failed step again (retry after a fix). */
export async function retryFailedItems(
  db: EngineDb,
  workflowId: string,
  at: string,
): Promise<number> {
  return db.transaction((tx) => {
    const result = tx
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
      .run();
    if (result.changes > 0) {
      tx.update(workflows)
        .set({ status: 'RUNNING', completedAt: null, updatedAt: at })
        .where(eq(workflows.id, workflowId))
        .run();
      tx.insert(workflowEvents)
        .values({
          workflowId,
          at,
          type: 'ITEMS_RETRIED',
          message: `${result.changes} failed item(s) scheduled to run their failed step again.`,
        })
        .run();
    }
    return result.changes;
  });
}

// ---- step journal ----

export async function getStep(
  db: EngineDb,
  itemId: string,
  step: string,
): Promise<WorkflowStepRow | undefined> {
  return db
    .select()
    .from(workflowSteps)
    .where(and(eq(workflowSteps.itemId, itemId), eq(workflowSteps.step, step)))
    .get();
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
  db.insert(workflowSteps)
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
    .run();
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
  db.update(workflowSteps)
    .set({
      phase,
      resultJson: JSON.stringify(result ?? null),
      error: error ?? null,
      finishedAt: at,
    })
    .where(and(eq(workflowSteps.itemId, itemId), eq(workflowSteps.step, step)))
    .run();
}

/** The earliest transport backoff among items due now on the business clock, or null. */
export async function earliestBackoff(db: EngineDb, now: string): Promise<number | null> {
  const row = db
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
    )
    .get();
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
  db.update(workflowItems)
    .set({ nextRunAt: at })
    .where(and(inArray(workflowItems.id, [...itemIds]), eq(workflowItems.status, 'WAITING')))
    .run();
}

/** Succeeded journal entries of one item (results other items may read). */
export async function succeededSteps(db: EngineDb, itemId: string): Promise<WorkflowStepRow[]> {
  return db
    .select()
    .from(workflowSteps)
    .where(and(eq(workflowSteps.itemId, itemId), eq(workflowSteps.phase, 'SUCCEEDED')))
    .orderBy(asc(workflowSteps.id))
    .all();
}

/** Unfinished items of one kind in the organization's started, unfinished workflows of a kind. */
export async function openItemsOfKind(
  db: EngineDb,
  organizationId: string,
  workflowKind: string,
  itemKind: string,
): Promise<Array<{ workflowId: string; customerTenantId: string | null }>> {
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
    )
    .all();
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
  return db.transaction((tx) => {
    const current = tx.select().from(workflowItems).where(eq(workflowItems.id, item.id)).get();
    if (!current) {
      return false;
    }
    const data = JSON.parse(current.dataJson) as Record<string, unknown>;
    if (data.overlapFlagged) {
      return false;
    }
    tx.update(workflowItems)
      .set({ dataJson: JSON.stringify({ ...data, overlapFlagged: true }) })
      .where(eq(workflowItems.id, item.id))
      .run();
    tx.insert(workflowBlockers)
      .values({ ...blockerValues(blocker), workflowId: item.workflowId, createdAt: at })
      .run();
    tx.insert(workflowEvents)
      .values({
        ...eventValues({
          type: 'BLOCKER',
          message: blocker.message,
          itemId: item.id,
          customerTenantId: item.customerTenantId,
          subscriptionId: blocker.subject ?? null,
        }),
        workflowId: item.workflowId,
        at,
      })
      .run();
    return true;
  });
}
