import { type SubscriptionItemData } from './consolidation.model.js';

export type { ConsolidationPlanOptions } from './consolidation.model.js';

// The consolidation's paths on today's Partner Center (issue 15): which way each source
// subscription moves, and the items of the partner-to-partner transfer path.

/** A source subscription that moves by partner-to-partner transfer (§11 consolidation tutorial). */
export const SUBSCRIPTION_TRANSFER = 'SUBSCRIPTION_TRANSFER';
/**
 * One transfer request per customer and source tenant: created as the target, accepted as the
 * source with the chosen line items, followed to completion (§11). Child of the CUSTOMER item.
 */
export const TRANSFER_REQUEST = 'TRANSFER_REQUEST';
/** Legacy Azure (0145P) moved to the Azure plan at the source first, then transferred (plan option). */
export const AZURE_PLAN_UPGRADE = 'AZURE_PLAN_UPGRADE';

/** Contract enum `ConsolidationPath`: how one subscription moves, shown in the plan with its reason. */
export type ConsolidationPath =
  'TRANSFER' | 'REPROVISION' | 'SUPPORT_MIGRATION' | 'AZURE_PLAN_THEN_TRANSFER' | 'NONE';

/** Microsoft's limit (§11): at most 300 subscriptions per tenant in one consolidation transfer. */
export const TRANSFER_SUBSCRIPTION_LIMIT = 300;

/** What the plan says of each subscription item (beside its kind). */
export interface PathData {
  path: ConsolidationPath;
  pathReason: string;
  /** Transfer path: the wave the subscription belongs to (1 when its source tenant needs none). */
  wave?: number;
}

/** A subscription moving by transfer; progress fields beside the inventory. */
export interface SubscriptionTransferData extends SubscriptionItemData, PathData {
  productType: 'OnlineServicesNCE' | 'AzureSubscription';
  termDuration: string | null;
  transferId?: string;
  transferCompletedAt?: string;
  verifiedAt?: string;
}

/** The transfer request of one customer from one source tenant. */
export interface TransferRequestData {
  companyName: string;
  sourceTenantId: string;
  sourceName: string;
  customerEmail: string;
  /** The SUBSCRIPTION_TRANSFER items it carries (its line items). */
  subscriptionItemIds: string[];
  /** Whether an AZURE_PLAN_UPGRADE item of the same customer must finish first. */
  afterUpgrade?: boolean;
  /** 1, then 2 after one expiry (re-created once, then a blocker). */
  attempt?: number;
  transferId?: string;
  expiredTransferIds?: string[];
  expiresAt?: string | null;
  /**
   * The request's status as our own create answered it (`pending`), so the accept needs no read
   * (issue 20); cleared once anything may have changed it (a refusal, the acceptance).
   */
  knownStatus?: string | null;
  acceptedAt?: string;
  /**
   * The first completion check read the target's list and found a line's copy missing: later
   * checks read the transfer alone until it completes (issue 20).
   */
  completionListRead?: boolean;
  completedAt?: string;
  /** Source subscription id → target subscription id, from the completed transfer's line items. */
  moved?: Record<string, string>;
  /** Source subscription id → why its line item failed. */
  failedLines?: Record<string, string>;
  /** SUBSCRIPTION_TRANSFER item id → what differs from the inventory (empty: verified). */
  problems?: Record<string, string[]>;
  /** The transfer-integrity sweep's schedule after completion (steps/transfer-integrity.sweep.ts). */
  integrity?: TransferWatchMark;
}

/** When the transfer-integrity sweep looks at a completed transfer again, and until when. */
export interface TransferWatchMark {
  /** Next check in Partner Center (business time, ISO). */
  nextCheckAt: string;
  /** Checks stop after this (completion + the watch; later when a check raised a blocker). */
  watchUntil: string;
  /** Checks made so far. */
  checks: number;
}

/** The Azure plan transition of one customer at its source tenant, before the transfer. */
export interface AzurePlanUpgradeData {
  companyName: string;
  sourceTenantId: string;
  upgradeId?: string | null;
  /** Legacy source subscription id → its Azure plan subscription id after the upgrade. */
  upgraded?: Record<string, string>;
  completedAt?: string;
}
