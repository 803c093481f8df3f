import { type ProductOperation } from '../../../shared/activity-operations.js';
import {
  OWNER_ROLE_DEFINITION_GUID,
  type ArmClientFactory,
  type ArmRoleAssignment,
} from '../../../azure-rm/arm.client.js';
import { type PartnerCenterClientFactory } from '../../../partner-center/client-factory.js';
import { PartnerCenterError } from '../../../partner-center/errors.js';
import { type EngineDb } from '../../../workflows/engine/db.types.js';
import { type StepContext, stepsOf } from '../../../workflows/engine/step-context.js';
import { type AdminAgentsGroupLookup } from '../admin-agents.js';
import { type BusinessCalendarOptions } from '../business-hours.js';
import { type RoleAssignmentRef, type TransferData } from '../transfer.model.js';

/** What the transfer's steps use besides their context (defaults applied). */
export interface TransferStepDeps {
  db: EngineDb;
  clients: PartnerCenterClientFactory;
  arm: ArmClientFactory;
  /** Absolute base URL of this API: the attached form's file link. */
  publicUrl: string;
  /** Support's calendar (R-TRF-7): public holidays of the partner's country, overrides. */
  calendar?: BusinessCalendarOptions;
  /** R-TRF-7: business hours support has to answer. */
  responseHours: number;
  /** Recheck of the ticket and of a manual clean-up (business time). */
  recheckMs: number;
  /** Fallback recheck while waiting for signatures (signing wakes the item at once). */
  signatureRecheckMs: number;
  /** Replies to "attention needed" before a person has to look (blocker). */
  maxReplies: number;
  /** Admin Agents group of a partner tenant, from the partner directory (R-TRF-8). */
  adminAgentsGroupOf?: AdminAgentsGroupLookup;
}

/** The transfer's step handlers: typed workflow data and item data. */
export const step = stepsOf<TransferData>();

export const FOREIGN_GROUP = /^foreigngroup$/i;
// Support's notes carry its name; a partner's notes carry the user's UPN (emulator and portal alike).
export const SUPPORT_AUTHOR = /^microsoft\b|\bsupport\b/i;

export const toRef = (a: ArmRoleAssignment): RoleAssignmentRef => ({
  id: a.id,
  name: a.name,
  principalId: a.properties.principalId,
  principalType: a.properties.principalType ?? null,
  roleDefinitionId: a.properties.roleDefinitionId,
});

export const tagOf = (workflowId: string) => `[csp-migrations transfer ${workflowId.slice(0, 8)}]`;
export const formFileName = (workflowId: string) =>
  `CSP-Subscription-Transfer-Form-${workflowId.slice(0, 8)}.pdf`;

export const isOwnerRole = (roleDefinitionId: string) =>
  roleDefinitionId.toLowerCase().endsWith(`/${OWNER_ROLE_DEFINITION_GUID}`);

export function isDenied(error: unknown): boolean {
  return error instanceof PartnerCenterError && (error.status === 403 || error.status === 401);
}

export const pdfUrl = (
  deps: Pick<TransferStepDeps, 'publicUrl'>,
  ctx: StepContext<TransferData, unknown>,
) => `${deps.publicUrl.replace(/\/+$/, '')}/transfer-forms/${ctx.workflow.id}.pdf`;

/** An activity entry of a step: written once per item and `what`, for the transferred subscription. */
export function logActivity<I>(
  ctx: StepContext<TransferData, I>,
  entry: {
    operation: ProductOperation;
    details: string;
    what: string;
    tenantId?: string;
    subscriptionId?: string;
  },
): Promise<void> {
  const data = ctx.workflowData;
  return ctx.activity.record({
    operation: entry.operation,
    details: entry.details,
    partnerTenantId: entry.tenantId ?? data.currentPartner.tenantId,
    customerTenantId: data.customer.tenantId,
    customerName: data.customer.companyName,
    subscriptionId: entry.subscriptionId ?? data.subscription.subscriptionId,
    externalId: `wf:${ctx.item.id}:${entry.what}`,
  });
}
