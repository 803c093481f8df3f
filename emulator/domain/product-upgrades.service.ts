import { AZURE_PLAN_OFFER_ID } from '../core/catalog.js';
import { addDuration } from '../core/duration.js';
import type {
  CustomerRecord,
  PartnerTenantRecord,
  ProductUpgradeRecord,
  SubscriptionRecord,
} from '../core/model.js';
import type { Actor, EmulatorRuntime } from '../core/runtime.js';
import { PcHttpError } from '../http/responses.js';
import { createSubscriptionRecords } from '../scenarios/build-scenario.js';
import { hasSignedMca } from './access.js';
import { writeAudit } from './audit.js';

/**
 * Azure plan transition through product upgrades (partner-center-api.md §9a; R-AZP-1..9).
 * Preconditions: reseller relationship (403/20002, checked by the caller), MCA (403/13605),
 * at least one MS-AZR-0145P subscription (403/900108), none suspended (403/900105), no upgrade
 * already running (409/900109). Plans: one per customer for a direct partner, one per reseller
 * of record for an indirect provider (R-AZP-3). On completion each Azure subscription is
 * re-parented to its plan and the 0145P commerce subscription is suspended (R-AZP-8).
 */
function legacyOf(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  customer: CustomerRecord,
): SubscriptionRecord[] {
  return rt.store
    .subscriptionsOf(tenant.tenantId, customer.tenantId)
    .filter(
      (s) =>
        s.kind === 'azure_legacy' &&
        s.status !== 'deleted' &&
        !s.suspensionReasons.some(
          (r) => r === 'ProductUpgrade' || r === 'Migrated' || r === 'Transferred',
        ),
    );
}

export function runningUpgrade(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  customer: CustomerRecord,
): ProductUpgradeRecord | undefined {
  return [...rt.store.productUpgrades.values()].find(
    (u) =>
      u.partnerTenantId === tenant.tenantId &&
      u.customerTenantId === customer.tenantId &&
      u.status === 'InProgress',
  );
}

export function upgradeBlocker(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  customer: CustomerRecord,
): PcHttpError | undefined {
  const running = runningUpgrade(rt, tenant, customer);
  if (running) {
    return new PcHttpError(
      409,
      900109,
      `An Azure plan upgrade (${running.id}) is already in progress for this customer.`,
    );
  }
  if (!hasSignedMca(rt, customer)) {
    rt.hooks.mcaNeeded(customer);
    return new PcHttpError(
      403,
      13605,
      'The customer must accept the Microsoft Customer Agreement before moving to the Azure plan.',
    );
  }
  const legacy = legacyOf(rt, tenant, customer);
  if (legacy.length === 0) {
    return new PcHttpError(
      403,
      900108,
      'The customer has no Azure subscriptions (MS-AZR-0145P) to upgrade.',
    );
  }
  if (legacy.some((s) => s.status !== 'active')) {
    return new PcHttpError(
      403,
      900105,
      'The customer has suspended Azure subscriptions, which block the transition to the Azure plan.',
    );
  }
  return undefined;
}

