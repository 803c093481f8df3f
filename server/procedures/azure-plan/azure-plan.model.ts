import { type BlockerCode } from '../../shared/error-codes.js';
/** Item kinds of an Azure plan transition. */
/** The customer-level item: eligibility, the product upgrade(s), the budget, the final report. */
export const TRANSITION = 'TRANSITION';
/** One Azure plan to buy: one per customer (direct) or per reseller of record (indirect), R-AZP-3. */
export const AZURE_PLAN = 'AZURE_PLAN';
/** One legacy 0145P subscription whose Azure subscription is mapped to its plan (R-AZP-4/8). */
export const AZURE_MAPPING = 'AZURE_MAPPING';

/** Contract enum `AzureMappingState`. */
export type AzureMappingState = 'PLANNED' | 'UPGRADING' | 'VERIFYING' | 'MAPPED' | 'FAILED';

export interface Money {
  /** Exact decimal string, at most two decimals. */
  amount: string;
  /** ISO 4217, the customer's local currency (R-AZP-5). */
  currency: string;
}

/** Workflow data of an Azure plan transition. */
export interface AzurePlanData {
  partnerTenantId: string;
  partnerTenantName: string;
  /** direct | indirect_provider (R-AZP-3 decides how many plans). */
  partnerKind: string;
  customerTenantId: string;
  companyName: string;
  domain: string;
  country: string | null;
  budget: Money | null;
  startedBy?: string;
}

export interface TransitionItemData {
  companyName: string;
  domain: string;
  country: string | null;
  /** Product upgrades started, oldest first (a retry after a failed line starts another). */
  upgradeIds?: string[];
  budgetSetAt?: string;
  completedAt?: string;
}

export interface PlanItemData {
  companyName: string;
  /** Reseller of record the plan is bought for; null for a direct partner's single plan. */
  resellerMpnId: string | null;
  /** Commerce subscription ids of the 0145P subscriptions mapped to this plan. */
  commerceSubscriptionIds: string[];
  planSubscriptionId?: string;
  purchasedAt?: string;
}

/** One 0145P subscription: its two parts (R-AZP-8) as inventoried, then its mapping. */
export interface MappingItemData {
  companyName: string;
  commerceSubscriptionId: string;
  azureSubscriptionId: string;
  resellerMpnId: string | null;
  /** The reseller whose plan must receive it: null for a direct partner's single plan (R-AZP-3). */
  planResellerMpnId: string | null;
  friendlyName: string | null;
  status: string;
  creationDate: string | null;
  commitmentEndDate: string | null;
  // progress
  upgradeId?: string;
  /** The product upgrade in which this line failed (R-AZP-9); a retry starts a new one. */
  failedInUpgradeId?: string;
  errorCode?: string;
  errorMessage?: string;
  planSubscriptionId?: string;
  upgradedAt?: string;
  verifiedAt?: string;
  /** Verification rechecks so far (Partner Center may lag behind the upgrade's status). */
  verifyChecks?: number;
}

/** Blocker codes of the dry run (R-AZP-1/2, Partner Center 900105/900108/900109). */
export const BLOCKER = {
  NO_RELATIONSHIP: 'NO_RELATIONSHIP',
  NO_MCA: 'NO_MCA',
  NO_LEGACY_AZURE: 'NO_LEGACY_AZURE',
  SUSPENDED_AZURE_SUBSCRIPTION: 'SUSPENDED_AZURE_SUBSCRIPTION',
  TRANSITION_IN_PROGRESS: 'TRANSITION_IN_PROGRESS',
  NOT_ELIGIBLE: 'NOT_ELIGIBLE',
  SOURCE_OF_CONSOLIDATION: 'SOURCE_OF_CONSOLIDATION',
} as const;

/** Partner Center error codes of the product upgrade (reference §1, §9a) → our blocker codes. */
export function blockerCodeOf(partnerCenterCode: string | null | undefined): BlockerCode {
  switch (partnerCenterCode) {
    case '900105':
      return BLOCKER.SUSPENDED_AZURE_SUBSCRIPTION;
    case '900108':
      return BLOCKER.NO_LEGACY_AZURE;
    case '900109':
      return BLOCKER.TRANSITION_IN_PROGRESS;
    case '13605':
      return BLOCKER.NO_MCA;
    case '20002':
      return BLOCKER.NO_RELATIONSHIP;
    default:
      return BLOCKER.NOT_ELIGIBLE;
  }
}

/** The leading numeric code of an eligibility `reason` ("900105: …"), if it has one. */
export function reasonCode(reason: string | null | undefined): string | null {
  const match = /^\s*(\d{3,})\b/.exec(reason ?? '');
  return match?.[1] ?? null;
}
