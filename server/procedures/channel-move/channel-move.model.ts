import { type GdapItemState, type GdapWorkflowPlan } from '../shared/gdap/gdap-desired-state.js';
import { type InvitationRecord } from '../shared/invitation-follow-up.js';

/** Item kinds of a channel move (R-CHN-*). */
/** The workflow-level item: reseller relationship request and acceptance (R-CHN-1). */
export const RELATIONSHIP = 'RELATIONSHIP';
/** One existing license of the customer, re-bought in CSP on its cut-over date (R-CHN-2). */
export const LINE = 'LINE';

/** Contract enum `SourceChannel`. */
export type SourceChannel = 'ENTERPRISE_AGREEMENT' | 'OPEN' | 'WEB_DIRECT' | 'OTHER_PARTNER';
/** Contract enum `RecommendedAction`. */
export type LineAction = 'LET_EXPIRE' | 'CANCEL';

/** Where a line stands (shown to users as `ChannelMoveLine.state`). */
export type LineState = 'PLANNED' | 'SCHEDULED' | 'ORDERED' | 'DONE' | 'BLOCKED' | 'EXCLUDED';

/** Default lead time: the cut-over is the day before the original's natural expiry (R-CHN-3). */
export const DEFAULT_LEAD_DAYS = 1;
export const MAX_LEAD_DAYS = 90;
/** Lines per plan: a CSV of every license of one customer fits easily. */
export const MAX_LINES = 500;

export interface TenantRef {
  tenantId: string;
  name: string;
  mpnId: string;
  country: string;
  region: string | null;
}

/** Workflow data of a channel move. */
export interface ChannelMoveData {
  partner: TenantRef;
  customerTenantId: string;
  customerCountry: string;
  sourceChannel: SourceChannel;
  leadDays: number;
  startedBy?: string;
  /** GDAP for the partner (issue 15 item 2), when GDAP is on: the template as planned. */
  gdap?: GdapWorkflowPlan;
}

/** The RELATIONSHIP item's data (its customer snapshot feeds `ChannelMove.customer`). */
export interface RelationshipItemData {
  companyName: string;
  domain: string;
  country: string;
  /** False when the partner already had a reseller relationship at planning time. */
  relationshipRequired: boolean;
  invitationUrl?: string;
  /** The current request's reminders and validity (procedures/shared/invitation-follow-up.ts). */
  invitation?: InvitationRecord;
  acceptedAt?: string;
  /** The partner's GDAP step for the customer (plan and progress), when GDAP is on. */
  gdap?: GdapItemState;
}

/** One license line as given (inline or CSV), before planning. */
export interface LicenseLine {
  /** 1-based position in `licenses`, or the CSV's physical line number (the header is line 1). */
  lineNumber: number;
  offerId: string;
  seats: number;
  /** ISO-8601 UTC, or null when the caller did not know it. */
  expiresOn: string | null;
  action: LineAction;
}

/** A LINE item's data: the line, its plan and its progress. */
export interface LineItemData extends LicenseLine {
  companyName: string;
  sourceOfferName: string | null;
  targetOfferId: string | null;
  targetOfferName: string | null;
  /** The target is the source offer's successor, not the source offer itself (R-CHN-6). */
  equivalentOffer: boolean;
  licenseReassignmentRequired: boolean;
  /** When the target is ordered; null = as soon as the relationship is accepted (CANCEL). */
  cutoverAt: string | null;
  minimumQuantity: number | null;
  maximumQuantity: number | null;
  warnings: string[];
  // progress
  orderId?: string;
  targetSubscriptionId?: string;
  orderedAt?: string;
  activeAt?: string;
}

const DAY_MS = 86_400_000;

/**
 * The cut-over instant of a LET_EXPIRE line: 00:00 UTC, `leadDays` days before the UTC day on
 * which the original expires (R-CHN-3: waiting until close to the natural expiry is best, since
 * cancelled subscriptions are not refunded). CANCEL lines have none: they move at acceptance.
 */
export function cutoverFor(
  action: LineAction,
  expiresOn: string | null,
  leadDays: number,
): string | null {
  if (action === 'CANCEL' || !expiresOn) {
    return null;
  }
  const day = Date.parse(`${expiresOn.slice(0, 10)}T00:00:00.000Z`);
  return new Date(day - leadDays * DAY_MS).toISOString();
}

/** The tag in the friendly name of a line's order, so a resumed step can find its own order. */
export function orderTag(workflowId: string, lineNumber: number): string {
  return `move ${workflowId.slice(0, 8)}-${lineNumber}`;
}
