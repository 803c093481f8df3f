import { type SubscriptionRecord } from '../../modules/subscriptions/subscription.service.js';
import {
  mapBillingType,
  mapProductFamily,
  mapSubscriptionStatus,
} from '../../partner-center/mapping.js';
import {
  type ConnectionPage,
  connectionFromSlice,
  decodeCursor,
  encodeCursor,
  resolveFirst,
  type PageArgs,
} from '../../shared/pagination.js';
import { type Clock } from '../../shared/clock.js';
import { toGdapStep } from '../../modules/gdap/gdap.mapper.js';
import { type GdapStep } from '../../modules/gdap/gdap.type.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type InvitationRecord } from '../shared/invitation-follow-up.js';
import { type WorkflowItemRow, type WorkflowRow } from '../../workflows/engine/engine.types.js';
import * as repo from '../../workflows/engine/workflow.repository.js';
import {
  AZURE_SUPPORT_MIGRATION,
  CUSTOMER,
  LICENSE_REPROVISION,
  NO_ACTION,
  type ConsolidationCustomerState,
  type ConsolidationData,
  type CustomerItemData,
  type SubscriptionItemData,
} from './consolidation.model.js';
import {
  type ConsolidationPath,
  type PathData,
  SUBSCRIPTION_TRANSFER,
} from './consolidation-paths.model.js';
import { itemOverlap, overlapReport, type OverlapReport } from './consolidation-overlap.js';

export interface ConsolidationItemView {
  kind: string;
  path: ConsolidationPath;
  pathReason: string | null;
  transferId: string | null;
  customerTenantId: string;
  source: SubscriptionRecord;
  target: SubscriptionRecord | null;
  seats: number;
  targetActiveAt: string | null;
  targetSeenActiveAt: string | null;
  sourceSuspendedAt: string | null;
  overlapDays: number | null;
  overlapOpen: boolean;
  proposedOfferId: string | null;
  proposedOfferName: string | null;
  successorReason: string | null;
  status: string;
  detail: string | null;
}

export interface ConsolidationCustomerView {
  customer: {
    partnerTenantId: string;
    customerTenantId: string;
    companyName: string;
    domain: string;
    country: string | null;
  };
  state: ConsolidationCustomerState;
  invitationUrl: string | null;
  gdap: GdapStep | null;
  invitation: InvitationRecord | null;
  waitingReason: string | null;
  items: ConsolidationItemView[];
}

/** Items shown under a customer: those that move, and those skipped (as the inventory export lists them). */
const SHOWN = new Set([
  LICENSE_REPROVISION,
  AZURE_SUPPORT_MIGRATION,
  SUBSCRIPTION_TRANSFER,
  NO_ACTION,
]);

/** Plans made before issue 15 stored no path: their kind says it. */
export const PATH_OF_KIND: Record<string, ConsolidationPath> = {
  [LICENSE_REPROVISION]: 'REPROVISION',
  [AZURE_SUPPORT_MIGRATION]: 'SUPPORT_MIGRATION',
  [SUBSCRIPTION_TRANSFER]: 'TRANSFER',
};

/** Snapshot of a subscription as inventoried (R-CON-1), for when Partner Center no longer lists it. */
function inventoried(
  partnerTenantId: string,
  customerTenantId: string,
  d: SubscriptionItemData,
  id = d.sourceSubscriptionId,
  status = d.status,
): SubscriptionRecord {
  return {
    partnerTenantId,
    customerTenantId,
    subscriptionId: id,
    offerId: d.offerId,
    offerName: d.offerName ?? d.offerId,
    friendlyName: d.friendlyName,
    quantity: d.seats,
    billingType: mapBillingType(d.billingType),
    productFamily: mapProductFamily(d.offerId, d.offerName),
    status: mapSubscriptionStatus(status),
    resellerMpnId: d.partnerIdOnRecord,
    commitmentEndDate: d.commitmentEndDate ? new Date(d.commitmentEndDate) : null,
    entitlementId: d.azureSubscriptionId,
  };
}

/** What the API shows of a consolidation: its customers with their items, and billing overlap. */
export class ConsolidationViewService {
  constructor(private readonly deps: { db: EngineDb; clock: Clock }) {}

  /** Every item of the consolidation (the transfer waves read them). */
  items(row: WorkflowRow): Promise<WorkflowItemRow[]> {
    return repo.listItems(this.deps.db, row.id);
  }

