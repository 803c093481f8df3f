import { type GdapClientFactory } from '../../../graph/gdap.client.js';
import { type PartnerCenterClientFactory } from '../../../partner-center/client-factory.js';
import { type EngineDb } from '../../../workflows/engine/db.types.js';
import { type WorkflowDefinition } from '../../../workflows/engine/step-context.js';
import {
  DEFAULT_INVITATION_POLICY,
  type InvitationPolicy,
  withInvitationFollowUp,
} from '../../shared/invitation-follow-up.js';
import { consolidationInvitationSpec } from '../consolidation-invitations.js';
import { azureSupportMigrationSteps } from './azure-support-migration.steps.js';
import { customerSteps } from './customer.steps.js';
import { consolidationGdapSteps } from './gdap.steps.js';
import { licenseReprovisionSteps } from './license-reprovision.steps.js';
import { overlapSweep } from './overlap.sweep.js';
import { ConsolidationReads, type ConsolidationReadsOptions } from './shared-reads.js';
import { supportRequestSteps } from './support-request.steps.js';
import { transferIntegritySweep, type TransferWatchPolicy } from './transfer-integrity.sweep.js';
import { transferPathSteps } from './transfer-path.steps.js';

export { overlapDays } from './common.js';

export interface ConsolidationDeps {
  db: EngineDb;
  clients: PartnerCenterClientFactory;
  /** Microsoft Graph (the GDAP step, issue 15 item 2). */
  graph?: GdapClientFactory;
  /** Fallback recheck for items that other items wake (business time). */
  wakeFallbackMs?: number;
  /** Recheck of a target subscription still provisioning (business time). */
  provisioningRecheckMs?: number;
  /** First completion check of an accepted transfer (CONSOLIDATION_TRANSFER_FIRST_CHECK). */
  transferFirstCheckMs?: number;
  /** Reminders and validity of the customers' invitations (R-CON-2). */
  invitations?: Partial<InvitationPolicy>;
  /** The per-run read cache's settings (batching window, age, size). */
  reads?: ConsolidationReadsOptions;
  /** How the transfer-integrity sweep watches transferred subscriptions (CONSOLIDATION_TRANSFER_*). */
  transferWatch?: Partial<TransferWatchPolicy>;
}

/**
 * The consolidation's steps (R-CON-2..8), one file per item kind, and its sweeps: R-CON-4 for
 * re-provisioned items, the transfer path's invariants for transferred ones (issue 15). Every
 * Partner Center write is journalled.
 */
export function consolidationDefinition(deps: ConsolidationDeps): WorkflowDefinition {
  const stepDeps = {
    db: deps.db,
    clients: deps.clients,
    graph: deps.graph,
    reads: new ConsolidationReads(deps.clients, deps.reads),
    wakeFallbackMs: deps.wakeFallbackMs ?? 60 * 60_000,
    provisioningRecheckMs: deps.provisioningRecheckMs ?? 2 * 60_000,
    ...(deps.transferFirstCheckMs !== undefined
      ? { transferFirstCheckMs: deps.transferFirstCheckMs }
      : {}),
  };
  const customer = customerSteps(stepDeps);
  const transferSweep = transferIntegritySweep({
    clients: deps.clients,
    ...(deps.transferWatch ? { policy: deps.transferWatch } : {}),
  });
  return {
    kind: 'TENANT_CONSOLIDATION',
    sweep: async (ctx) => [...(await overlapSweep(ctx)), ...(await transferSweep(ctx))],
    steps: {
      ...customer,
      // Reminders, validity and the expiry blocker while the customer has not accepted.
      await_acceptance: withInvitationFollowUp(
        customer.await_acceptance as NonNullable<typeof customer.await_acceptance>,
        consolidationInvitationSpec,
        { ...DEFAULT_INVITATION_POLICY, ...deps.invitations },
      ),
      ...licenseReprovisionSteps(stepDeps),
      ...azureSupportMigrationSteps({ ...stepDeps, db: deps.db }),
      ...supportRequestSteps(stepDeps),
      ...(deps.graph ? consolidationGdapSteps({ graph: deps.graph }) : {}),
      ...transferPathSteps(stepDeps),
    },
  };
}
