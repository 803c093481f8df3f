import { type PartnerCenterClientFactory } from '../../../partner-center/client-factory.js';
import { type EngineDb } from '../../../workflows/engine/db.types.js';
import { type WorkflowDefinition } from '../../../workflows/engine/step-context.js';
import { azurePlanItemSteps } from './azure-plan-item.steps.js';
import { mappingSteps } from './mapping.steps.js';
import { transitionSteps } from './transition.steps.js';

export { REMINDER_EVENT } from './common.js';

export interface AzurePlanDeps {
  db: EngineDb;
  clients: PartnerCenterClientFactory;
  /** Recheck of a product upgrade line still in progress (business time). */
  upgradeRecheckMs?: number;
  /** Recheck of a mapping Partner Center does not show yet (business time). */
  verifyRecheckMs?: number;
  /** Verification rechecks before a mapping that never shows is reported as failed. */
  maxVerifyChecks?: number;
  /** Fallback recheck for items that other items wake (business time). */
  wakeFallbackMs?: number;
}

/**
 * The Azure plan transition's steps (R-AZP-1..9). The TRANSITION item checks eligibility, runs the
 * product upgrade (again for failed lines after a retry), sets the budget and reports; AZURE_PLAN
 * items follow the plans bought (R-AZP-3); AZURE_MAPPING items follow each 0145P subscription's
 * line and verify its mapping (R-AZP-4/8). Every Partner Center write is journalled.
 */
export function azurePlanDefinition(deps: AzurePlanDeps): WorkflowDefinition {
  const stepDeps = {
    db: deps.db,
    clients: deps.clients,
    upgradeRecheckMs: deps.upgradeRecheckMs ?? 5 * 60_000,
    verifyRecheckMs: deps.verifyRecheckMs ?? 5 * 60_000,
    maxVerifyChecks: deps.maxVerifyChecks ?? 24,
    wakeFallbackMs: deps.wakeFallbackMs ?? 60 * 60_000,
  };
  return {
    kind: 'AZURE_PLAN_TRANSITION',
    steps: {
      ...transitionSteps(stepDeps),
      ...azurePlanItemSteps(stepDeps),
      ...mappingSteps(stepDeps),
    },
  };
}
