import { type BlockerCode } from '../../shared/error-codes.js';
import { randomUUID } from 'node:crypto';
import { consolidatedSourceRefusal } from '../shared/consolidated-source.guard.js';
import { type PcCustomer } from '../../partner-center/contracts/customers.js';
import { type PcSubscription } from '../../partner-center/contracts/subscriptions.js';
import { LEGACY_AZURE_OFFER_ID } from '../../partner-center/mapping.js';
import {
  listTransfers,
  OPEN_TRANSFER_STATUSES,
  transferStatus,
} from '../../partner-center/nce-transfer.operations.js';
import { checkServedNewPartner } from './new-partner-checks.js';
import { type TenantRecord } from '../../modules/organizations/organization.service.js';
import { type RequestScope } from '../../shared/request-scope.js';
import { ok, type Result } from '../../shared/result.js';
import { type NewBlocker } from '../../workflows/engine/engine.types.js';
import { type PlannedWorkflow } from '../../workflows/workflow.service.js';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type Contact, TRANSFER, type TransferData } from './transfer.model.js';
import * as repo from './transfer.repository.js';
import { currentPartner } from './transfer-partners.js';

/** What the Azure plan path reads of planSubscriptionTransfer's input (transfer.planner.ts). */
export interface AzurePlanTransferInput {
  newPartnerTenantId: string;
  newPartnerMpnId: string;
  customerRequestReceivedAt: Date;
  customerRequestReference?: string | null;
}

/**
 * Blocker codes no longer raised, kept because stored plans carry them (codes are never dropped):
 * before issue 15 an Azure plan was refused with AZURE_PLAN_NOT_SUPPORTED; it is transferred now.
 */
export const RETIRED_TRANSFER_BLOCKERS: readonly BlockerCode[] = ['AZURE_PLAN_NOT_SUPPORTED'];

/** The R-TRF-8 clean-up of one Azure subscription of a transferred Azure plan (step `cleanup`). */
export const ROLE_CLEANUP = 'ROLE_CLEANUP';

/**
 * planSubscriptionTransfer for an Azure plan (issue 15 item 3, partner-center-api.md §11): it
 * changes partner through a partner-to-partner transfer, not the support ticket and signed form
 * (those remain for legacy 0145P, R-TRF-3..7). The new partner creates the request (this server
 * does when it serves the new partner), we accept it as the current partner, Microsoft completes
 * it, then R-TRF-8's role-assignment clean-up runs on each Azure subscription of the plan.
 */
