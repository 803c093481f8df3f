import { and, eq, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { first, notIndexed, tablesOf, transaction } from '../../db/client.js';
import type { EngineDb } from './db.types.js';
import {
  type ItemStatus,
  type NewBlocker,
  type NewEvent,
  type WorkflowItemRow,
  type WorkflowStatus,
} from './engine.types.js';
import { wakeItems } from './items.repository.js';
import { blockerValues, eventValues, INSERT_CHUNK, itemBlockerEventValues } from './row-values.js';

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
          eq(notIndexed(workflowItems.status), 'PENDING'),
          isNull(workflowItems.nextRunAt),
        ];
        if (releaseChildren.kinds) {
          conditions.push(inArray(notIndexed(workflowItems.kind), releaseChildren.kinds));
        }
        await tx
          .update(workflowItems)
          .set({ nextRunAt: releaseChildren.nextRunAt, updatedAt: at })
          .where(and(...conditions));
      }
    }
    if (update.status === 'BLOCKED') {
      // A blocked item never releases what it holds: its held children end with it (SKIPPED),
      // so the workflow can complete around a customer that is blocked mid-run (GDAP rejected).
      await tx
        .update(workflowItems)
        .set({
          status: 'SKIPPED',
          completedAt: at,
          updatedAt: at,
          lastError: update.lastError ?? 'Its parent item is blocked.',
        })
        .where(
          and(
            eq(workflowItems.parentItemId, item.id),
            eq(notIndexed(workflowItems.status), 'PENDING'),
            isNull(workflowItems.nextRunAt),
          ),
        );
    }
    if (item.parentItemId && wakeParent !== false) {
      // A child's progress is its parent's news: wake the parent to re-evaluate (unless the step
      // said its parent does not look at this progress).
      await wakeItems(tx, [item.parentItemId], at);
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

export async function recomputeStatus(
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
      return 'Every item that was not blocked or excluded is done (see progress).';
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
}): Extract<WorkflowStatus, 'RUNNING' | 'WAITING' | 'COMPLETED' | 'FAILED'> {
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
    await tx.insert(workflowEvents).values(itemBlockerEventValues(item, blocker, at));
    return true;
  });
}
