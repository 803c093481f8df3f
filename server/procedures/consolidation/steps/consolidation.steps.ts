import { type PartnerCenterClientFactory } from '../../../partner-center/client-factory.js';
import { type EngineDb } from '../../../workflows/engine/db.types.js';
import { type WorkflowDefinition } from '../../../workflows/engine/step-context.js';
import { azureSupportMigrationSteps } from './azure-support-migration.steps.js';
import { customerSteps } from './customer.steps.js';
import { licenseReprovisionSteps } from './license-reprovision.steps.js';
import { overlapSweep } from './overlap.sweep.js';
import { ConsolidationReads, type ConsolidationReadsOptions } from './shared-reads.js';
import { supportRequestSteps } from './support-request.steps.js';

export { overlapDays } from './common.js';

export interface ConsolidationDeps {
  db: EngineDb;
  clients: PartnerCenterClientFactory;
  /** Fallback recheck for items that other items wake (business time). */
  wakeFallbackMs?: number;
  /** Recheck of a target subscription still provisioning (business time). */
  provisioningRecheckMs?: number;
  /** The per-run read cache's settings (batching window, age, size). */
  reads?: ConsolidationReadsOptions;
}

/**
 * The consolidation's steps (R-CON-2..8), one file per item kind, and its R-CON-4 sweep. Every
 * Partner Center write is journalled.
 */
export function consolidationDefinition(deps: ConsolidationDeps): WorkflowDefinition {
  const stepDeps = {
    db: deps.db,
    clients: deps.clients,
    reads: new ConsolidationReads(deps.clients, deps.reads),
    wakeFallbackMs: deps.wakeFallbackMs ?? 60 * 60_000,
    provisioningRecheckMs: deps.provisioningRecheckMs ?? 2 * 60_000,
  };
  return {
    kind: 'TENANT_CONSOLIDATION',
    sweep: overlapSweep,
    steps: {
      ...customerSteps(stepDeps),
      ...licenseReprovisionSteps(stepDeps),
      ...azureSupportMigrationSteps(stepDeps),
      ...supportRequestSteps(stepDeps),
    },
  };
}
