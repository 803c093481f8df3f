import { countryInfo } from '../core/regions.js';
import type { CatalogOffer } from '../core/catalog.js';
import type {
  AgreementRecord,
  AuditRecordRecord,
  CustomerRecord,
  OrderRecord,
  RelationshipRecord,
  ServiceRequestRecord,
  SubscriptionRecord,
} from '../core/model.js';
import { link } from '../http/responses.js';

/**
 * Wire shapes: the JSON Partner Center returns, built from records. Field names and enum spellings
 * follow partner-center-api.md (§2 customers, §5 subscriptions, §6 orders/offers, §7 service
 * requests, §8 audit records).
 */
export function companyProfileView(c: CustomerRecord): Record<string, unknown> {
  return {
    tenantId: c.tenantId,
    domain: c.domain,
    companyName: c.companyName,
    address: addressView(c),
    email: c.email,
    links: { self: link(`/customers/${c.tenantId}/profiles/company`) },
    attributes: { objectType: 'CustomerCompanyProfile' },
  };
}

function addressView(c: CustomerRecord): Record<string, unknown> {
  return {
    country: c.address.country,
    region: c.address.region ?? null,
    city: c.address.city,
    addressLine1: c.address.addressLine1,
    postalCode: c.address.postalCode,
    firstName: c.address.firstName,
    lastName: c.address.lastName,
    phoneNumber: c.address.phoneNumber,
  };
}

export function billingProfileView(c: CustomerRecord): Record<string, unknown> {
  return {
    id: c.billingProfileId,
    firstName: c.address.firstName,
    lastName: c.address.lastName,
    email: c.email,
    culture: c.culture,
    language: c.language,
    companyName: c.companyName,
    defaultAddress: addressView(c),
    links: { self: link(`/customers/${c.tenantId}/profiles/billing`) },
    attributes: { etag: c.billingEtag, objectType: 'CustomerBillingProfile' },
  };
}

/** List items carry only id, companyProfile, relationshipToPartner, links and attributes (§2). */
export function customerListItemView(
  c: CustomerRecord,
  r: RelationshipRecord,
): Record<string, unknown> {
  return {
    id: c.tenantId,
    companyProfile: companyProfileView(c),
    relationshipToPartner: r.relationshipToPartner,
    links: { self: link(`/customers/${c.tenantId}`) },
    attributes: { objectType: 'Customer' },
  };
}

export function customerView(c: CustomerRecord, r: RelationshipRecord): Record<string, unknown> {
  return {
    id: c.tenantId,
    commerceId: c.commerceId,
    companyProfile: companyProfileView(c),
    billingProfile: billingProfileView(c),
    relationshipToPartner: r.relationshipToPartner,
    allowDelegatedAccess: r.allowDelegatedAccess,
    customDomains: [c.domain],
    links: { self: link(`/customers/${c.tenantId}`) },
    attributes: { objectType: 'Customer' },
  };
}

export function subscriptionView(s: SubscriptionRecord): Record<string, unknown> {
  const links: Record<string, unknown> = {
    offer: link(`/offers/${s.offerId}`),
    self: link(`/customers/${s.customerTenantId}/subscriptions/${s.id}`),
  };
  if (s.entitlementId) {
    links.entitlement = link(
      `/customers/${s.customerTenantId}/subscriptions/${s.id}/azureEntitlements`,
    );
  }
  const view: Record<string, unknown> = {
    id: s.id,
    offerId: s.offerId,
    offerName: s.offerName,
    friendlyName: s.friendlyName,
    productType: { id: s.productTypeId, displayName: s.productTypeName },
    quantity: s.quantity,
    unitType: s.unitType,
    hasPurchasableAddons: false,
    creationDate: s.creationDate,
    effectiveStartDate: s.effectiveStartDate,
    commitmentEndDate: s.commitmentEndDate,
    status: s.status,
    autoRenewEnabled: s.autoRenewEnabled,
    isTrial: false,
    billingType: s.billingType,
    billingCycle: s.billingCycle,
    isMicrosoftProduct: true,
    publisherName: 'Microsoft Corporation',
    contractType: 'subscription',
    orderId: s.orderId,
    suspensionReasons: s.suspensionReasons,
    actions: s.status === 'deleted' ? [] : ['edit', 'cancel'],
    links,
    attributes: { etag: s.etag, objectType: 'Subscription' },
  };
  if (s.entitlementId) {
    view.entitlementId = s.entitlementId;
  }
  if (s.partnerId) {
    view.partnerId = s.partnerId;
  }
  if (s.termDuration) {
    view.termDuration = s.termDuration;
    view.renewalTermDuration = s.termDuration;
  }
  if (s.cancellationAllowedUntilDate) {
    view.cancellationAllowedUntilDate = s.cancellationAllowedUntilDate;
  }
  if (s.migratedFromSubscriptionId) {
    view.migratedFromSubscriptionId = s.migratedFromSubscriptionId;
  }
  if (s.transferId) {
    view.transferId = s.transferId;
  }
  return view;
}

