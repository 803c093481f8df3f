import type { CommerceSnapshot, CommerceTimings } from './commerce.model.js';

/**
 * The emulator's domain records. They are plain JSON-serialisable objects so that a snapshot
 * (`GET /_emulator/state`) is just these arrays, and `PUT /_emulator/state` reloads them.
 * Wire shapes (what Partner Center returns) are built from these in `domain/views.ts`.
 */
import type { GdapSnapshot, TenantDataSnapshot } from './gdap.model.js';

export type PartnerKind = 'direct' | 'indirect_provider' | 'indirect_reseller';

export interface OrganizationRecord {
  id: string;
  name: string;
}

export interface PartnerTenantRecord {
  tenantId: string;
  organizationId: string;
  name: string;
  mpnId: string;
  country: string;
  region: string;
  kind: PartnerKind;
  labels: string[];
  /** For indirect resellers: the indirect providers they buy through. */
  providerTenantIds: string[];
  /** Object id of the partner's "Admin Agents" group, the foreign principal of AOBO role assignments. */
  adminAgentsGroupId: string;
  domain: string;
}

/** `never`, act `hours` (virtual) after the trigger, or use the autopilot's default delay. */
export type ActorBehaviour =
  { mode: 'after'; hours: number } | { mode: 'never' } | { mode: 'default' };

export interface CustomerAutopilotRecord {
  acceptInvitation: ActorBehaviour;
  signMca: ActorBehaviour;
  signTransferForm: ActorBehaviour;
  /**
   * Whose invitations the customer expects. `related` = tenants of an organization that already
   * serves it (consolidation), `invited` = a partner that sent it its invitation (prospects: see
   * README "Where we guessed"), `any` = every partner that requests an invitation URL, or explicit
   * partner tenant ids.
   */
  acceptsFrom: 'related' | 'invited' | 'any' | string[];
}

export interface AddressRecord {
  country: string;
  region?: string;
  city: string;
  addressLine1: string;
  postalCode: string;
  firstName: string;
  lastName: string;
  phoneNumber: string;
}

export interface CustomerRecord {
  tenantId: string;
  commerceId: string;
  companyName: string;
  domain: string;
  country: string;
  region: string;
  currency: string;
  culture: string;
  language: string;
  labels: string[];
  address: AddressRecord;
  email: string;
  billingProfileId: string;
  billingEtag: string;
  createdAt: string;
  /** R-AZP-6: once true, legacy MS-AZR-0145P can no longer be bought for this customer. */
  azurePlanTransitioned: boolean;
  /** Customer signed the MCA itself (admin center), as opposed to a partner attestation. */
  directSignedMca: boolean;
  /** Customer usage budget, decimal string in the customer's currency (R-AZP-5). */
  usageBudget: string | null;
  autopilot: CustomerAutopilotRecord;
}

export type RelationshipToPartner =
  'none' | 'reseller' | 'advisor' | 'syndication' | 'microsoft_support';

export interface RelationshipRecord {
  partnerTenantId: string;
  customerTenantId: string;
  relationshipToPartner: RelationshipToPartner;
  allowDelegatedAccess: boolean;
  createdAt: string;
  /** Set when the partner is an indirect reseller serving the customer through this provider. */
  indirectProviderTenantId: string | null;
}

export interface AgreementRecord {
  id: string;
  customerTenantId: string;
  /** null when the customer signed directly in the admin center. */
  partnerTenantId: string | null;
  type: 'MicrosoftCustomerAgreement' | 'MicrosoftCloudAgreement';
  templateId: string;
  dateAgreed: string;
  userId: string;
  primaryContact: { firstName: string; lastName: string; email: string; phoneNumber?: string };
  agreementLink: string;
}

export interface OrderLineItemRecord {
  lineItemNumber: number;
  offerId: string;
  subscriptionId: string;
  quantity: number;
  friendlyName: string;
  partnerIdOnRecord: string | null;
  termDuration: string | null;
  transactionType: 'new' | 'renew' | 'addQuantity' | 'removeQuantity' | 'cancel' | 'convert';
}

export interface OrderRecord {
  id: string;
  alternateId: string;
  partnerTenantId: string;
  customerTenantId: string;
  billingCycle: string;
  currencyCode: string;
  currencySymbol: string;
  creationDate: string;
  status: 'pending' | 'completed' | 'cancelled';
  transactionType: 'UserPurchase' | 'SystemPurchase' | 'SystemBilling';
  lineItems: OrderLineItemRecord[];
  completesAt: string;
  /** When the order shows up in the order list (Partner Center can lag up to 15 minutes). */
  visibleAt: string;
  etag: string;
}

