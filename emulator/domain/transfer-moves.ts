import type { TransferLineItemRecord, TransferRecord } from '../core/commerce.model.js';
import type { SubscriptionRecord } from '../core/model.js';
import type { Actor, EmulatorRuntime } from '../core/runtime.js';
import { createSubscriptionRecords } from '../scenarios/build-scenario.js';
import { systemActor, writeAudit } from './audit.js';

/** Partner Center productType of a transfer line item, or undefined when it can't be transferred. */
export function transferProductType(sub: SubscriptionRecord): string | undefined {
  if (sub.kind === 'new_commerce') {
    return 'OnlineServicesNCE';
  }
  if (sub.kind === 'azure_plan') {
    return 'AzureSubscription';
  }
  return undefined;
}

/** Both sides' audit record for one transfer change (§8: resourceType `transfer`). */
export function auditTransfer(
  rt: EmulatorRuntime,
  t: TransferRecord,
  operationType: 'create_transfer' | 'update_transfer',
  actingTenantId: string | null,
  actor: Actor | null,
  oldValue: unknown,
  status: 'succeeded' | 'failed' = 'succeeded',
): void {
  const customer = rt.store.customers.get(t.customerTenantId) ?? null;
  const correlationId = actor?.correlationId ?? rt.newId();
  const newValue = {
    id: t.id,
    status: t.status,
    transferType: t.transferType,
    sourcePartnerTenantId: t.sourcePartnerTenantId,
    targetPartnerTenantId: t.targetPartnerTenantId,
    lineItems: t.lineItems.map((li) => ({
      subscriptionId: li.subscriptionId,
      quantity: li.quantity,
      productType: li.productType,
    })),
  };
  for (const side of [t.sourcePartnerTenantId, t.targetPartnerTenantId]) {
    const sideActor =
      actor && side === actingTenantId
        ? actor
        : {
            ...systemActor(side, 'microsoft_support', correlationId),
            userPrincipalName: 'system@microsoft.com',
            applicationId: 'Partner Center',
          };
    writeAudit(rt, {
      actor: sideActor,
      customer,
      resourceType: 'transfer',
      operationType,
      oldValue,
      newValue,
      status,
      customizedData: { TransferId: t.id, TransferStatus: t.status },
    });
  }
}

/**
 * Moves one line item to the target (§11): the target gets a new subscription with the source's
 * offer, seats, term, renewal date, cancellation window and billing cycle, linked by `transferId`;
 * the source's copy ends (`expired`, reason `Transferred`), or keeps the seats not transferred.
 * An Azure plan's Azure subscriptions are re-billed through the target's plan; the new partner
 * gets no AOBO role and the old partner keeps its own (§11: clean-up needed, as R-TRF-8).
 */
export function moveLineItem(
  rt: EmulatorRuntime,
  t: TransferRecord,
  li: TransferLineItemRecord,
): SubscriptionRecord | undefined {
  const store = rt.store;
  const source = store.subscriptions.get(li.subscriptionId);
  const target = store.partners.get(t.targetPartnerTenantId);
  const customer = store.customers.get(t.customerTenantId);
  const offer = source ? rt.catalog.find(source.offerId) : undefined;
  if (!source || !target || !customer || !offer || source.status !== 'active') {
    li.status = 'Failed';
    li.transferError = {
      code: 900103,
      description: `The transfer order failed: subscription ${li.subscriptionId} is no longer active at the source.`,
    };
    return undefined;
  }
  const now = rt.now();
  const full = li.quantity >= source.quantity;
  const moved = createSubscriptionRecords(store, {
    partner: target,
    customer,
    offer,
    quantity: li.quantity,
    status: 'active',
    partnerId: target.kind === 'indirect_provider' ? t.partnerIdOnRecord : null,
    friendlyName: source.friendlyName,
    id: undefined,
    entitlementId: undefined,
    billingCycle: source.billingCycle,
    created: now,
    now,
    orderId: undefined,
    termDuration: source.termDuration,
    commitmentEndDate: source.commitmentEndDate,
    effectiveStartDate: source.effectiveStartDate,
    cancellationAllowedUntilDate: source.cancellationAllowedUntilDate,
    transferId: t.id,
    grantOwner: false,
    createUsageSubscription: false,
    orderTransactionType: 'SystemPurchase',
  });
  moved.autoRenewEnabled = source.autoRenewEnabled;
  const reseller = moved.partnerId ? store.partnersByMpn.get(moved.partnerId) : undefined;
  if (reseller && !store.relationship(reseller.tenantId, customer.tenantId)) {
    // The reseller of record now serves the customer through the target (as scenario building does).
    store.addRelationship({
      partnerTenantId: reseller.tenantId,
      customerTenantId: customer.tenantId,
      relationshipToPartner: 'reseller',
      allowDelegatedAccess: false,
      createdAt: now.toISOString(),
      indirectProviderTenantId: target.tenantId,
    });
  }
  if (source.kind === 'azure_plan') {
    for (const l of store.linksBySubscription.get(source.id) ?? []) {
      if (l.status === 'active') {
        l.status = 'deleted';
        store.addEntitlementLink({
          azureSubscriptionId: l.azureSubscriptionId,
          subscriptionId: moved.id,
          status: 'active',
          linkedAt: now.toISOString(),
        });
      }
    }
  }
  const before = { status: source.status, quantity: source.quantity };
  if (full) {
    source.status = 'expired';
    source.suspensionReasons = ['Transferred'];
    source.autoRenewEnabled = false;
  } else {
    source.quantity -= li.quantity;
  }
  source.etag = rt.newEtag();
  li.status = 'Complete';
  li.targetSubscriptionId = moved.id;
  const correlationId = rt.newId();
  writeAudit(rt, {
    actor: { ...systemActor(source.partnerTenantId, 'microsoft_support', correlationId) },
    customer,
    resourceType: 'subscription',
    operationType: 'update_subscription',
    oldValue: { id: source.id, ...before },
    newValue: {
      id: source.id,
      status: source.status,
      quantity: source.quantity,
      transferId: t.id,
      movedTo: target.tenantId,
    },
  });
  writeAudit(rt, {
    actor: { ...systemActor(target.tenantId, 'microsoft_support', correlationId) },
    customer,
    resourceType: 'order',
    operationType: 'create_order',
    newValue: {
      subscriptionId: moved.id,
      offerId: offer.id,
      quantity: li.quantity,
      transferId: t.id,
    },
    customizedData: {
      OrderId: moved.orderId,
      'OfferId-0': offer.id,
      'SubscriptionId-0': moved.id,
      'Quantity-0': String(li.quantity),
      TransferId: t.id,
    },
  });
  return moved;
}
