/**
 * Records of today's commerce flows: partner-to-partner transfers (partner-center-api.md §9d, §11)
 * and legacy-to-new-commerce migrations (§9b). Kept apart from `model.ts` so the older flows stay
 * readable; the store holds them in a {@link CommerceStore} and snapshots them flat.
 */

/** Transfer status as Partner Center spells it (PascalCase, §1 "JSON conventions"). */
export type TransferStatus =
  | 'Pending'
  | 'Active'
  | 'InProgress'
  | 'Complete'
  | 'Cancel'
  | 'Expired'
  | 'Reject'
  | 'Withdrawn'
  | 'Failed';

export const TRANSFER_STATUSES: readonly TransferStatus[] = [
  'Pending',
  'Active',
  'InProgress',
  'Complete',
  'Cancel',
  'Expired',
  'Reject',
  'Withdrawn',
  'Failed',
];

/** `new_commerce`: target creates, source accepts by PATCH. `legacy`: source creates, target accepts by POST. */
export type TransferFlow = 'new_commerce' | 'legacy';

/** `targetProductTypes` values (§11). */
export const TRANSFER_PRODUCT_TYPES = [
  'AzureSubscription',
  'AzureReservation',
  'AzureSavingsPlan',
  'OnlineServicesNCE',
] as const;

export interface TransferErrorRecord {
  code: number;
  description: string;
}

export interface TransferLineItemRecord {
  id: number;
  subscriptionId: string;
  offerId: string;
  friendlyName: string;
  quantity: number;
  billingCycle: string;
  productType: string;
  partnerIdOnRecord: string | null;
  status: string | null;
  transferError: TransferErrorRecord | null;
  /** The subscription the target got (emulator bookkeeping; the wire links by `transferId`). */
  targetSubscriptionId: string | null;
}

/** Who plays the source partner: the client (`manual`), or the autopilot after a delay / never. */
export type TransferActorBehaviour =
  { mode: 'after'; hours: number } | { mode: 'never' } | { mode: 'default' } | { mode: 'manual' };

export interface TransferRecord {
  id: string;
  flow: TransferFlow;
  customerTenantId: string;
  customerName: string;
  customerEmailId: string | null;
  sourcePartnerTenantId: string;
  sourcePartnerName: string;
  targetPartnerTenantId: string;
  targetPartnerName: string;
  targetPartnerEmailId: string | null;
  /** `null` means every product type (§11). */
  targetProductTypes: string[] | null;
  /** 3 or 5 for new commerce (both accepted, §11); null for the legacy flow. */
  transferType: number | null;
  /** MPN id of the reseller of record when the target is an indirect provider. */
  partnerIdOnRecord: string | null;
  status: TransferStatus;
  createdTime: string;
  lastModifiedTime: string;
  lastModifiedUser: string;
  expirationTime: string | null;
  completedTime: string | null;
  lineItems: TransferLineItemRecord[];
  /** Per-transfer override of the source partner's autopilot; undefined = the partner's setting. */
  sourceAccepts?: TransferActorBehaviour;
}

export type MigrationStatus = 'Processing' | 'Completed' | 'Failed';

export interface MigrationRecord {
  id: string;
  partnerTenantId: string;
  customerTenantId: string;
  currentSubscriptionId: string;
  status: MigrationStatus;
  startedTime: string;
  completedTime: string | null;
  completesAt: string;
  catalogItemId: string;
  newCommerceSubscriptionId: string | null;
  newCommerceOrderId: string | null;
  subscriptionEndDate: string | null;
  customTermEndDate: string | null;
  quantity: number;
  termDuration: string;
  billingCycle: string;
  purchaseFullTerm: boolean;
  externalReferenceId: string | null;
  errorCode: number | null;
  errorDescription: string | null;
}

export interface MigrationEventRecord {
  id: string;
  newCommerceMigrationId: string;
  currentSubscriptionId: string;
  customerTenantId: string;
  partnerTenantId: string;
  createdTime: string;
  eventName: string;
}

export type MigrationScheduleStatus =
  'Scheduled' | 'Processing' | 'Completed' | 'Cancelled' | 'Failed';

export interface MigrationScheduleRecord {
  id: string;
  partnerTenantId: string;
  customerTenantId: string;
  currentSubscriptionId: string;
  catalogItemId: string;
  quantity: number;
  termDuration: string;
  billingCycle: string;
  purchaseFullTerm: boolean;
  customTermEndDate: string | null;
  externalReferenceId: string | null;
  targetDate: string | null;
  migrateOnRenewal: boolean;
  subscriptionEndDate: string | null;
  status: MigrationScheduleStatus;
  createdTime: string;
  lastModifiedTime: string;
  newCommerceMigrationId: string | null;
  errorCode: number | null;
  errorDescription: string | null;
}

export interface PartnerActorRecord {
  partnerTenantId: string;
  acceptTransfers: TransferActorBehaviour;
}

/** Autopilot timings of the commerce flows (AutopilotConfig.commerce). */
export interface CommerceTimings {
  /** [guess] How long a pending transfer waits for the source before it expires (docs: "will expire"). */
  transferExpiry: string;
  /** [guess] Time between the source's acceptance and completion. */
  transferCompletion: string;
  /** Hours before a source partner played by the autopilot with `default` accepts. */
  sourceAcceptHours: number;
  /** [guess] Time a new-commerce migration takes from create to Completed. */
  migrationDuration: string;
  /** Subscriptions one transfer may carry (consolidation tutorial: 300 per tenant). */
  transferSubscriptionLimit: number;
}

export const DEFAULT_COMMERCE_TIMINGS: CommerceTimings = {
  transferExpiry: 'P30D',
  transferCompletion: 'PT1H',
  sourceAcceptHours: 24,
  migrationDuration: 'PT10M',
  transferSubscriptionLimit: 300,
};

export interface CommerceSnapshot {
  transfers?: TransferRecord[];
  migrations?: MigrationRecord[];
  migrationEvents?: MigrationEventRecord[];
  migrationSchedules?: MigrationScheduleRecord[];
  partnerActors?: PartnerActorRecord[];
}

/** The commerce part of the store: maps by id plus the per-partner transfer actors. */
export class CommerceStore {
  readonly transfers = new Map<string, TransferRecord>();
  readonly migrations = new Map<string, MigrationRecord>();
  readonly migrationEvents: MigrationEventRecord[] = [];
  readonly migrationSchedules = new Map<string, MigrationScheduleRecord>();
  readonly partnerActors = new Map<string, PartnerActorRecord>();

  transfersOf(customerTenantId: string): TransferRecord[] {
    return [...this.transfers.values()].filter((t) => t.customerTenantId === customerTenantId);
  }

  toSnapshot(): Required<CommerceSnapshot> {
    return {
      transfers: [...this.transfers.values()],
      migrations: [...this.migrations.values()],
      migrationEvents: this.migrationEvents,
      migrationSchedules: [...this.migrationSchedules.values()],
      partnerActors: [...this.partnerActors.values()],
    };
  }

  static fromSnapshot(snap: CommerceSnapshot): CommerceStore {
    const c = new CommerceStore();
    (snap.transfers ?? []).forEach((t) => c.transfers.set(t.id, t));
    (snap.migrations ?? []).forEach((m) => c.migrations.set(m.id, m));
    c.migrationEvents.push(...(snap.migrationEvents ?? []));
    (snap.migrationSchedules ?? []).forEach((s) => c.migrationSchedules.set(s.id, s));
    (snap.partnerActors ?? []).forEach((p) => c.partnerActors.set(p.partnerTenantId, p));
    return c;
  }
}
