import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { tablesOf, transaction } from '../../db/client.js';
import { type BlockerCode } from '../../shared/error-codes.js';
import type { EngineDb } from './db.types.js';
import { type ItemStatus, type NewEvent, type WorkflowStatus } from './engine.types.js';
import { recomputeStatus } from './lifecycle.repository.js';
import { eventValues } from './row-values.js';

/**
 * Item state of an item an operator left out of its workflow (`excludeFromWorkflow`): engine
 * status SKIPPED, state EXCLUDED. Progress counts these apart from the items done.
 */
export const EXCLUDED_STATE = 'EXCLUDED';

/** What an operator's command on items answers: applied, or why not. */
export type ItemCommandResult =
  | { applied: true; workflowStatus: WorkflowStatus | null }
  | { applied: false; reason: 'BUSY' | 'CHANGED' };

/** Statuses an operator may exclude from: nothing of the item has run or it never could. */
const EXCLUDABLE: ItemStatus[] = ['PENDING', 'WAITING', 'BLOCKED'];

/**
 * Leaves items out of their workflow (SKIPPED, state EXCLUDED), resolves their open blockers,
 * journals the event, wakes the workflow-level items (they look at the others: a support batch
 * waiting for an excluded subscription finishes) and recomputes the workflow status, in one
 * transaction. Refused without a change when an item is leased by a runner right now (`BUSY`) or
 * is no longer excludable (`CHANGED`: it moved on since the caller looked).
 */
export async function excludeItems(
  db: EngineDb,
  options: {
    workflowId: string;
    itemIds: readonly string[];
    /** Its blockers (planning's name the customer, not the item) are resolved too. */
    customerTenantId: string | null;
    at: string;
    nowMs: number;
    event: NewEvent;
  },
): Promise<ItemCommandResult> {
  const { workflowId, itemIds, at, nowMs, event } = options;
  const { workflowItems, workflowBlockers, workflowEvents } = tablesOf(db);
  if (itemIds.length === 0) {
    return { applied: false, reason: 'CHANGED' };
  }
  const refused = (reason: 'BUSY' | 'CHANGED') => ({ applied: false as const, reason });
  try {
    return await transaction(db, (tx) => excludeIn(tx));
  } catch (error) {
    if (error instanceof Refusal) {
      return refused(error.reason);
    }
    throw error;
  }

  async function excludeIn(tx: EngineDb): Promise<ItemCommandResult> {
    const rows = await tx
      .select()
      .from(workflowItems)
      .where(
        and(eq(workflowItems.workflowId, workflowId), inArray(workflowItems.id, [...itemIds])),
      );
    if (rows.some((r) => r.leaseOwner !== null && (r.leaseExpiresAtMs ?? 0) >= nowMs)) {
      return refused('BUSY');
    }
    if (
      rows.length !== itemIds.length ||
      rows.some((r) => !EXCLUDABLE.includes(r.status as ItemStatus))
    ) {
      return refused('CHANGED');
    }
    // Conditional again (PostgreSQL: a runner may claim between the read and this write); a
    // partial change is rolled back.
    const changed = await tx
      .update(workflowItems)
      .set({
        status: 'SKIPPED',
        state: EXCLUDED_STATE,
        nextRunAt: null,
        waitingReason: null,
        completedAt: at,
        updatedAt: at,
        leaseOwner: null,
        leaseExpiresAtMs: null,
      })
      .where(
        and(
          inArray(workflowItems.id, [...itemIds]),
          inArray(workflowItems.status, EXCLUDABLE),
          or(isNull(workflowItems.leaseOwner), lt(workflowItems.leaseExpiresAtMs, nowMs)),
        ),
      )
      .returning({ id: workflowItems.id });
    if (changed.length !== itemIds.length) {
      throw new Refusal('BUSY');
    }
    await tx
      .update(workflowBlockers)
      .set({ resolvedAt: at })
      .where(
        and(
          eq(workflowBlockers.workflowId, workflowId),
          options.customerTenantId
            ? or(
                inArray(workflowBlockers.itemId, [...itemIds]),
                eq(workflowBlockers.customerTenantId, options.customerTenantId),
              )
            : inArray(workflowBlockers.itemId, [...itemIds]),
          isNull(workflowBlockers.resolvedAt),
        ),
      );
    // Workflow-level items (no customer) look at the others; they look again now.
    await tx
      .update(workflowItems)
      .set({ nextRunAt: at, updatedAt: at })
      .where(
        and(
          eq(workflowItems.workflowId, workflowId),
          isNull(workflowItems.customerTenantId),
          eq(workflowItems.status, 'WAITING'),
        ),
      );
    await tx.insert(workflowEvents).values({ ...eventValues(event), workflowId, at });
    return { applied: true, workflowStatus: await recomputeStatus(tx, workflowId, at) };
  }
}

