import type { PartnerTenantRecord, SubscriptionRecord } from '../core/model.js';
import type { EmulatorRuntime } from '../core/runtime.js';
import { createSubscriptionRecords } from '../scenarios/build-scenario.js';
import { systemActor, writeAudit } from './audit.js';

/**
 * Microsoft support moves a legacy Azure (MS-AZR-0145P) subscription to another partner tenant
 * (consolidation, R-CON-6; transfer, R-TRF-7): the target gets a new Partner Center subscription
 * for the same Azure subscription (entitlement id unchanged, resources untouched); the source
 * subscription and its entitlement show `suspended`. Consolidation gives the target's Admin Agents
 * Owner (same organization); a transfer leaves role assignments as they are (R-TRF-8: the new
 * partner cleans up the old partner's access and adds its own).
 */
export function moveLegacyAzure(
  rt: EmulatorRuntime,
  source: SubscriptionRecord,
  target: PartnerTenantRecord,
  reason: 'Migrated' | 'Transferred',
): SubscriptionRecord {
  const customer = rt.store.customers.get(source.customerTenantId);
  const offer = rt.catalog.find(source.offerId);
  if (!customer || !offer || !source.entitlementId) {
    throw new Error(`Subscription ${source.id} is not a legacy Azure subscription`);
  }
  const sourcePartner = rt.store.partners.get(source.partnerTenantId);
  let partnerId: string | null = null;
  if (source.partnerId && target.kind === 'indirect_provider') {
    const reseller = rt.store.partnersByMpn.get(source.partnerId);
    if (reseller?.providerTenantIds.includes(target.tenantId)) {
      partnerId = reseller.mpnId;
    }
  }
  const oldLinks = rt.store.linksBySubscription.get(source.id) ?? [];
  const now = rt.now();
  const moved = createSubscriptionRecords(rt.store, {
    partner: target,
    customer,
    offer,
    quantity: source.quantity,
    status: 'active',
    partnerId,
    friendlyName: source.friendlyName,
    id: undefined,
    entitlementId: source.entitlementId,
    billingCycle: source.billingCycle,
    created: now,
    now,
    orderId: undefined,
    grantOwner: reason === 'Migrated',
    orderTransactionType: 'SystemPurchase',
  });
  moved.migratedFromSubscriptionId = source.id;
  for (const l of oldLinks) {
    l.status = 'suspended';
  }
  const before = source.status;
  source.status = 'suspended';
  source.suspensionReasons = [reason];
  source.etag = rt.newEtag();
  const correlationId = rt.newId();
  writeAudit(rt, {
    actor: systemActor(source.partnerTenantId, 'microsoft_support', correlationId),
    customer,
    resourceType: 'subscription',
    operationType: 'update_subscription',
    oldValue: { id: source.id, status: before },
    newValue: {
      id: source.id,
      status: 'suspended',
      suspensionReasons: [reason],
      movedTo: target.tenantId,
    },
  });
  writeAudit(rt, {
    actor: systemActor(target.tenantId, 'microsoft_support', correlationId),
    customer,
    resourceType: 'order',
    operationType: 'create_order',
    newValue: {
      subscriptionId: moved.id,
      entitlementId: moved.entitlementId,
      from: sourcePartner?.tenantId,
    },
    customizedData: {
      OrderId: moved.orderId,
      'OfferId-0': moved.offerId,
      'SubscriptionId-0': moved.id,
      'Quantity-0': '1',
      'PartnerOnRecord-0': partnerId ?? '',
    },
  });
  if (reason === 'Transferred') {
    for (const pid of [source.partnerTenantId, target.tenantId]) {
      writeAudit(rt, {
        actor: systemActor(pid, 'microsoft_support', correlationId),
        customer,
        resourceType: 'transfer',
        operationType: pid === target.tenantId ? 'create_transfer' : 'update_transfer',
        newValue: {
          sourcePartnerTenantId: source.partnerTenantId,
          targetPartnerTenantId: target.tenantId,
          subscriptionId: source.id,
          newSubscriptionId: moved.id,
          azureSubscriptionId: moved.entitlementId,
        },
      });
    }
  }
  return moved;
}

/**
 * Microsoft support moves an Azure plan to another tenant of the same organization (consolidation,
 * R-CON-6): the target gets an Azure plan of its own (no new usage subscription) and every Azure
 * subscription billed through the source plan is re-linked to it, resources untouched; the source
 * plan shows `suspended`. [U] Partner Center would use a new-commerce transfer here; the emulator
 * lets support do it so a consolidation ticket covers every usage-based subscription.
 */
export function moveAzurePlan(
  rt: EmulatorRuntime,
  source: SubscriptionRecord,
  target: PartnerTenantRecord,
): SubscriptionRecord {
  const customer = rt.store.customers.get(source.customerTenantId);
  const offer = rt.catalog.find(source.offerId);
  if (!customer || !offer || source.kind !== 'azure_plan') {
    throw new Error(`Subscription ${source.id} is not an Azure plan`);
  }
  const now = rt.now();
  const moved = createSubscriptionRecords(rt.store, {
    partner: target,
    customer,
    offer,
    quantity: source.quantity,
    status: 'active',
    partnerId: null,
    friendlyName: source.friendlyName,
    id: undefined,
    entitlementId: undefined,
    billingCycle: source.billingCycle,
    created: now,
    now,
    orderId: undefined,
    grantOwner: true,
    orderTransactionType: 'SystemPurchase',
    createUsageSubscription: false,
  });
  moved.migratedFromSubscriptionId = source.id;
  for (const link of rt.store.linksBySubscription.get(source.id) ?? []) {
    if (link.status !== 'active') {
      continue;
    }
    link.status = 'suspended';
    rt.store.addEntitlementLink({
      azureSubscriptionId: link.azureSubscriptionId,
      subscriptionId: moved.id,
      status: 'active',
      linkedAt: now.toISOString(),
    });
  }
  const before = source.status;
  source.status = 'suspended';
  source.suspensionReasons = ['Migrated'];
  source.etag = rt.newEtag();
  const correlationId = rt.newId();
  writeAudit(rt, {
    actor: systemActor(source.partnerTenantId, 'microsoft_support', correlationId),
    customer,
    resourceType: 'subscription',
    operationType: 'update_subscription',
    oldValue: { id: source.id, status: before },
    newValue: {
      id: source.id,
      status: 'suspended',
      suspensionReasons: ['Migrated'],
      movedTo: target.tenantId,
    },
  });
  writeAudit(rt, {
    actor: systemActor(target.tenantId, 'microsoft_support', correlationId),
    customer,
    resourceType: 'order',
    operationType: 'create_order',
    newValue: { subscriptionId: moved.id, from: source.partnerTenantId },
    customizedData: {
      OrderId: moved.orderId,
      'OfferId-0': moved.offerId,
      'SubscriptionId-0': moved.id,
      'Quantity-0': '1',
    },
  });
  return moved;
}
