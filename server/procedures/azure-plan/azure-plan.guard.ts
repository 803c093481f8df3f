import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';
import * as repo from '../../workflows/engine/workflow.repository.js';
import { err, ok, type Result } from '../../shared/result.js';
import { TRANSITION } from './azure-plan.model.js';
import { transitionsOfCustomer } from './azure-plan.repository.js';

/**
 * Refuses to start a transition while another of the organization runs for the same customer:
 * Partner Center would answer the second product upgrade with 900109.
 */
export function azurePlanStartGuard(db: EngineDb) {
  return async (row: WorkflowRow): Promise<Result<void>> => {
    const mine = (await repo.listItems(db, row.id)).find((i) => i.kind === TRANSITION);
    if (!mine?.customerTenantId) {
      return ok(undefined);
    }
    const running = (
      await transitionsOfCustomer(db, row.organizationId, mine.customerTenantId, [
        'RUNNING',
        'WAITING',
      ])
    ).filter((w) => w.id !== row.id);
    return running.length === 0
      ? ok(undefined)
      : err({
          code: 'TRANSITION_IN_PROGRESS',
          message: `Another Azure plan transition (${running[0]?.id}) is already running for this customer (Partner Center 900109).`,
          field: ['input', 'id'],
        });
  };
}