export function startUpgrade(
  rt: EmulatorRuntime,
  actor: Actor,
  tenant: PartnerTenantRecord,
  customer: CustomerRecord,
  productFamily: string,
): ProductUpgradeRecord {
  const blocker = upgradeBlocker(rt, tenant, customer);
  if (blocker) {
    throw blocker;
  }
  const offer = rt.catalog.find(AZURE_PLAN_OFFER_ID);
  if (!offer) {
    throw new Error('Azure plan offer missing from the catalog');
  }
  const now = rt.now();
  const plans = new Map<string, SubscriptionRecord>();
  const planFor = (partnerId: string | null): SubscriptionRecord => {
    const key = partnerId ?? '';
    const known = plans.get(key);
    if (known) {
      return known;
    }
    const existing = rt.store
      .subscriptionsOf(tenant.tenantId, customer.tenantId)
      .find(
        (s) => s.kind === 'azure_plan' && s.status !== 'deleted' && (s.partnerId ?? '') === key,
      );
    const plan =
      existing ??
      createSubscriptionRecords(rt.store, {
        partner: tenant,
        customer,
        offer,
        quantity: 1,
        status: 'pending',
        partnerId,
        friendlyName: partnerId
          ? `Microsoft Azure plan (${rt.store.partnersByMpn.get(partnerId)?.name ?? partnerId})`
          : 'Microsoft Azure plan',
        id: undefined,
        entitlementId: undefined,
        billingCycle: 'one_time',
        created: now,
        now,
        orderId: undefined,
        createUsageSubscription: false,
        orderTransactionType: 'SystemPurchase',
      });
    if (!existing) {
      writeAudit(rt, {
        actor,
        customer,
        resourceType: 'order',
        operationType: 'create_order',
        newValue: { offerId: offer.id, subscriptionId: plan.id, partnerIdOnRecord: partnerId },
        customizedData: {
          OrderId: plan.orderId,
          'OfferId-0': offer.id,
          'SubscriptionId-0': plan.id,
          'Quantity-0': '1',
          'PartnerOnRecord-0': partnerId ?? '',
        },
      });
    }
    plans.set(key, plan);
    return plan;
  };
  const lineItems = legacyOf(rt, tenant, customer).map((s) => ({
    sourceSubscriptionId: s.id,
    azureSubscriptionId: s.entitlementId ?? s.id,
    // Direct partners get one plan; indirect providers one per reseller of record (R-AZP-3).
    targetSubscriptionId: planFor(tenant.kind === 'indirect_provider' ? s.partnerId : null).id,
    upgradedDate: null,
    status: 'InProgress' as const,
  }));
  const upgrade: ProductUpgradeRecord = {
    id: rt.newId(),
    partnerTenantId: tenant.tenantId,
    customerTenantId: customer.tenantId,
    productFamily: productFamily.toLowerCase(),
    status: 'InProgress',
    createdAt: now.toISOString(),
    completesAt: addDuration(now, rt.store.autopilot.productUpgrade).toISOString(),
    lineItems,
  };
  rt.store.addProductUpgrade(upgrade);
  rt.schedule('product_upgrade.complete', { upgradeId: upgrade.id }, new Date(upgrade.completesAt));
  return upgrade;
}

/** Completion: re-parent each Azure subscription to its plan and suspend the 0145P subscription. */
export function completeUpgrade(rt: EmulatorRuntime, upgradeId: string): void {
  const upgrade = rt.store.productUpgrades.get(upgradeId);
  if (!upgrade || upgrade.status !== 'InProgress') {
    return;
  }
  const customer = rt.store.customers.get(upgrade.customerTenantId);
  const now = rt.nowIso();
  const actor = {
    partnerTenantId: upgrade.partnerTenantId,
    userPrincipalName: 'system@microsoft.com',
    applicationId: 'Partner Center',
    correlationId: rt.newId(),
  };
  for (const li of upgrade.lineItems) {
    const source = rt.store.subscriptions.get(li.sourceSubscriptionId);
    const plan = rt.store.subscriptions.get(li.targetSubscriptionId);
    if (!source || !plan) {
      li.status = 'Failed';
      continue;
    }
    if (plan.status === 'pending') {
      plan.status = 'active';
      plan.etag = rt.newEtag();
    }
    for (const l of rt.store.linksBySubscription.get(source.id) ?? []) {
      l.status = 'suspended';
    }
    rt.store.addEntitlementLink({
      azureSubscriptionId: li.azureSubscriptionId,
      subscriptionId: plan.id,
      status: 'active',
      linkedAt: now,
    });
    source.status = 'suspended';
    source.suspensionReasons = ['ProductUpgrade'];
    source.etag = rt.newEtag();
    li.status = 'Completed';
    li.upgradedDate = now;
    writeAudit(rt, {
      actor,
      customer: customer ?? null,
      resourceType: 'subscription',
      operationType: 'upgrade_subscription',
      oldValue: { id: source.id, status: 'active' },
      newValue: {
        id: source.id,
        status: 'suspended',
        azureSubscriptionId: li.azureSubscriptionId,
        azurePlanSubscriptionId: plan.id,
      },
    });
  }
  upgrade.status = upgrade.lineItems.every((l) => l.status === 'Completed')
    ? 'Completed'
    : 'Failed';
  if (customer && upgrade.status === 'Completed') {
    customer.azurePlanTransitioned = true;
  }
}
