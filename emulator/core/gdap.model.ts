/**
 * GDAP records (Microsoft Graph `tenantRelationships/delegatedAdminRelationships`, S8 and §11) and
 * the tenant data outside clients read (users, invoices). Plain JSON so they ride in the state
 * snapshot under `gdap` and `tenantData`.
 */

export type GdapStatus =
  | 'activating'
  | 'active'
  | 'approvalPending'
  | 'approved'
  | 'created'
  | 'expired'
  | 'expiring'
  | 'terminated'
  | 'terminating'
  | 'terminationRequested';

export interface GdapRelationshipRecord {
  id: string;
  /** The partner tenant that owns the relationship (the reseller for the indirect variant). */
  partnerTenantId: string;
  /** `reseller`: a `resellerDelegatedAdminRelationship` an indirect provider created for a reseller. */
  kind: 'direct' | 'reseller';
  indirectProviderTenantId: string | null;
  isPartnerConsentPending: boolean;
  displayName: string;
  duration: string;
  autoExtendDuration: string;
  customer: { tenantId: string; displayName: string | null } | null;
  roles: string[];
  status: GdapStatus;
  createdDateTime: string;
  lastModifiedDateTime: string;
  activatedDateTime: string | null;
  endDateTime: string | null;
  /** When a pending approval lapses (lockForApproval + 90 days, §11). */
  approvalExpiresAt: string | null;
  etag: string;
}

export type GdapRequestAction = 'lockForApproval' | 'approve' | 'terminate' | 'reject';

export interface GdapRequestRecord {
  id: string;
  relationshipId: string;
  action: GdapRequestAction;
  status: 'created' | 'pending' | 'succeeded' | 'failed';
  createdDateTime: string;
  lastModifiedDateTime: string;
}

export interface GdapAccessAssignmentRecord {
  id: string;
  relationshipId: string;
  accessContainerId: string;
  accessContainerType: 'securityGroup';
  roles: string[];
  status: 'pending' | 'active' | 'deleting' | 'deleted' | 'error';
  createdDateTime: string;
  lastModifiedDateTime: string;
  etag: string;
}

export interface GdapOperationRecord {
  id: string;
  relationshipId: string;
  operationType: 'delegatedAdminAccessAssignmentUpdate' | 'delegatedAdminRelationshipUpdate';
  data: string;
  status: 'notStarted' | 'running' | 'succeeded' | 'failed';
  createdDateTime: string;
  lastModifiedDateTime: string;
}

/** What the customer does with a GDAP invitation link (autopilot). */
export type GdapDecision =
  | { mode: 'default' }
  | { mode: 'never' }
  | { mode: 'approve'; hours: number }
  | { mode: 'reject'; hours: number };

export interface GdapSettings {
  /** Transacting calls need an active GDAP relationship with a suitable role (scenario setting). */
  requireGdap: boolean;
  /** Hours after lockForApproval before a customer (default behaviour) approves. */
  approvalHours: number;
  /** How long an approval request stays open (§11: 90 days). */
  requestExpiry: string;
  /** How long before `endDateTime` a non-extending relationship shows `expiring` (guess). */
  expiringNotice: string;
  /** Time Graph takes to apply an access assignment or a change to it. */
  assignmentDelay: string;
  /** Time from terminationRequested to terminated. */
  terminationDelay: string;
}

export interface GdapSnapshot {
  rngState: number;
  settings: GdapSettings;
  relationships: GdapRelationshipRecord[];
  requests: GdapRequestRecord[];
  accessAssignments: GdapAccessAssignmentRecord[];
  operations: GdapOperationRecord[];
  /** Customer tenant id → what it does with GDAP invitations. */
  decisions: Record<string, GdapDecision>;
}

export interface CustomerUserRecord {
  id: string;
  customerTenantId: string;
  userPrincipalName: string;
  firstName: string;
  lastName: string;
  displayName: string;
  usageLocation: string;
  createdAt: string;
  /** Offer ids whose licences the user holds (one seat each). */
  licenses: string[];
}

export interface InvoiceLineItemRecord {
  lineItemNumber: number;
  customerId: string;
  customerName: string;
  orderId: string;
  subscriptionId: string;
  offerId: string;
  offerName: string;
  chargeType: 'new' | 'cycle_charge';
  billingCycle: string;
  chargeStartDate: string;
  chargeEndDate: string;
  quantity: number;
  /** Exact decimals in minor units ×100 (cents) to keep sums exact. */
  unitPriceCents: number;
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
}

export interface InvoiceRecord {
  id: string;
  partnerTenantId: string;
  invoiceDate: string;
  billingPeriodStartDate: string;
  billingPeriodEndDate: string;
  currencyCode: string;
  currencySymbol: string;
  lineItems: InvoiceLineItemRecord[];
}

export interface TenantDataSnapshot {
  rngState: number;
  users: CustomerUserRecord[];
  /** Customers whose generated users have been materialised. */
  seededCustomers: string[];
  invoices: InvoiceRecord[];
  /** Partner tenant id → last invoiced period start (`YYYY-MM-01`). */
  invoicedThrough: Record<string, string>;
}
