import { and, eq, inArray, isNull } from 'drizzle-orm';
import { tablesOf, transaction } from '../../db/client.js';
import { type BlockerCode } from '../../shared/error-codes.js';
import type { EngineDb } from './db.types.js';
import { type NewBlocker, type WorkflowItemRow } from './engine.types.js';
import { blockerValues, eventValues, itemBlockerEventValues } from './row-values.js';

// Writes of the invariant sweeps (WorkflowDefinition.sweep), outside any step: a blocker raised
// while its condition holds and resolved when a later look finds it gone, and the sweep's own
// marks on items that have ended (no runner holds them, so no lease is involved).

/**
 * Raises a blocker on an item unless one of the same code is open on it already, with its
 * BLOCKER event, in one transaction. False when it was open already or the item is gone.
 */
export async function raiseItemBlocker(
  db: EngineDb,
  item: WorkflowItemRow,
  at: string,
  blocker: NewBlocker,
): Promise<boolean> {
  const { workflowItems, workflowBlockers, workflowEvents } = tablesOf(db);
  return transaction(db, async (tx) => {
    const [exists] = await tx
      .select({ id: workflowItems.id })
      .from(workflowItems)
      .where(eq(workflowItems.id, item.id))
      .limit(1);
    if (!exists) {
      return false;
    }
    const [open] = await tx
      .select({ id: workflowBlockers.id })
      .from(workflowBlockers)
      .where(
        and(
          eq(workflowBlockers.itemId, item.id),
          eq(workflowBlockers.code, blocker.code),
          isNull(workflowBlockers.resolvedAt),
        ),
      )
      .limit(1);
    if (open) {
      return false;
    }
    await tx.insert(workflowBlockers).values({
      ...blockerValues({ customerTenantId: item.customerTenantId, ...blocker, itemId: item.id }),
      workflowId: item.workflowId,
      createdAt: at,
    });
    await tx.insert(workflowEvents).values(itemBlockerEventValues(item, blocker, at));
    return true;
  });
}

/**
 * Resolves an item's open blockers of these codes and, when there were some, journals
 * `message` as an INVARIANT_CLEARED event. Returns how many it resolved.
 */
export async function clearItemBlockers(
  db: EngineDb,
  item: WorkflowItemRow,
  codes: readonly BlockerCode[],
  at: string,
  message: string,
): Promise<number> {
  const { workflowBlockers, workflowEvents } = tablesOf(db);
  return transaction(db, async (tx) => {
    const resolved = await tx
      .update(workflowBlockers)
      .set({ resolvedAt: at })
      .where(
        and(
          eq(workflowBlockers.itemId, item.id),
          inArray(workflowBlockers.code, [...codes]),
          isNull(workflowBlockers.resolvedAt),
        ),
      )
      .returning({ id: workflowBlockers.id });
    if (resolved.length > 0) {
      await tx.insert(workflowEvents).values({
        ...eventValues({
          type: 'INVARIANT_CLEARED',
          message,
          itemId: item.id,
          customerTenantId: item.customerTenantId,
        }),
        workflowId: item.workflowId,
        at,
      });
    }
    return resolved.length;
  });
}

/**
 * Replaces an item's data (and state) if neither changed since `item` was read (compare and
 * swap on the row's data and state): two replicas sweeping at once, or a step finishing the item
 * meanwhile, make the second writer see false and leave it alone.
 */
export async function markSweptItem(
  db: EngineDb,
  item: WorkflowItemRow,
  change: { data: Record<string, unknown>; state?: string },
  at: string,
): Promise<boolean> {
  const { workflowItems } = tablesOf(db);
  const changed = await db
    .update(workflowItems)
    .set({
      dataJson: JSON.stringify(change.data),
      ...(change.state ? { state: change.state } : {}),
      updatedAt: at,
    })
    .where(
      and(
        eq(workflowItems.id, item.id),
        eq(workflowItems.state, item.state),
        eq(workflowItems.status, item.status),
        eq(workflowItems.dataJson, item.dataJson),
      ),
    )
    .returning({ id: workflowItems.id });
  return changed.length === 1;
}
