import {
  BillingType,
  CustomerRelationship,
  ProductFamily,
  SubscriptionStatus,
} from '../shared/enums.js';

// The one place where Partner Center enum spellings (lower snake_case, read case-insensitively)
// become the contract's enums.

/** Legacy "Microsoft Azure" offer (R-AZP-8). */
export const LEGACY_AZURE_OFFER_ID = 'MS-AZR-0145P';
/** Azure plan product id in the new-commerce catalog (reference §5). */
export const AZURE_PLAN_PRODUCT_ID = 'DZH318Z0BPS6';

/** `relationshipToPartner` → `CustomerRelationship`; `syndication`, `microsoft_support`, `unknown` count as NONE. */
export function mapRelationship(value: string | null | undefined): CustomerRelationship {
  switch (value?.toLowerCase()) {
    case 'reseller':
      return CustomerRelationship.RESELLER;
    case 'advisor':
      return CustomerRelationship.ADVISOR;
    default:
      return CustomerRelationship.NONE;
  }
}

/**
 * Subscription `status` → `SubscriptionStatus`. `none` (an unprovisioned subscription) reads as
 * PENDING; an unknown spelling is reported as DISABLED rather than guessed active.
 */
export function mapSubscriptionStatus(value: string | null | undefined): SubscriptionStatus {
  switch (value?.toLowerCase()) {
    case 'active':
      return SubscriptionStatus.ACTIVE;
    case 'suspended':
      return SubscriptionStatus.SUSPENDED;
    case 'deleted':
      return SubscriptionStatus.DELETED;
    case 'expired':
      return SubscriptionStatus.EXPIRED;
    case 'pending':
    case 'none':
      return SubscriptionStatus.PENDING;
    default:
      return SubscriptionStatus.DISABLED;
  }
}

/** `billingType` (`usage` | `license` | `benefit` | `none`) → `BillingType`; falls back on `unitType`. */
export function mapBillingType(
  billingType: string | null | undefined,
  unitType?: string | null,
): BillingType {
  const value = billingType?.toLowerCase();
  if (value === 'usage') {
    return BillingType.USAGE;
  }
  if (value === 'license' || value === 'benefit') {
    return BillingType.LICENSE;
  }
  return unitType?.toLowerCase().startsWith('usage') ? BillingType.USAGE : BillingType.LICENSE;
}

/** Derives the product family from the offer id and name. */
export function mapProductFamily(
  offerId: string,
  offerName: string | null | undefined,
): ProductFamily {
  const id = offerId.toUpperCase();
  const name = (offerName ?? '').toLowerCase();
  if (id === LEGACY_AZURE_OFFER_ID || id.startsWith(`${LEGACY_AZURE_OFFER_ID}`)) {
    return ProductFamily.AZURE_LEGACY;
  }
  if (
    id.startsWith(AZURE_PLAN_PRODUCT_ID) ||
    name === 'microsoft azure plan' ||
    name.includes('azure plan')
  ) {
    return ProductFamily.AZURE_PLAN;
  }
  if (name.includes('dynamics')) {
    return ProductFamily.DYNAMICS;
  }
  if (name.includes('enterprise mobility') || /\bems\b/.test(name) || name.includes('intune')) {
    return ProductFamily.EMS;
  }
  if (
    name.includes('office 365') ||
    name.includes('microsoft 365') ||
    name.includes('exchange online')
  ) {
    return ProductFamily.OFFICE365;
  }
  return ProductFamily.OTHER;
}

/** Whether a family has Azure entitlements (`GET …/azureEntitlements`). */
export function hasAzureEntitlements(family: ProductFamily): boolean {
  return family === ProductFamily.AZURE_LEGACY || family === ProductFamily.AZURE_PLAN;
}

/**
 * A Partner Center date, or null when absent, unparseable or a placeholder: Azure plan and other
 * open-ended subscriptions carry a `9999-12-…` `commitmentEndDate` that means "no end".
 */
export function realDate(value: string | null | undefined): Date | null {
  if (!value) {
    return null;
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() >= 9999) {
    return null;
  }
  return date;
}
