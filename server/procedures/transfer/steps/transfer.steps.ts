import { type ArmClientFactory } from '../../../azure-rm/arm.client.js';
import { type GdapClientFactory } from '../../../graph/gdap.client.js';
import { type PartnerCenterClientFactory } from '../../../partner-center/client-factory.js';
import { type EngineDb } from '../../../workflows/engine/db.types.js';
import { type WorkflowDefinition } from '../../../workflows/engine/step-context.js';
import { type AdminAgentsGroupLookup } from '../admin-agents.js';
import { type BusinessCalendarOptions } from '../business-hours.js';
import { cleanupSteps } from './cleanup.steps.js';
import { formSteps } from './form.steps.js';
import { incomingTransferSteps } from './incoming-transfer.steps.js';
import { transferGdapSteps } from './gdap.steps.js';
import { p2pTransferSteps } from './p2p-transfer.steps.js';
import { supportSteps } from './support.steps.js';
import { ticketClosureSweep } from './ticket-closure.sweep.js';
import { ticketSteps } from './ticket.steps.js';

export { formFileName } from './common.js';

export interface TransferDeps {
  db: EngineDb;
  clients: PartnerCenterClientFactory;
  arm: ArmClientFactory;
  /** Microsoft Graph (the new partner's GDAP step, issue 15 item 2). */
  graph?: GdapClientFactory;
  /** Absolute base URL of this API: the attached form's file link. */
  publicUrl: string;
  /** Support's calendar (R-TRF-7): public holidays of the partner's country, overrides. */
  calendar?: BusinessCalendarOptions;
  /** R-TRF-7: business hours support has to answer (default 8). */
  responseBusinessHours?: number;
  /** Recheck of the ticket and of a manual clean-up (business time). */
  recheckMs?: number;
  /** Fallback recheck while waiting for signatures (signing wakes the item at once). */
  signatureRecheckMs?: number;
  /** Replies to "attention needed" before a person has to look (blocker). */
  maxReplies?: number;
  /** Admin Agents group of a partner tenant, from the partner directory (R-TRF-8). */
  adminAgentsGroupOf?: AdminAgentsGroupLookup;
}

/**
 * The transfer's steps (R-TRF-3..8), one file per phase (ticket, form, support, clean-up), and
 * the sweep that closes a canceled transfer's ticket. Every Partner Center and ARM write is
 * journalled.
 */
export function transferDefinition(deps: TransferDeps): WorkflowDefinition {
  const stepDeps = {
    db: deps.db,
    clients: deps.clients,
    arm: deps.arm,
    publicUrl: deps.publicUrl,
    ...(deps.calendar ? { calendar: deps.calendar } : {}),
    ...(deps.adminAgentsGroupOf ? { adminAgentsGroupOf: deps.adminAgentsGroupOf } : {}),
    recheckMs: deps.recheckMs ?? 60 * 60_000,
    signatureRecheckMs: deps.signatureRecheckMs ?? 6 * 60 * 60_000,
    maxReplies: deps.maxReplies ?? 3,
    responseHours: deps.responseBusinessHours ?? 8,
  };
  return {
    kind: 'SUBSCRIPTION_TRANSFER',
    sweep: ticketClosureSweep(deps.db, deps.clients),
    steps: {
      ...ticketSteps(stepDeps),
      ...formSteps(stepDeps),
      ...supportSteps(stepDeps),
      ...cleanupSteps(stepDeps),
      ...(deps.graph ? transferGdapSteps({ graph: deps.graph }) : {}),
      ...p2pTransferSteps(stepDeps),
      ...incomingTransferSteps(stepDeps),
    },
  };
}
