import type { CatalogOffer } from '../core/catalog.js';
import { addDuration } from '../core/duration.js';
import type { CustomerRecord, OrderRecord, PartnerTenantRecord } from '../core/model.js';
import { countryInfo } from '../core/regions.js';
import type { Actor, EmulatorRuntime } from '../core/runtime.js';
import { errors, PcHttpError } from '../http/responses.js';
import { createSubscriptionRecords } from '../scenarios/build-scenario.js';
import { hasSignedMca } from './access.js';
import { writeAudit } from './audit.js';

export interface OrderLineInput {
  lineItemNumber: number;
  offerId: string;
  quantity: number;
  friendlyName?: string;
  partnerIdOnRecord?: string | null;
  termDuration?: string;
}

interface ValidLine {
  input: OrderLineInput;
  offer: CatalogOffer;
  reseller: PartnerTenantRecord | null;
}

/**
 * Purchase invariants (partner-center-api.md §1 "Offers and purchases", §5, §6; issue 3 §2):
 * unknown offer 400/800004; discontinued 403/2091 (successor in `data`); not sold in the
 * customer's country 400/800070; partner not authorised in the customer's region 403/2030 (R-CHN-7);
 * Azure plan and new commerce need the MCA 403/13605; no MS-AZR-0145P after the Azure plan
 * transition and no second route to an Azure plan while 0145P is active 403/2085 (R-AZP-6);
 * quantity outside the offer's bounds 400/2002; partnerIdOnRecord only from an indirect provider
 * and only for one of its resellers 400/2072 and 400/2071.
 */
export function validateLine(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  customer: CustomerRecord,
  line: OrderLineInput,
): ValidLine {
  const offer = rt.catalog.find(line.offerId);
  if (!offer) {
    throw new PcHttpError(400, 800004, `The offer id ${line.offerId} is invalid.`);
  }
  if (offer.discontinued) {
    throw new PcHttpError(
      403,
      2091,
      `The offer ${offer.name} is no longer available for purchase.`,
      offer.successorOfferId ? [offer.successorOfferId] : [],
    );
  }
  if (!rt.catalog.availableIn(offer, customer.country)) {
    throw new PcHttpError(
      400,
      800070,
      `The offer ${offer.name} is not available in the customer's country ${customer.country}.`,
    );
  }
  if (countryInfo(customer.country).region !== tenant.region) {
    throw new PcHttpError(
      403,
      2030,
      `The partner is not onboarded to transact in ${customer.country} (region ${countryInfo(customer.country).region}).`,
    );
  }
  if (offer.requiresMca && !hasSignedMca(rt, customer)) {
    rt.hooks.mcaNeeded(customer);
    throw errors.mcaRequired(customer.tenantId);
  }
  if (offer.kind === 'azure_legacy' && customer.azurePlanTransitioned) {
    throw new PcHttpError(
      403,
      2085,
      'The customer has moved to the Azure plan; MS-AZR-0145P can no longer be purchased.',
    );
  }
  if (offer.kind === 'azure_plan') {
    const legacy = rt.store
      .subscriptionsOf(tenant.tenantId, customer.tenantId)
      .some((s) => s.kind === 'azure_legacy' && s.status === 'active');
    if (legacy) {
      throw new PcHttpError(
        403,
        2085,
        'The customer still has MS-AZR-0145P subscriptions; use a product upgrade to move to the Azure plan.',
      );
    }
  }
  if (
    !Number.isInteger(line.quantity) ||
    line.quantity < offer.minimumQuantity ||
    line.quantity > offer.maximumQuantity
  ) {
    throw new PcHttpError(
      400,
      2002,
      `The quantity ${line.quantity} is outside the allowed range ${offer.minimumQuantity}..${offer.maximumQuantity} for ${offer.name}.`,
    );
  }
  let reseller: PartnerTenantRecord | null = null;
  if (line.partnerIdOnRecord) {
    if (tenant.kind !== 'indirect_provider') {
      throw new PcHttpError(
        400,
        2072,
        'partnerIdOnRecord can only be set by an indirect provider.',
      );
    }
    reseller = rt.store.partnersByMpn.get(line.partnerIdOnRecord) ?? null;
    if (
      !reseller ||
      reseller.kind !== 'indirect_reseller' ||
      !reseller.providerTenantIds.includes(tenant.tenantId)
    ) {
      throw new PcHttpError(
        400,
        2071,
        `partnerIdOnRecord ${line.partnerIdOnRecord} is not an indirect reseller of this provider.`,
      );
    }
  }
  return { input: line, offer, reseller };
}

