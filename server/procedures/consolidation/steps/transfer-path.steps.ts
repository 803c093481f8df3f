import { type StepHandler } from '../../../workflows/engine/step-context.js';
import { azurePlanUpgradeSteps } from './azure-plan-upgrade.steps.js';
import { type ConsolidationStepDeps } from './common.js';
import { subscriptionTransferSteps } from './subscription-transfer.steps.js';
import { transferRequestSteps } from './transfer-request.steps.js';

/**
 * The consolidation's transfer path (issue 15): TRANSFER_REQUEST per customer and source tenant,
 * SUBSCRIPTION_TRANSFER per subscription, AZURE_PLAN_UPGRADE when legacy Azure goes to the Azure
 * plan first. Step names are unique across the consolidation's item kinds.
 */
export function transferPathSteps(deps: ConsolidationStepDeps): Record<string, StepHandler> {
  return {
    ...transferRequestSteps(deps),
    ...subscriptionTransferSteps(deps),
    ...azurePlanUpgradeSteps(deps),
  };
}
