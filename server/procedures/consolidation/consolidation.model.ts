/** Item kinds of a tenant consolidation. */
export const CUSTOMER = 'CUSTOMER';
export const LICENSE_REPROVISION = 'LICENSE_REPROVISION';
export const AZURE_SUPPORT_MIGRATION = 'AZURE_SUPPORT_MIGRATION';
/** Inventoried only (suspended, deleted, expired): nothing to do (R-CON-1 still lists it). */
export const NO_ACTION = 'NO_ACTION';
/** The workflow-level item that files support requests for ready Azure subscriptions (R-CON-6). */
export const SUPPORT_REQUEST = 'SUPPORT_REQUEST';

/** Contract enum `ConsolidationCustomerState`. */
export type ConsolidationCustomerState =
  | 'PLANNED'
  | 'INVITED'
  | 'ACCEPTED'
  | 'REPROVISIONED'
  | 'AZURE_MIGRATION_REQUESTED'
  | 'DONE'
  | 'BLOCKED';

export interface TenantRef {
  tenantId: string;
  name: string;
  mpnId: string;
  country: string;
  region: string | null;
}

/** Workflow data of a consolidation. */
export interface ConsolidationData {
  sources: TenantRef[];
  target: TenantRef;
  startedBy?: string;
}

export interface CustomerItemData {
  companyName: string;
  domain: string;
  country: string | null;
  sourceTenantId: string;
  invitationUrl?: string;
  acceptedAt?: string;
  /** Target subscription ids that existed when the customer accepted (look before create). */
  targetSubscriptionsAtAcceptance?: string[];
}

/** One inventoried source subscription (R-CON-1): seats are frozen at planning time. */
export interface SubscriptionItemData {
  companyName: string;
  sourceTenantId: string;
  sourceSubscriptionId: string;
  offerId: string;
  offerName: string | null;
  friendlyName: string | null;
  seats: number;
  status: string;
  billingType: string | null;
  billingCycle: string | null;
  partnerIdOnRecord: string | null;
  azureSubscriptionId: string | null;
  commitmentEndDate: string | null;
  /**
   * R-CHN-6 applied per item (consolidation-successor.ts): the offer ordered at the target when
   * the source's offer is no longer sold there (its catalog successor); absent = the same offer.
   */
  proposedOfferId?: string | null;
  proposedOfferName?: string | null;
  /** Why the proposed offer differs, with the license-reassignment warning. */
  successorReason?: string | null;
  // progress
  orderId?: string;
  targetSubscriptionId?: string;
  /** When Partner Center started billing the target (billing-dates.ts), and where that came from. */
  targetActiveAt?: string;
  targetActiveAtSource?: 'PARTNER_CENTER' | 'OBSERVED';
  /** When the engine saw the target active (later than `targetActiveAt` with slow provisioning). */
  targetActiveObservedAt?: string;
  /** When Partner Center suspended the source (its audit record), and where that came from. */
  sourceSuspendedAt?: string;
  sourceSuspendedAtSource?: 'PARTNER_CENTER' | 'OBSERVED';
  overlapDays?: number;
  serviceRequestId?: string;
}

export interface SupportBatchResult {
  serviceRequestId: string;
  itemIds: string[];
  companyNames: string[];
}