export type SubscriptionKind = 'license' | 'new_commerce' | 'azure_legacy' | 'azure_plan';

export type SubscriptionStatus =
  'none' | 'active' | 'pending' | 'suspended' | 'deleted' | 'expired' | 'disabled';

export interface SubscriptionRecord {
  id: string;
  partnerTenantId: string;
  customerTenantId: string;
  kind: SubscriptionKind;
  offerId: string;
  offerName: string;
  friendlyName: string;
  quantity: number;
  unitType: string;
  status: SubscriptionStatus;
  autoRenewEnabled: boolean;
  billingType: 'none' | 'usage' | 'license' | 'benefit';
  billingCycle: string;
  termDuration: string | null;
  creationDate: string;
  effectiveStartDate: string;
  commitmentEndDate: string;
  cancellationAllowedUntilDate: string | null;
  orderId: string;
  /** MPN id of the indirect reseller of record (Partner Center's `partnerId`). */
  partnerId: string | null;
  /** Azure subscription id for legacy Azure; equals `id` unless billing ownership changed (R-AZP-8). */
  entitlementId: string | null;
  productTypeId: string;
  productTypeName: string;
  suspensionReasons: string[];
  migratedFromSubscriptionId: string | null;
  /** Set on a subscription a partner-to-partner transfer created (§9d): the transfer's id. */
  transferId?: string | null;
  etag: string;
}

export interface AzureSubscriptionRecord {
  id: string;
  customerTenantId: string;
  friendlyName: string;
  createdAt: string;
}

/** Which Partner Center subscription an Azure subscription is (or was) billed through. */
export interface EntitlementLinkRecord {
  azureSubscriptionId: string;
  subscriptionId: string;
  status: 'active' | 'suspended' | 'deleted';
  linkedAt: string;
}

export interface RoleAssignmentRecord {
  name: string;
  azureSubscriptionId: string;
  roleDefinitionId: string;
  principalId: string;
  principalType: string;
  createdOn: string;
  updatedOn: string;
  createdBy: string;
}

export interface NoteRecord {
  createdByName: string;
  createdDate: string;
  text: string;
}

export interface FileInfoRecord {
  fileName: string;
  fileLink: string;
}

export type ServiceRequestKind = 'consolidation' | 'transfer' | 'other';

export interface ServiceRequestRecord {
  id: string;
  partnerTenantId: string;
  customerTenantId: string | null;
  kind: ServiceRequestKind;
  title: string;
  description: string;
  severity: 'unknown' | 'critical' | 'moderate' | 'minimal';
  supportTopicId: string;
  supportTopicName: string;
  status: 'none' | 'open' | 'closed' | 'attention_needed';
  organization: { id: string; name: string; phoneNumber: string };
  primaryContact: ContactRecord | null;
  lastUpdatedBy: ContactRecord | null;
  productName: string | null;
  productId: string | null;
  createdDate: string;
  lastModifiedDate: string;
  lastClosedDate: string | null;
  notes: NoteRecord[];
  countryCode: string;
  fileLinks: FileInfoRecord[];
  locale: string;
}

export interface ContactRecord {
  organization?: { id: string; name: string; phoneNumber: string } | null;
  contactId?: string | null;
  lastName?: string | null;
  firstName?: string | null;
  email?: string | null;
  phoneNumber?: string | null;
}

export interface AuditRecordRecord {
  id: string;
  partnerId: string;
  customerId: string | null;
  customerName: string | null;
  userPrincipalName: string;
  applicationId: string;
  resourceType: string;
  resourceOldValue: string | null;
  resourceNewValue: string | null;
  operationType: string;
  originalCorrelationId: string;
  operationDate: string;
  operationStatus: 'succeeded' | 'failed' | 'progress' | 'decline';
  customizedData: { key: string; value: string }[];
}

export interface ProductUpgradeLineItemRecord {
  sourceSubscriptionId: string;
  azureSubscriptionId: string;
  targetSubscriptionId: string;
  upgradedDate: string | null;
  status: 'InProgress' | 'Completed' | 'Failed';
}

export interface ProductUpgradeRecord {
  id: string;
  partnerTenantId: string;
  customerTenantId: string;
  productFamily: string;
  status: 'InProgress' | 'Completed' | 'Failed';
  createdAt: string;
  completesAt: string;
  lineItems: ProductUpgradeLineItemRecord[];
}

