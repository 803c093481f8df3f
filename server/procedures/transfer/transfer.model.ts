import { emailSchema } from '../../shared/validation.js';
import { type GdapItemState, type GdapWorkflowPlan } from '../shared/gdap/gdap-desired-state.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';

/** The one item of a transfer workflow: ticket → form → support → clean-up. */
export const TRANSFER = 'TRANSFER';

/** Contract enum `TransferParty`: the three signatories of the form (R-TRF-4/5). */
export type TransferParty = 'CURRENT_PARTNER' | 'CUSTOMER' | 'NEW_PARTNER';
export const TRANSFER_PARTIES: readonly TransferParty[] = [
  'CURRENT_PARTNER',
  'CUSTOMER',
  'NEW_PARTNER',
];

/** Where the transfer item stands (shown as its state). */
export type TransferState =
  'PLANNED' | 'TICKET_OPENED' | 'FORM_ATTACHED' | 'TRANSFERRED' | 'CLEANUP_MANUAL' | 'DONE';

export interface Contact {
  name: string;
  email: string;
  phone: string | null;
}

export interface PostalAddress {
  addressLine1: string | null;
  addressLine2: string | null;
  city: string | null;
  postalCode: string | null;
  region: string | null;
  country: string | null;
}

/** Workflow data of a transfer: everything the CSP Subscription Transfer form needs (R-TRF-4/5). */
export interface TransferData {
  currentPartner: {
    tenantId: string;
    /** The partner's Microsoft ID (Partner Center account = Entra tenant id). */
    microsoftId: string;
    name: string;
    mpnId: string;
    country: string;
    organizationName: string;
    address: PostalAddress | null;
    contact: Contact | null;
    /** PARTNER_CENTER (organization profile) or DIRECTORY (profile unavailable; our records). */
    profileSource: 'PARTNER_CENTER' | 'DIRECTORY';
  };
  customer: { tenantId: string; companyName: string; domain: string; country: string | null };
  subscription: {
    subscriptionId: string;
    offerId: string;
    offerName: string | null;
    friendlyName: string | null;
    azureSubscriptionId: string;
  };
  newPartner: {
    tenantId: string;
    mpnId: string;
    name: string | null;
    country: string | null;
    /** The organization serving the new partner when this server serves it (credentials for R-TRF-6/8). */
    organizationId: string | null;
    /** R-TRF-5: the new partner's details on the form (given at planning or by updateTransferNewPartner). */
    contact?: Contact | null;
    address?: PostalAddress | null;
    /** The organization name the new partner gives (when not served here, the form has no other). */
    organizationName?: string | null;
    /** R-TRF-5: the customer's agreement in place at the new partner (transfer-new-partner.ts). */
    agreement?: NewPartnerAgreement;
  };
  /** R-TRF-2: the customer's written request. */
  customerRequest: { receivedAt: string; reference: string | null };
  /** R-TRF-7: exactly two partner administrators whom Microsoft support contacts. */
  partnerAdmins: Contact[];
  /** Checks that could not be made in Partner Center at planning time (e.g. R-TRF-6). */
  pendingChecks: string[];
  startedBy?: string;
  /** GDAP for the new partner (R-TRF-6/8, issue 15 item 2), when it is served here and GDAP is on. */
  gdap?: GdapWorkflowPlan;
}

/**
 * R-TRF-5 "check that the new customer has an agreement in place". IN_PLACE / MISSING: read in
 * Partner Center with the new partner's credentials (served here); CONFIRMED / UNCONFIRMED: the new
 * partner is another organization's tenant we cannot query, so an operator confirms it.
 */
export interface NewPartnerAgreement {
  status: 'IN_PLACE' | 'MISSING' | 'CONFIRMED' | 'UNCONFIRMED' | 'UNREADABLE';
  /** Agreement type Partner Center lists (MicrosoftCustomerAgreement, MicrosoftCloudAgreement). */
  type: string | null;
  dateAgreed: string | null;
  checkedAt: string;
  confirmedBy: string | null;
}

export interface RoleAssignmentRef {
  id: string;
  name: string;
  principalId: string;
  principalType: string | null;
  roleDefinitionId: string;
}

/** Progress of the transfer item. */
export interface TransferItemData {
  /** The new partner's GDAP step (plan and progress), when it is served here and GDAP is on. */
  gdap?: GdapItemState;
  serviceRequestId?: string;
  attachedAt?: string;
  responseDueAt?: string;
  overdue?: boolean;
  firstResponseAt?: string;
  /** The author name Partner Center puts on our own notes (so they never count as support's). */
  ourAuthor?: string | null;
  /** Support notes we answered (attention_needed rounds). */
  replies?: number;
  lastHandledNoteAt?: string;
  /** Role assignments seen with the current partner's access before the transfer (R-TRF-8). */
  assignmentsBefore?: RoleAssignmentRef[];
  transferredAt?: string;
  newSubscriptionId?: string | null;
  removedRoleAssignments?: string[];
  notRemovedRoleAssignments?: string[];
  /** Manual clean-up (new partner not served here): exactly what to remove. */
  manualRemovals?: RoleAssignmentRef[];
  /** After a cancel: what became of the support ticket (closed once, R-TRF-3). */
  ticketClosure?: {
    status: 'CLOSED' | 'NO_TICKET' | 'FAILED';
    at: string;
    serviceRequestId?: string;
    error?: string;
  };
}

export interface SignatureRecord {
  party: TransferParty;
  signerName: string;
  signerEmail: string;
  signedAt: string;
  via: 'API' | 'SIGNING_LINK';
  /** IANA zone the signature time is shown in (the signer's browser; else the party's country). */
  timeZone?: string;
  /** Network address of the signer's browser (signing link), when known. */
  address?: string | null;
  /** SHA-256 of the form content the signer saw (signatures excluded). */
  contentHash?: string;
}

export function transferData(row: Pick<WorkflowRow, 'dataJson'>): TransferData {
  return JSON.parse(row.dataJson) as TransferData;
}

// Deliberately simple: one @, no spaces, a dot in the domain (RFC 5322 allows far more, support does not).
export const isEmail = (v: string): boolean => emailSchema.safeParse(v).success;

/** Parties that sign through a single-use link (R-TRF-5); the current partner signs in the API. */
export const LINK_PARTIES: readonly TransferParty[] = ['CUSTOMER', 'NEW_PARTNER'];

/** Viewer role of the new partner's organization: it reads an incoming transfer read-only. */
export const INCOMING_TRANSFER = 'INCOMING_TRANSFER';
