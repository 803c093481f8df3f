import { type WorkflowEventType } from '../../shared/workflow-event-types.js';
import { and, eq, gte } from 'drizzle-orm';
import { tablesOf } from '../../db/client.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type WorkflowItemRow, type WorkflowRow } from '../../workflows/engine/engine.types.js';
import { type SigningLinkRow } from './transfer.repository.js';

// What people do to a running transfer besides signing: confirm a manual clean-up, reissue a
// signing link; and what the engine does after a cancel (close the ticket). Awaited query builders
// only (no driver-specific calls, no transaction), each write safe to repeat.

/** An admin's confirmation that the new partner removed the old access by hand (R-TRF-8). */
export const CLEANUP_CONFIRMED = 'CLEANUP_CONFIRMED';

export async function cleanupConfirmation(
  db: EngineDb,
  workflowId: string,
): Promise<{ by: string; at: string } | null> {
  const { workflowEvents } = tablesOf(db);
  const [row] = await db
    .select({ dataJson: workflowEvents.dataJson })
    .from(workflowEvents)
    .where(
      and(eq(workflowEvents.workflowId, workflowId), eq(workflowEvents.type, CLEANUP_CONFIRMED)),
    )
    .limit(1);
  return row ? (JSON.parse(row.dataJson ?? '{}') as { by: string; at: string }) : null;
}

export type ConfirmOutcome = 'CONFIRMED' | 'ALREADY_CONFIRMED' | 'NOT_WAITING_FOR_CLEANUP';

/**
 * Records the confirmation while the transfer item waits on the manual clean-up (state
 * CLEANUP_MANUAL) and wakes the item so it completes at once. Two racing confirmations at worst
 * write two events; the step reads the first.
 */
export async function recordCleanupConfirmation(
  db: EngineDb,
  options: { workflowId: string; itemKind: string; by: string; at: string; message: string },
): Promise<ConfirmOutcome> {
  const { workflowEvents, workflowItems, workflows } = tablesOf(db);
  const { workflowId, itemKind, by, at, message } = options;
  if (await cleanupConfirmation(db, workflowId)) {
    return 'ALREADY_CONFIRMED';
  }
  const [waiting] = await db
    .select({ id: workflowItems.id, workflowStatus: workflows.status })
    .from(workflowItems)
    .innerJoin(workflows, eq(workflows.id, workflowItems.workflowId))
    .where(
      and(
        eq(workflowItems.workflowId, workflowId),
        eq(workflowItems.kind, itemKind),
        eq(workflowItems.state, 'CLEANUP_MANUAL'),
        eq(workflowItems.status, 'WAITING'),
      ),
    )
    .limit(1);
  if (!waiting || !['RUNNING', 'WAITING'].includes(waiting.workflowStatus)) {
    return 'NOT_WAITING_FOR_CLEANUP';
  }
  await db.insert(workflowEvents).values({
    workflowId,
    itemId: waiting.id,
    at,
    type: CLEANUP_CONFIRMED,
    message,
    dataJson: JSON.stringify({ by, at }),
  });
  await db.update(workflows).set({ updatedAt: at }).where(eq(workflows.id, workflowId));
  await db
    .update(workflowItems)
    .set({ nextRunAt: at })
    .where(and(eq(workflowItems.id, waiting.id), eq(workflowItems.status, 'WAITING')));
  return 'CONFIRMED';
}

/**
 * Replaces a party's signing link: the old rows go first, then the new one, so an interruption
 * leaves no working link (fail closed: reissue again) rather than two.
 */
export async function replaceSigningLink(
  db: EngineDb,
  workflowId: string,
  party: string,
  link: SigningLinkRow,
): Promise<void> {
  const { transferSigningLinks } = tablesOf(db);
  await db
    .delete(transferSigningLinks)
    .where(
      and(eq(transferSigningLinks.workflowId, workflowId), eq(transferSigningLinks.party, party)),
    );
  await db.insert(transferSigningLinks).values(link);
}

/**
 * Canceled transfers (since `since`) with their transfer item, for the ticket clean-up sweep; the
 * caller skips those whose item data already records the ticket's closure.
 */
export async function canceledTransfers(
  db: EngineDb,
  itemKind: string,
  since: string,
): Promise<Array<{ workflow: WorkflowRow; item: WorkflowItemRow }>> {
  const { workflowItems, workflows } = tablesOf(db);
  return db
    .select({ workflow: workflows, item: workflowItems })
    .from(workflows)
    .innerJoin(workflowItems, eq(workflowItems.workflowId, workflows.id))
    .where(
      and(
        eq(workflows.kind, 'SUBSCRIPTION_TRANSFER'),
        eq(workflows.status, 'CANCELED'),
        gte(workflows.completedAt, since),
        eq(workflowItems.kind, itemKind),
      ),
    );
}

/** Merges data into a finished (canceled) item; the runner never touches such an item again. */
export async function updateCanceledItemData(
  db: EngineDb,
  item: WorkflowItemRow,
  patch: Record<string, unknown>,
  at: string,
): Promise<void> {
  const { workflowItems } = tablesOf(db);
  const data = { ...(JSON.parse(item.dataJson) as Record<string, unknown>), ...patch };
  await db
    .update(workflowItems)
    .set({ dataJson: JSON.stringify(data), updatedAt: at })
    .where(and(eq(workflowItems.id, item.id), eq(workflowItems.status, 'CANCELED')));
}

export async function addWorkflowEvent(
  db: EngineDb,
  event: {
    workflowId: string;
    itemId: string;
    at: string;
    type: WorkflowEventType;
    message: string;
  },
): Promise<void> {
  const { workflowEvents, workflows } = tablesOf(db);
  await db.insert(workflowEvents).values(event);
  await db.update(workflows).set({ updatedAt: event.at }).where(eq(workflows.id, event.workflowId));
}