export interface TransferFormRecord {
  id: string;
  serviceRequestId: string;
  customerTenantId: string;
  subscriptionId: string;
  azureSubscriptionId: string;
  sourcePartnerTenantId: string;
  targetPartnerTenantId: string | null;
  signatures: { currentPartner: boolean; customer: boolean; newPartner: boolean };
  partnerAdministrators: string[];
  attached: boolean;
  createdAt: string;
  signedAt: string | null;
  completedAt: string | null;
}

export interface InvitationRecord {
  partnerTenantId: string;
  requestedAt: string;
  /** Customers the partner sent this invitation to (it looked them up after requesting it). */
  sentTo?: string[];
}

export type ActionKind =
  | 'order.complete'
  | 'product_upgrade.complete'
  | 'customer.accept_invitation'
  | 'customer.sign_mca'
  | 'customer.sign_transfer_form'
  | 'support.process_ticket'
  | 'gdap.step'
  | 'transfer.expire'
  | 'transfer.source_accept'
  | 'transfer.complete'
  | 'migration.complete'
  | 'migration_schedule.run';

export interface ScheduledActionRecord {
  id: string;
  dueAt: string;
  kind: ActionKind;
  /** Ids the action works on (customerTenantId, partnerTenantId, orderId, ...). */
  target: Record<string, string>;
  createdAt: string;
}

export interface IdempotencyRecord {
  key: string;
  status: number;
  headers: [string, string][];
  body: string;
  createdAt: string;
}

export interface ActorDelays {
  /** Hours after an invitation URL is requested before an expecting customer accepts. */
  acceptInvitationHours: number;
  signMcaHours: number;
  signTransferFormHours: number;
}

export type ConsolidationRefusal = string | { text: string; close?: boolean };

export interface AutopilotConfig {
  enabled: boolean;
  customers: ActorDelays;
  support: {
    /** Business hours before support migrates the Azure subscriptions named in a consolidation ticket. */
    consolidationBusinessHours: number;
    /** Business hours before support answers a transfer ticket (R-TRF-7: 8). */
    transferBusinessHours: number;
    /** Business hours before support acknowledges any other ticket. */
    otherBusinessHours: number;
    /** Whether the ticket country's public and bank holidays (date-holidays) close support (default true). */
    publicHolidays?: boolean;
    /** Extra days without support hours: local dates per country code, `*` for every country. */
    holidays?: Record<string, string[]>;
    /** Days support works although date-holidays lists a holiday, per country code or `*`. */
    workingDays?: Record<string, string[]>;
    /**
     * Consolidation tickets (R-CON-6): customers whose Azure subscriptions support does not migrate,
     * by customer tenant id (or `*` for every customer), with support's answer. A string asks the
     * partner for something (ticket `attention_needed`, re-read on a partner note); `{ text,
     * close: true }` refuses and closes the ticket. A guess at what support answers (e.g. a
     * subscription with a reservation or a spending limit), configurable for tests.
     */
    consolidationRefusals?: Record<string, ConsolidationRefusal>;
  };
  /** Virtual time an order needs to be fulfilled (ISO 8601 duration). */
  orderProvisioning: string;
  /** Virtual time before a new order shows in `GET .../orders` (Partner Center: up to 15 min). */
  orderListDelay: string;
  /** Virtual time an Azure plan product upgrade takes. */
  productUpgrade: string;
  /** Transfers and new-commerce migrations (commerce.model.ts). */
  commerce: CommerceTimings;
}

export interface StateSnapshot extends CommerceSnapshot {
  formatVersion: 1;
  scenarioName: string;
  seed: number;
  now: string;
  rngState: number;
  autopilot: AutopilotConfig;
  organizations: OrganizationRecord[];
  partners: PartnerTenantRecord[];
  customers: CustomerRecord[];
  relationships: RelationshipRecord[];
  agreements: AgreementRecord[];
  orders: OrderRecord[];
  subscriptions: SubscriptionRecord[];
  azureSubscriptions: AzureSubscriptionRecord[];
  entitlementLinks: EntitlementLinkRecord[];
  roleAssignments: RoleAssignmentRecord[];
  serviceRequests: ServiceRequestRecord[];
  auditRecords: AuditRecordRecord[];
  productUpgrades: ProductUpgradeRecord[];
  transferForms: TransferFormRecord[];
  invitations: InvitationRecord[];
  actions: ScheduledActionRecord[];
  idempotency: IdempotencyRecord[];
  /** GDAP (Graph) state; absent in snapshots written before it existed. */
  gdap?: GdapSnapshot;
  /** Customer users and invoices; absent in older snapshots. */
  tenantData?: TenantDataSnapshot;
}