/** Creates an order and its subscriptions (pending until provisioning completes on the clock). */
export function createOrder(
  rt: EmulatorRuntime,
  actor: Actor,
  tenant: PartnerTenantRecord,
  customer: CustomerRecord,
  lines: OrderLineInput[],
  billingCycle: string | undefined,
): OrderRecord {
  if (lines.length === 0) {
    throw errors.invalidInput('An order needs at least one line item.');
  }
  const valid = lines.map((l) => validateLine(rt, tenant, customer, l));
  const now = rt.now();
  const currency = countryInfo(customer.country);
  const orderId = rt.newId();
  const cycle =
    billingCycle ?? (valid.every((v) => v.offer.kind === 'azure_plan') ? 'one_time' : 'monthly');
  const order: OrderRecord = {
    id: orderId,
    alternateId: rt.newId().replace(/-/g, '').slice(0, 12),
    partnerTenantId: tenant.tenantId,
    customerTenantId: customer.tenantId,
    billingCycle: cycle,
    currencyCode: currency.currency,
    currencySymbol: currency.currencySymbol,
    creationDate: now.toISOString(),
    status: 'pending',
    transactionType: 'UserPurchase',
    lineItems: [],
    completesAt: addDuration(now, rt.store.autopilot.orderProvisioning).toISOString(),
    visibleAt: addDuration(now, rt.store.autopilot.orderListDelay).toISOString(),
    etag: rt.newEtag(),
  };
  rt.store.addOrder(order);
  for (const v of valid) {
    const sub = createSubscriptionRecords(rt.store, {
      partner: tenant,
      customer,
      offer: v.offer,
      quantity: v.input.quantity,
      status: 'pending',
      partnerId: v.reseller?.mpnId ?? null,
      friendlyName: v.input.friendlyName,
      id: undefined,
      entitlementId: undefined,
      billingCycle:
        v.offer.kind === 'azure_plan'
          ? 'one_time'
          : v.offer.billing === 'usage'
            ? 'monthly'
            : cycle,
      created: now,
      now,
      orderId,
      termDuration: v.input.termDuration ?? (v.offer.kind === 'new_commerce' ? 'P1Y' : null),
    });
    order.lineItems.push({
      lineItemNumber: v.input.lineItemNumber,
      offerId: v.offer.id,
      subscriptionId: sub.id,
      quantity: v.input.quantity,
      friendlyName: sub.friendlyName,
      partnerIdOnRecord: v.reseller?.mpnId ?? null,
      termDuration: sub.termDuration,
      transactionType: 'new',
    });
    if (v.reseller && !rt.store.relationship(v.reseller.tenantId, customer.tenantId)) {
      rt.store.addRelationship({
        partnerTenantId: v.reseller.tenantId,
        customerTenantId: customer.tenantId,
        relationshipToPartner: 'reseller',
        allowDelegatedAccess: false,
        createdAt: now.toISOString(),
        indirectProviderTenantId: tenant.tenantId,
      });
    }
  }
  const data: Record<string, string> = {
    OrderId: order.id,
    AlternateId: order.alternateId,
    BillingCycle: order.billingCycle,
  };
  order.lineItems.forEach((li, i) => {
    data[`OfferId-${i}`] = li.offerId;
    data[`SubscriptionId-${i}`] = li.subscriptionId;
    data[`SubscriptionName-${i}`] = li.friendlyName;
    data[`Quantity-${i}`] = String(li.quantity);
    data[`PartnerOnRecord-${i}`] = li.partnerIdOnRecord ?? '';
  });
  writeAudit(rt, {
    actor,
    customer,
    resourceType: 'order',
    operationType: 'create_order',
    newValue: { id: order.id, billingCycle: order.billingCycle, lineItems: order.lineItems },
    customizedData: data,
  });
  rt.schedule('order.complete', { orderId: order.id }, new Date(order.completesAt));
  return order;
}

/** Provisioning finished: the order completes and its subscriptions become active. */
export function completeOrder(rt: EmulatorRuntime, orderId: string): void {
  const order = rt.store.orders.get(orderId);
  if (!order || order.status !== 'pending') {
    return;
  }
  order.status = 'completed';
  order.etag = rt.newEtag();
  for (const li of order.lineItems) {
    const sub = rt.store.subscriptions.get(li.subscriptionId);
    if (sub && sub.status === 'pending') {
      sub.status = 'active';
      sub.etag = rt.newEtag();
      for (const l of rt.store.linksBySubscription.get(sub.id) ?? []) {
        l.status = 'active';
      }
    }
  }
}