export function orderView(o: OrderRecord): Record<string, unknown> {
  return {
    id: o.id,
    alternateId: o.alternateId,
    referenceCustomerId: o.customerTenantId,
    billingCycle: o.billingCycle,
    currencyCode: o.currencyCode,
    currencySymbol: o.currencySymbol,
    lineItems: o.lineItems.map((li) => {
      const item: Record<string, unknown> = {
        lineItemNumber: li.lineItemNumber,
        offerId: li.offerId,
        subscriptionId: li.subscriptionId,
        friendlyName: li.friendlyName,
        quantity: li.quantity,
        transactionType: li.transactionType,
        links: {
          subscription: link(`/customers/${o.customerTenantId}/subscriptions/${li.subscriptionId}`),
          provisioningStatus: link(
            `/customers/${o.customerTenantId}/orders/${o.id}/provisioningstatus`,
          ),
        },
      };
      if (li.partnerIdOnRecord) {
        item.partnerIdOnRecord = li.partnerIdOnRecord;
      }
      if (li.termDuration) {
        item.termDuration = li.termDuration;
      }
      return item;
    }),
    creationDate: o.creationDate,
    status: o.status,
    transactionType: o.transactionType,
    links: {
      self: link(`/customers/${o.customerTenantId}/orders/${o.id}`),
      provisioningStatus: link(
        `/customers/${o.customerTenantId}/orders/${o.id}/provisioningstatus`,
      ),
      patchOperation: link(`/customers/${o.customerTenantId}/orders/${o.id}`, 'PATCH'),
    },
    attributes: { etag: o.etag, objectType: 'Order' },
  };
}

export function agreementView(a: AgreementRecord): Record<string, unknown> {
  return {
    userId: a.userId,
    primaryContact: a.primaryContact,
    templateId: a.templateId,
    dateAgreed: a.dateAgreed,
    type: a.type,
    agreementLink: a.agreementLink,
    attributes: { objectType: 'Agreement' },
  };
}

export function serviceRequestView(
  sr: ServiceRequestRecord,
  statusOverride?: ServiceRequestRecord['status'],
): Record<string, unknown> {
  return {
    id: sr.id,
    title: sr.title,
    description: sr.description,
    severity: sr.severity,
    supportTopicId: sr.supportTopicId,
    supportTopicName: sr.supportTopicName,
    status: statusOverride ?? sr.status,
    organization: sr.organization,
    primaryContact: sr.primaryContact,
    lastUpdatedBy: sr.lastUpdatedBy,
    productName: sr.productName,
    productId: sr.productId,
    createdDate: sr.createdDate,
    lastModifiedDate: sr.lastModifiedDate,
    // Partner Center prints .NET's default DateTime when the request was never closed (§7).
    lastClosedDate: sr.lastClosedDate ?? '0001-01-01T00:00:00',
    notes: sr.notes,
    countryCode: sr.countryCode,
    fileLinks: sr.fileLinks,
    attributes: { objectType: 'ServiceRequest' },
  };
}

export function auditRecordView(a: AuditRecordRecord): Record<string, unknown> {
  return { ...a, attributes: { objectType: 'AuditRecord' } };
}

export function offerView(
  o: CatalogOffer,
  country: string,
  locale = 'en-US',
): Record<string, unknown> {
  return {
    id: o.id,
    name: o.name,
    description: o.description,
    minimumQuantity: o.minimumQuantity,
    maximumQuantity: o.maximumQuantity,
    rank: 0,
    uri: `/offers/${o.id}`,
    locale,
    country: country.toUpperCase(),
    category: {
      id: o.categoryId,
      name: o.categoryName,
      rank: 0,
      locale,
      country: country.toUpperCase(),
      attributes: { objectType: 'OfferCategory' },
    },
    prerequisiteOffers: [],
    isAddOn: false,
    hasAddOns: false,
    isAvailableForPurchase: !o.discontinued,
    billing: o.billing,
    supportedBillingCycles: o.supportedBillingCycles,
    isAutoRenewable: o.isAutoRenewable,
    upgradeTargetOffers: o.successorOfferId ? [o.successorOfferId] : [],
    conversionTargetOffers: [],
    isTrial: false,
    product: { id: o.productId, name: o.productName, unit: o.unitType },
    unitType: o.unitType,
    links: { self: link(`/offers/${o.id}?country=${country.toUpperCase()}`) },
    attributes: { objectType: 'Offer' },
  };
}

export function currencyOf(country: string): { code: string; symbol: string } {
  const c = countryInfo(country);
  return { code: c.currency, symbol: c.currencySymbol };
}
