import { type Actor } from '../shared/actor.js';
import { err, ok, type Result } from '../shared/result.js';
import { type EngineDb } from './engine/db.types.js';
import { type WorkflowKind, type WorkflowRow } from './engine/engine.types.js';
import { getWorkflow } from './engine/workflow.repository.js';

/**
 * A workflow of one kind owned by the actor's organization, for exports and other owner-only
 * reads; anything else (absent, another kind, another organization's) is the same `NOT_FOUND`, so
 * ids of other organizations are never confirmed.
 */
export async function ownedWorkflowOfKind(
  db: EngineDb,
  actor: Actor,
  workflowRowId: string,
  kind: WorkflowKind,
  what: string,
): Promise<Result<WorkflowRow>> {
  const workflow = await getWorkflow(db, workflowRowId);
  if (!workflow || workflow.organizationId !== actor.organizationId || workflow.kind !== kind) {
    return err({
      code: 'NOT_FOUND',
      message: `No ${what} of your organization has this id.`,
      field: ['input', 'workflowId'],
    });
  }
  return ok(workflow);
}