  data(row: WorkflowRow): ConsolidationData {
    return JSON.parse(row.dataJson) as ConsolidationData;
  }

  itemView(item: WorkflowItemRow, target: ConsolidationData['target']): ConsolidationItemView {
    const d = JSON.parse(item.dataJson) as SubscriptionItemData &
      Partial<PathData> & { transferId?: string };
    const customerTenantId = item.customerTenantId as string;
    const overlap = itemOverlap(item, this.deps.clock.now());
    return {
      kind: item.kind,
      path: d.path ?? PATH_OF_KIND[item.kind] ?? 'NONE',
      pathReason: d.pathReason ?? null,
      transferId: d.transferId ?? null,
      customerTenantId,
      source: inventoried(d.sourceTenantId, customerTenantId, d),
      target: d.targetSubscriptionId
        ? inventoried(
            target.tenantId,
            customerTenantId,
            // R-CHN-6: the replacement is of the proposed successor when there is one.
            d.proposedOfferId
              ? { ...d, offerId: d.proposedOfferId, offerName: d.proposedOfferName ?? null }
              : d,
            d.targetSubscriptionId,
            'active',
          )
        : null,
      seats: d.seats,
      targetActiveAt: d.targetActiveAt ?? null,
      targetSeenActiveAt: d.targetActiveObservedAt ?? d.targetActiveAt ?? null,
      sourceSuspendedAt: d.sourceSuspendedAt ?? null,
      // Live while the overlap is open: it grows each UTC day the source stays active.
      overlapDays: overlap?.days ?? d.overlapDays ?? null,
      overlapOpen: overlap?.open ?? false,
      proposedOfferId: d.proposedOfferId ?? null,
      proposedOfferName: d.proposedOfferName ?? null,
      successorReason: d.successorReason ?? null,
      status: item.status,
      detail: item.waitingReason ?? item.lastError,
    };
  }

  async customers(
    row: WorkflowRow,
    args: PageArgs & { states?: readonly ConsolidationCustomerState[] | null },
  ): Promise<ConnectionPage<ConsolidationCustomerView>> {
    const first = resolveFirst(args.first);
    const states = args.states && args.states.length > 0 ? [...new Set(args.states)].sort() : null;
    // A filtered page's cursors belong to that filter.
    const scope = `consolidation-customers:${row.id}${states ? `:${states.join(',')}` : ''}`;
    const after = args.after ? Number(decodeCursor(scope, args.after)[0]) : -1;
    const { target } = this.data(row);
    // The page's customers and their children only (not every item of the workflow).
    const { rows, totalCount } = await repo.pageItemsOfKind(this.deps.db, row.id, CUSTOMER, {
      afterPosition: after,
      limit: first + 1,
      states,
    });
    const page = rows.slice(0, first);
    const children = new Map<string, WorkflowItemRow[]>();
    for (const item of await repo.listChildren(
      this.deps.db,
      page.map((c) => c.id),
    )) {
      if (item.parentItemId && SHOWN.has(item.kind)) {
        const siblings = children.get(item.parentItemId);
        if (siblings) {
          siblings.push(item);
        } else {
          children.set(item.parentItemId, [item]);
        }
      }
    }
    return connectionFromSlice(
      page.map((c) => {
        const d = JSON.parse(c.dataJson) as CustomerItemData;
        return {
          cursor: encodeCursor(scope, [c.position]),
          node: {
            customer: {
              partnerTenantId: d.sourceTenantId,
              customerTenantId: c.customerTenantId as string,
              companyName: d.companyName,
              domain: d.domain,
              country: d.country,
            },
            state: c.state as ConsolidationCustomerState,
            invitationUrl: d.invitationUrl ?? null,
            gdap: toGdapStep(d.gdap),
            invitation: (d as { invitation?: InvitationRecord }).invitation ?? null,
            waitingReason: c.waitingReason ?? c.lastError,
            items: (children.get(c.id) ?? []).map((i) => this.itemView(i, target)),
          },
        };
      }),
      {
        hasNextPage: rows.length > first,
        hasPreviousPage: after >= 0,
        totalCount,
      },
    );
  }

  async billingOverlap(row: WorkflowRow): Promise<OverlapReport> {
    return overlapReport(await repo.listItems(this.deps.db, row.id), this.deps.clock.now());
  }
}
