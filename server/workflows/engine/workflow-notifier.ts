import { type EngineDb } from './db.types.js';
import { type WorkflowRow } from './engine.types.js';
import { viewerOrganizations } from './workflow-viewers.repository.js';

/** Tells `workflowUpdated` subscribers that a workflow changed. */
export interface WorkflowNotifier {
  notify(workflow: WorkflowRow): void;
}

/**
 * Publishes a change to the owner's organization and to every organization the workflow is
 * shared with read-only (the incoming side of a transfer).
 */
export function createWorkflowNotifier(deps: {
  db: EngineDb;
  /** The workflow's public (global) id. */
  globalId: (workflow: Pick<WorkflowRow, 'id' | 'kind'>) => string;
  publish: (event: { id: string; organizationId: string }) => void;
  onError: (error: unknown) => void;
}): WorkflowNotifier {
  return {
    notify(workflow) {
      const id = deps.globalId(workflow);
      deps.publish({ id, organizationId: workflow.organizationId });
      void viewerOrganizations(deps.db, workflow.id).then((viewers) => {
        for (const organizationId of viewers) {
          deps.publish({ id, organizationId });
        }
      }, deps.onError);
    },
  };
}

/** A notifier that tells no one (services built without subscribers). */
export const silentNotifier: WorkflowNotifier = { notify() {} };
