import { AZURE_PLAN_OFFER_ID, type CatalogOffer } from '../core/catalog.js';
import { termDates } from '../domain/commerce-terms.js';
import type {
  CustomerRecord,
  PartnerTenantRecord,
  SubscriptionRecord,
  SubscriptionStatus,
} from '../core/model.js';
import { countryInfo } from '../core/regions.js';
import type { Store } from '../core/store.js';

/** Owner, the role CSP's admin-on-behalf-of foreign principal holds on a legacy Azure subscription. */
export const OWNER_ROLE_DEFINITION_GUID = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';

export interface NewSubscriptionInput {
  partner: PartnerTenantRecord;
  customer: CustomerRecord;
  offer: CatalogOffer;
  quantity: number;
  status: SubscriptionStatus;
  partnerId: string | null;
  friendlyName: string | undefined;
  id: string | undefined;
  entitlementId: string | undefined;
  billingCycle: string;
  created: Date;
  now: Date;
  orderId: string | undefined;
  termDuration?: string | null;
  /** Overrides the computed renewal date (scenario files; transfers keep the source's). */
  commitmentEndDate?: string;
  /** Overrides the computed cancellation window end (`null`: none). */
  cancellationAllowedUntilDate?: string | null;
  /** Overrides the start of the current term (transfers keep the source's). */
  effectiveStartDate?: string;
  /** The transfer that created this subscription (§9d). */
  transferId?: string | null;
  /** Give the partner's Admin Agents group Owner on a new/moved Azure subscription (default true). */
  grantOwner?: boolean;
  /** Azure plan: also create its first Azure usage subscription (default true; product upgrades pass false). */
  createUsageSubscription?: boolean;
  /** Transaction type of the implicit order (default UserPurchase). */
  orderTransactionType?: 'UserPurchase' | 'SystemPurchase';
}

/**
 * Creates a subscription and, for Azure, its Azure subscription, entitlement link and the partner's
 * AOBO role assignment. Used by scenario building and by orders. When an order is not given, a
 * completed historical order is created for it.
 */
