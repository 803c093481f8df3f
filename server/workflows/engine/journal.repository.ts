import { and, asc, eq } from 'drizzle-orm';
import { first, tablesOf } from '../../db/client.js';
import type { EngineDb } from './db.types.js';
import type { WorkflowStepRow } from './row-values.js';

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

/** Succeeded journal entries of one item (results other items may read). */
export async function succeededSteps(db: EngineDb, itemId: string): Promise<WorkflowStepRow[]> {
  const { workflowSteps } = tablesOf(db);
  return db
    .select()
    .from(workflowSteps)
    .where(and(eq(workflowSteps.itemId, itemId), eq(workflowSteps.phase, 'SUCCEEDED')))
    .orderBy(asc(workflowSteps.id));
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