/** Rolls a command's transaction back (thrown inside, answered outside). */
class Refusal extends Error {
  constructor(readonly reason: 'BUSY' | 'CHANGED') {
    super(reason);
  }
}

/**
 * Replaces a waiting item's data (a new invitation), moves it to `state`, resolves its open
 * blockers of `resolveCodes`, journals the event and makes it run now, in one transaction; refused
 * as for {@link excludeItems} when leased (`BUSY`) or no longer waiting at `step` (`CHANGED`).
 */
export async function restartWaitingItem(
  db: EngineDb,
  options: {
    workflowId: string;
    itemId: string;
    step: string;
    state: string;
    data: Record<string, unknown>;
    resolveCodes: readonly BlockerCode[];
    at: string;
    nowMs: number;
    event: NewEvent;
  },
): Promise<ItemCommandResult> {
  const { workflowId, itemId, at, nowMs, event } = options;
  const { workflowItems, workflowBlockers, workflowEvents } = tablesOf(db);
  return transaction(db, async (tx) => {
    const changed = await tx
      .update(workflowItems)
      .set({
        state: options.state,
        dataJson: JSON.stringify(options.data),
        status: 'WAITING',
        nextRunAt: at,
        recheckCount: 0,
        updatedAt: at,
      })
      .where(
        and(
          eq(workflowItems.id, itemId),
          eq(workflowItems.workflowId, workflowId),
          eq(workflowItems.step, options.step),
          inArray(workflowItems.status, ['PENDING', 'WAITING']),
          or(isNull(workflowItems.leaseOwner), lt(workflowItems.leaseExpiresAtMs, nowMs)),
        ),
      )
      .returning({ id: workflowItems.id });
    if (changed.length !== 1) {
      const [row] = await tx
        .select({ leaseOwner: workflowItems.leaseOwner, exp: workflowItems.leaseExpiresAtMs })
        .from(workflowItems)
        .where(eq(workflowItems.id, itemId));
      return {
        applied: false,
        reason: row?.leaseOwner && (row.exp ?? 0) >= nowMs ? 'BUSY' : 'CHANGED',
      };
    }
    if (options.resolveCodes.length > 0) {
      await tx
        .update(workflowBlockers)
        .set({ resolvedAt: at })
        .where(
          and(
            eq(workflowBlockers.itemId, itemId),
            inArray(workflowBlockers.code, [...options.resolveCodes]),
            isNull(workflowBlockers.resolvedAt),
          ),
        );
    }
    await tx.insert(workflowEvents).values({ ...eventValues(event), workflowId, at });
    return { applied: true, workflowStatus: await recomputeStatus(tx, workflowId, at) };
  });
}

/** Resolves an item's open blockers of these codes (a late acceptance clears its expiry). */
export async function resolveItemBlockers(
  db: EngineDb,
  itemId: string,
  codes: readonly BlockerCode[],
  at: string,
): Promise<void> {
  const { workflowBlockers } = tablesOf(db);
  await db
    .update(workflowBlockers)
    .set({ resolvedAt: at })
    .where(
      and(
        eq(workflowBlockers.itemId, itemId),
        inArray(workflowBlockers.code, [...codes]),
        isNull(workflowBlockers.resolvedAt),
      ),
    );
}
