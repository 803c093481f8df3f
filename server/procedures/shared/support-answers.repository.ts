import { and, eq, isNull } from 'drizzle-orm';
import { tablesOf } from '../../db/client.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { SUPPORT_NEEDS_ATTENTION } from './support-answers.js';

/**
 * Support did what it was asked after all (the subscription moved): the item's support-answer
 * blockers are history, not something that still stops it. Resolved, not deleted: the events keep
 * support's words.
 */
export async function resolveSupportBlockers(
  db: EngineDb,
  workflowId: string,
  itemId: string,
  at: string,
): Promise<void> {
  const { workflowBlockers } = tablesOf(db);
  await db
    .update(workflowBlockers)
    .set({ resolvedAt: at })
    .where(
      and(
        eq(workflowBlockers.workflowId, workflowId),
        eq(workflowBlockers.itemId, itemId),
        eq(workflowBlockers.code, SUPPORT_NEEDS_ATTENTION),
        isNull(workflowBlockers.resolvedAt),
      ),
    );
}