export async function planAzurePlanTransfer(
  deps: { db: EngineDb; clients: PartnerCenterClientFactory },
  scope: RequestScope,
  input: AzurePlanTransferInput,
  checked: { partnerTenantId: string; customerTenantId: string; admins: Contact[] },
  read: { current: TenantRecord; customer: PcCustomer; sub: PcSubscription },
): Promise<Result<PlannedWorkflow>> {
  const { db, clients } = deps;
  const { current, customer, sub } = read;
  const { partnerTenantId, customerTenantId, admins } = checked;
  const client = clients.forTenant(partnerTenantId);
  const newPartnerTenantId = input.newPartnerTenantId.toLowerCase();
  const name = customer.companyProfile.companyName;
  const blockers: NewBlocker[] = [];
  const block = (code: BlockerCode, message: string) => blockers.push({ code, message });
  const [subscriptions, entitlements, transfers] = await Promise.all([
    client.listSubscriptions(customerTenantId),
    client.listAzureEntitlements(customerTenantId, sub.id),
    listTransfers(client, customerTenantId),
  ]);
  if (sub.status.toLowerCase() !== 'active') {
    block(
      'SUBSCRIPTION_NOT_ACTIVE',
      `Subscription ${sub.id} is ${sub.status}; only an active Azure plan can be transferred.`,
    );
  }
  const legacy = subscriptions.filter(
    (s) => s.offerId.toUpperCase() === LEGACY_AZURE_OFFER_ID && s.status.toLowerCase() === 'active',
  );
  if (legacy.length > 0) {
    // §11: "This transfer request can't be initiated as the customer has legacy Azure
    // subscriptions" (900131): the Azure plan transition (planAzurePlanTransition) goes first.
    block(
      'LEGACY_AZURE_FIRST',
      `${name} still has ${legacy.length} legacy Azure (MS-AZR-0145P) subscription(s) (${legacy.map((s) => s.id).join(', ')}); Partner Center refuses an Azure transfer until they moved to the Azure plan (planAzurePlanTransition), or transfer them with the support ticket and signed form.`,
    );
  }
  const consolidated = await consolidatedSourceRefusal(db, {
    organizationId: scope.actor.organizationId,
    partner: current,
    customerTenantId,
    customerName: name,
    action: `transfer ${sub.offerName ?? sub.offerId} from ${current.name}`,
  });
  if (consolidated) {
    block(consolidated.code, consolidated.message);
  }
  const open = await repo.openTransfersOfSubscription(db, scope.actor.organizationId, sub.id);
  if (open.length > 0) {
    block(
      'TRANSFER_ALREADY_OPEN',
      `A transfer of subscription ${sub.id} is already open (${open.map((w) => `${w.id} ${w.status.toLowerCase()}`).join(', ')}).`,
    );
  }
  // Another partner's request still open is in the way (one open transfer at a time); one from
  // the new partner is the request we will accept.
  for (const t of transfers.filter((x) => OPEN_TRANSFER_STATUSES.has(transferStatus(x)))) {
    if (t.targetPartnerTenantId?.toLowerCase() !== newPartnerTenantId) {
      block(
        'TRANSFER_ALREADY_PENDING',
        `${name} has transfer ${t.id} (${t.status}) to partner ${t.targetPartnerTenantId ?? '?'} open; cancel or finish it first.`,
      );
    }
  }
  const served = await scope.loaders.organizations.tenantById.load(newPartnerTenantId);
  const pendingChecks: string[] = [];
  if (served) {
    // R-TRF-6: the new partner must already have a reseller relationship with the customer.
    await checkServedNewPartner({
      clients,
      served,
      newPartnerTenantId,
      newPartnerMpnId: input.newPartnerMpnId,
      customerTenantId,
      customerName: name,
      block,
    });
  } else {
    pendingChecks.push(
      `The new partner (tenant ${newPartnerTenantId}) is not served here: it creates the transfer request in Partner Center; it is accepted as soon as it appears.`,
    );
  }
  const country =
    customer.billingProfile?.defaultAddress?.country ??
    customer.companyProfile.address?.country ??
    null;
  const azureIds = entitlements.filter((e) => e.status.toLowerCase() === 'active').map((e) => e.id);
  const data: TransferData & { path: 'PARTNER_TRANSFER'; azureSubscriptionIds: string[] } = {
    path: 'PARTNER_TRANSFER',
    azureSubscriptionIds: azureIds,
    currentPartner: await currentPartner(deps, current, admins),
    customer: {
      tenantId: customerTenantId,
      companyName: name,
      domain: customer.companyProfile.domain,
      country,
    },
    subscription: {
      subscriptionId: sub.id,
      offerId: sub.offerId,
      offerName: sub.offerName ?? null,
      friendlyName: sub.friendlyName ?? null,
      azureSubscriptionId: azureIds[0] ?? sub.entitlementId ?? sub.id,
    },
    newPartner: {
      tenantId: newPartnerTenantId,
      mpnId: input.newPartnerMpnId,
      name: served?.name ?? null,
      country: served?.country ?? null,
      organizationId: served?.organizationId ?? null,
    },
    customerRequest: {
      receivedAt: input.customerRequestReceivedAt.toISOString(),
      reference: input.customerRequestReference?.trim() || null,
    },
    partnerAdmins: admins,
    pendingChecks,
  };
  const mainId = randomUUID();
  return ok({
    data: data as unknown as Record<string, unknown>,
    items: [
      {
        id: mainId,
        kind: TRANSFER,
        state: 'PLANNED',
        step: 'p2p_prepare',
        nextRunAt: '1970-01-01T00:00:00.000Z',
        customerTenantId,
        partnerTenantId,
        subject: sub.id,
        data: { companyName: name, domain: customer.companyProfile.domain, country },
      },
      // R-TRF-8 per Azure subscription of the plan, released once the transfer completed.
      ...azureIds.map((azureSubscriptionId) => ({
        id: randomUUID(),
        kind: ROLE_CLEANUP,
        state: 'PLANNED',
        step: 'p2p_cleanup_prepare',
        nextRunAt: null,
        parentItemId: mainId,
        customerTenantId,
        partnerTenantId,
        subject: azureSubscriptionId,
        data: { companyName: name, azureSubscriptionId },
      })),
    ],
    blockers,
    events: [
      {
        type: 'PLANNED',
        message: `Transfer of Azure plan ${sub.id} (${azureIds.length} Azure subscription(s)) of ${name} from ${current.name} to ${served?.name ?? `partner ${newPartnerTenantId}`} planned as a partner-to-partner transfer (§11), ${served ? 'created here as the new partner' : 'created by the new partner'} and accepted here.`,
        customerTenantId,
        partnerTenantId,
        subscriptionId: sub.id,
      },
      ...pendingChecks.map((message) => ({
        type: 'PENDING_CHECK' as const,
        message,
        customerTenantId,
      })),
    ],
  });
}