export function createSubscriptionRecords(
  store: Store,
  input: NewSubscriptionInput,
): SubscriptionRecord {
  const { offer, customer, partner } = input;
  const rng = store.rng;
  const id = (input.id ?? rng.uuid()).toLowerCase();
  const created = input.created.toISOString();
  let orderId = input.orderId;
  if (!orderId) {
    orderId = rng.uuid();
    const currency = countryInfo(customer.country);
    store.addOrder({
      id: orderId,
      alternateId: rng.uuid().replace(/-/g, '').slice(0, 12),
      partnerTenantId: partner.tenantId,
      customerTenantId: customer.tenantId,
      billingCycle: input.billingCycle,
      currencyCode: currency.currency,
      currencySymbol: currency.currencySymbol,
      creationDate: created,
      status: 'completed',
      transactionType: input.orderTransactionType ?? 'UserPurchase',
      lineItems: [
        {
          lineItemNumber: 0,
          offerId: offer.id,
          subscriptionId: id,
          quantity: input.quantity,
          friendlyName: input.friendlyName ?? offer.name,
          partnerIdOnRecord: input.partnerId,
          termDuration: input.termDuration ?? null,
          transactionType: 'new',
        },
      ],
      completesAt: created,
      visibleAt: created,
      etag: rng.uuid(),
    });
  }
  // Legacy licenses are annual commitments whatever the billing cycle; new commerce defaults to P1Y.
  const termDuration =
    input.termDuration ??
    (offer.kind === 'new_commerce' || offer.kind === 'license' ? 'P1Y' : null);
  const term = termDates(offer.kind, input.created, termDuration, input.now);
  const sub: SubscriptionRecord = {
    id,
    partnerTenantId: partner.tenantId,
    customerTenantId: customer.tenantId,
    kind: offer.kind,
    offerId: offer.id,
    offerName: offer.name,
    friendlyName: input.friendlyName ?? offer.name,
    quantity: input.quantity,
    unitType: offer.unitType,
    status: input.status,
    autoRenewEnabled: offer.isAutoRenewable,
    billingType: offer.billing,
    billingCycle: input.billingCycle,
    termDuration,
    creationDate: created,
    effectiveStartDate: input.effectiveStartDate ?? term.termStart.toISOString(),
    commitmentEndDate: input.commitmentEndDate ?? term.commitmentEndDate,
    cancellationAllowedUntilDate:
      input.cancellationAllowedUntilDate !== undefined
        ? input.cancellationAllowedUntilDate
        : term.cancellationAllowedUntilDate,
    orderId,
    partnerId: input.partnerId,
    entitlementId: null,
    productTypeId: offer.productTypeId,
    productTypeName: offer.productTypeName,
    suspensionReasons: input.status === 'suspended' ? ['CustomerRequest'] : [],
    migratedFromSubscriptionId: null,
    transferId: input.transferId ?? null,
    etag: rng.uuid(),
  };
  store.addSubscription(sub);
  if (offer.kind === 'azure_legacy') {
    // R-AZP-8: bought in CSP, commerce subscription and Azure subscription carry the same id.
    const azureId =
      input.entitlementId === 'different' ? rng.uuid() : (input.entitlementId ?? id).toLowerCase();
    sub.entitlementId = azureId;
    addAzureSubscription(
      store,
      customer,
      partner,
      azureId,
      sub.id,
      input.friendlyName ?? `Azure ${customer.companyName}`,
      created,
      input.status === 'active' ? 'active' : 'suspended',
      input.grantOwner ?? true,
    );
  } else if (
    offer.kind === 'azure_plan' &&
    offer.id === AZURE_PLAN_OFFER_ID &&
    (input.createUsageSubscription ?? true)
  ) {
    // Creating the plan also creates one Azure usage subscription (§5).
    addAzureSubscription(
      store,
      customer,
      partner,
      rng.uuid(),
      sub.id,
      `Azure plan ${customer.companyName}`,
      created,
      input.status === 'active' ? 'active' : 'suspended',
      input.grantOwner ?? true,
    );
  }
  return sub;
}

function addAzureSubscription(
  store: Store,
  customer: CustomerRecord,
  partner: PartnerTenantRecord,
  azureId: string,
  subscriptionId: string,
  friendlyName: string,
  created: string,
  status: 'active' | 'suspended',
  grantOwner: boolean,
): void {
  if (!store.azureSubscriptions.has(azureId)) {
    store.addAzureSubscription({
      id: azureId,
      customerTenantId: customer.tenantId,
      friendlyName,
      createdAt: created,
    });
  }
  store.addEntitlementLink({
    azureSubscriptionId: azureId,
    subscriptionId,
    status,
    linkedAt: created,
  });
  if (grantOwner) {
    addOwnerAssignment(store, azureId, partner, created);
  }
}

/** Gives a partner's Admin Agents group Owner on an Azure subscription (admin on behalf of). */
export function addOwnerAssignment(
  store: Store,
  azureId: string,
  partner: PartnerTenantRecord,
  at: string,
): void {
  const exists = store
    .assignmentsFor(azureId)
    .some((r) => r.principalId === partner.adminAgentsGroupId);
  if (exists) {
    return;
  }
  store.addRoleAssignment({
    name: store.rng.uuid(),
    azureSubscriptionId: azureId,
    roleDefinitionId: `/subscriptions/${azureId}/providers/Microsoft.Authorization/roleDefinitions/${OWNER_ROLE_DEFINITION_GUID}`,
    principalId: partner.adminAgentsGroupId,
    principalType: 'ForeignGroup',
    createdOn: at,
    updatedOn: at,
    createdBy: partner.adminAgentsGroupId,
  });
}
