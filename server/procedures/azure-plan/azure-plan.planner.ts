import { type BlockerCode } from '../../shared/error-codes.js';
import { randomUUID } from 'node:crypto';
import { getProductUpgradeEligibility } from '../../partner-center/azure-plan.operations.js';
import { type PartnerCenterClient } from '../../partner-center/client.js';
import { type PcCustomer } from '../../partner-center/contracts/customers.js';
import { type PcSubscription } from '../../partner-center/contracts/subscriptions.js';
import { PartnerCenterError } from '../../partner-center/errors.js';
import { mapProductFamily, realDate } from '../../partner-center/mapping.js';
import { ProductFamily } from '../../shared/enums.js';
import {
  type NewBlocker,
  type NewEvent,
  type NewItem,
} from '../../workflows/engine/engine.types.js';
import {
  AZURE_MAPPING,
  AZURE_PLAN,
  BLOCKER,
  TRANSITION,
  blockerCodeOf,
  reasonCode,
  type MappingItemData,
  type PlanItemData,
  type TransitionItemData,
} from './azure-plan.model.js';

export interface AzurePlanPlanRequest {
  client: PartnerCenterClient;
  partnerKind: string;
  customerTenantId: string;
  /** The customer as read by the service (null: no relationship with this partner tenant). */
  customer: PcCustomer | null;
  /** Another started transition of the organization already moves this customer. */
  alreadyRunning: boolean;
  /** The R-CON-7 refusal when the tenant is the source of a consolidation of this customer. */
  consolidatedAway: { message: string } | null;
}

export interface AzurePlanPlan {
  items: NewItem[];
  blockers: NewBlocker[];
  events: NewEvent[];
}

const isLegacyAzure = (s: PcSubscription) =>
  mapProductFamily(s.offerId, s.offerName) === ProductFamily.AZURE_LEGACY;
const isAzurePlan = (s: PcSubscription) =>
  mapProductFamily(s.offerId, s.offerName) === ProductFamily.AZURE_PLAN;

/** A legacy subscription already moved by an earlier product upgrade (Partner Center's reason). */
const alreadyUpgraded = (s: PcSubscription) => {
  const reasons: unknown = (s as { suspensionReasons?: unknown }).suspensionReasons;
  return (
    s.status === 'suspended' &&
    Array.isArray(reasons) &&
    reasons.some((r) => typeof r === 'string' && /upgrade|migrat/i.test(r))
  );
};

/**
 * The dry run of an Azure plan transition: checks the reseller relationship and the MCA (R-AZP-1/2)
 * and Partner Center's eligibility, inventories the customer's 0145P subscriptions (non-Azure offers
 * are ignored, R-AZP-1) and computes the plans to buy, one per customer for a direct partner and one
 * per reseller of record for an indirect provider (R-AZP-3), with the entitlements each receives.
 * Reads only; changes nothing in Partner Center.
 */
export async function planAzurePlanTransition(
  request: AzurePlanPlanRequest,
): Promise<AzurePlanPlan> {
  const { client, customer, customerTenantId } = request;
  const blockers: NewBlocker[] = [];
  const events: NewEvent[] = [];
  // Blockers of this procedure stop the whole workflow: one customer is the unit, and Partner
  // Center refuses the product upgrade outright (it never moves part of a customer).
  const block = (code: BlockerCode, message: string) => {
    if (!blockers.some((b) => b.code === code)) {
      blockers.push({ code, message });
    }
  };

  if (!customer || customer.relationshipToPartner?.toLowerCase() !== 'reseller') {
    // R-AZP-2: the single precondition is a reseller relationship (and the MCA).
    block(
      BLOCKER.NO_RELATIONSHIP,
      customer
        ? `${customer.companyProfile.companyName} has a ${customer.relationshipToPartner ?? 'unknown'} relationship with this partner tenant, not a reseller one (R-AZP-2).`
        : `Customer ${customerTenantId} has no reseller relationship with this partner tenant (R-AZP-2).`,
    );
    return { items: [], blockers, events };
  }
  const name = customer.companyProfile.companyName;
  const country =
    customer.billingProfile?.defaultAddress?.country ??
    customer.companyProfile.address?.country ??
    null;

  const [agreements, subscriptions, eligibility] = await Promise.all([
    client.listCustomerAgreements(customerTenantId, 'MicrosoftCustomerAgreement'),
    client.listSubscriptions(customerTenantId),
    getProductUpgradeEligibility(client, customerTenantId).catch((error: unknown) => {
      // Partner Center answers an ineligible customer with an error on some paths: a blocker too.
      if (error instanceof PartnerCenterError && !error.retryable) {
        return {
          isEligible: false,
          reason: `${error.code}: ${error.description}`,
          upgradeId: null,
        };
      }
      throw error;
    }),
  ]);

  if (!agreements.some((a) => a.type.toLowerCase() === 'microsoftcustomeragreement')) {
    block(
      BLOCKER.NO_MCA,
      `${name} has not signed the Microsoft Customer Agreement; the Azure plan requires it (R-AZP-1).`,
    );
  }
  if (request.consolidatedAway) {
    // R-CON-7: nothing new is bought for this customer from a tenant it is consolidated away from;
    // the Azure plans belong under the target tenant.
    block(BLOCKER.SOURCE_OF_CONSOLIDATION, request.consolidatedAway.message);
  }
  if (request.alreadyRunning) {
    block(
      BLOCKER.TRANSITION_IN_PROGRESS,
      `Another Azure plan transition of your organization is already running for ${name} (Partner Center 900109).`,
    );
  }

  const legacy = subscriptions.filter(
    (s) => isLegacyAzure(s) && s.status !== 'deleted' && !alreadyUpgraded(s),
  );
  const ignored = subscriptions.filter((s) => !isLegacyAzure(s) && !isAzurePlan(s));
  if (legacy.length === 0) {
    block(
      BLOCKER.NO_LEGACY_AZURE,
      `${name} has no legacy Azure (MS-AZR-0145P) subscription to transition (Partner Center 900108).`,
    );
  }
  const suspended = legacy.filter((s) => s.status !== 'active');
  if (suspended.length > 0) {
    block(
      BLOCKER.SUSPENDED_AZURE_SUBSCRIPTION,
      `${name} has ${suspended.length} suspended Microsoft Azure subscription(s) (${suspended.map((s) => s.id).join(', ')}); Partner Center refuses the transition until they are reactivated or cancelled (900105).`,
    );
  }
  if (!eligibility.isEligible) {
    const code = reasonCode(eligibility.reason);
    const mapped = eligibility.upgradeId ? BLOCKER.TRANSITION_IN_PROGRESS : blockerCodeOf(code);
    block(
      mapped,
      mapped === BLOCKER.TRANSITION_IN_PROGRESS
        ? `A product upgrade${eligibility.upgradeId ? ` (${eligibility.upgradeId})` : ''} is already in progress for ${name} (Partner Center 900109).`
        : `Partner Center says ${name} is not eligible for the Azure plan: ${eligibility.reason ?? 'no reason given'}.`,
    );
  }

  const transitionId = randomUUID();
  const direct = request.partnerKind !== 'indirect_provider';
  // R-AZP-3: one plan per customer (direct), one per reseller of record (indirect).
  const planKeys = new Map<string, { resellerMpnId: string | null; subs: PcSubscription[] }>();
  for (const sub of legacy) {
    const reseller = direct ? null : sub.partnerId || null;
    const key = reseller ?? '';
    const entry = planKeys.get(key) ?? { resellerMpnId: reseller, subs: [] };
    entry.subs.push(sub);
    planKeys.set(key, entry);
  }

  const transitionData: TransitionItemData = {
    companyName: name,
    domain: customer.companyProfile.domain,
    country,
  };
  const items: NewItem[] = [
    {
      id: transitionId,
      kind: TRANSITION,
      state: 'PLANNED',
      step: 'check',
      // Runnable once the workflow starts; the runner only looks at RUNNING/WAITING workflows.
      nextRunAt: '1970-01-01T00:00:00.000Z',
      customerTenantId,
      partnerTenantId: client.partnerTenantId,
      subject: null,
      data: transitionData as unknown as Record<string, unknown>,
    },
  ];
  for (const { resellerMpnId, subs } of [...planKeys.values()].sort((a, b) =>
    (a.resellerMpnId ?? '').localeCompare(b.resellerMpnId ?? ''),
  )) {
    const plan: PlanItemData = {
      companyName: name,
      resellerMpnId,
      commerceSubscriptionIds: subs.map((s) => s.id),
    };
    items.push({
      id: randomUUID(),
      kind: AZURE_PLAN,
      state: 'PLANNED',
      step: 'await_plan',
      nextRunAt: null,
      parentItemId: transitionId,
      customerTenantId,
      partnerTenantId: client.partnerTenantId,
      subject: `plan:${resellerMpnId ?? 'direct'}`,
      data: plan as unknown as Record<string, unknown>,
    });
    for (const sub of subs) {
      const mapping: MappingItemData = {
        companyName: name,
        commerceSubscriptionId: sub.id,
        // R-AZP-8: equal to the commerce id at purchase; different after a transfer.
        azureSubscriptionId: sub.entitlementId ?? sub.id,
        resellerMpnId: sub.partnerId || null,
        planResellerMpnId: resellerMpnId,
        friendlyName: sub.friendlyName ?? null,
        status: sub.status,
        creationDate: sub.creationDate ?? null,
        commitmentEndDate: realDate(sub.commitmentEndDate)?.toISOString() ?? null,
      };
      items.push({
        id: randomUUID(),
        kind: AZURE_MAPPING,
        state: 'PLANNED',
        step: 'track',
        nextRunAt: null,
        parentItemId: transitionId,
        customerTenantId,
        partnerTenantId: client.partnerTenantId,
        subject: sub.id,
        data: mapping as unknown as Record<string, unknown>,
      });
    }
  }
  events.push({
    type: 'PLANNED',
    message: `${name}: ${legacy.length} legacy Azure subscription(s) to map onto ${planKeys.size} Azure plan(s)${direct ? '' : ' (one per reseller of record)'}; ${ignored.length} non-Azure subscription(s) ignored (R-AZP-1).`,
    customerTenantId,
    partnerTenantId: client.partnerTenantId,
    data: { legacy: legacy.length, plans: planKeys.size, ignored: ignored.length },
  });
  return { items, blockers, events };
}
