import { type SubscriptionRecord } from '../../modules/subscriptions/subscription.service.js';
import {
  mapBillingType,
  mapProductFamily,
  mapSubscriptionStatus,
} from '../../partner-center/mapping.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type WorkflowItemRow, type WorkflowRow } from '../../workflows/engine/engine.types.js';
import * as repo from '../../workflows/engine/workflow.repository.js';
import {
  LINE,
  RELATIONSHIP,
  type ChannelMoveData,
  type LineItemData,
  type LineState,
  type RelationshipItemData,
} from './channel-move.model.js';

export interface ChannelMoveLineView extends LineItemData {
  state: LineState | 'FAILED';
  status: string;
  detail: string | null;
  /** `Blocker.subject` of this line's blockers. */
  subject: string;
}

export interface ChannelMoveView {
  data: ChannelMoveData;
  relationship: RelationshipItemData & {
    state: string;
    status: string;
    detail: string | null;
    accepted: boolean;
  };
  lines: ChannelMoveLineView[];
}

function lineView(item: WorkflowItemRow): ChannelMoveLineView {
  const d = JSON.parse(item.dataJson) as LineItemData;
  return {
    ...d,
    state: item.status === 'FAILED' ? 'FAILED' : (item.state as LineState),
    status: item.status,
    detail: item.waitingReason ?? item.lastError,
    subject: item.subject ?? `line:${d.lineNumber}`,
  };
}

/** What the API and the plan export show of a channel move. */
export class ChannelMoveViewService {
  constructor(private readonly deps: { db: EngineDb }) {}

  data(row: WorkflowRow): ChannelMoveData {
    return JSON.parse(row.dataJson) as ChannelMoveData;
  }

  async view(row: WorkflowRow): Promise<ChannelMoveView> {
    const items = await repo.listItems(this.deps.db, row.id);
    const rel = items.find((i) => i.kind === RELATIONSHIP);
    const relData = rel ? (JSON.parse(rel.dataJson) as RelationshipItemData) : null;
    const data = this.data(row);
    return {
      data,
      relationship: {
        companyName: relData?.companyName ?? data.customerTenantId,
        domain: relData?.domain ?? '',
        country: relData?.country ?? data.customerCountry,
        relationshipRequired: relData?.relationshipRequired ?? true,
        ...(relData?.invitationUrl ? { invitationUrl: relData.invitationUrl } : {}),
        ...(relData?.invitation ? { invitation: relData.invitation } : {}),
        ...(relData?.acceptedAt ? { acceptedAt: relData.acceptedAt } : {}),
        state: rel?.state ?? 'PLANNED',
        status: rel?.status ?? 'PENDING',
        detail: rel ? (rel.waitingReason ?? rel.lastError) : null,
        accepted: !!relData?.acceptedAt,
        ...(relData?.gdap ? { gdap: relData.gdap } : {}),
      },
      lines: items.filter((i) => i.kind === LINE).map(lineView),
    };
  }

  /** A line's CSP subscription as the workflow recorded it (when Partner Center cannot be read). */
  recordedTarget(view: ChannelMoveView, l: ChannelMoveLineView): SubscriptionRecord | null {
    if (!l.targetSubscriptionId) {
      return null;
    }
    const offerId = l.targetOfferId ?? l.offerId;
    return {
      partnerTenantId: view.data.partner.tenantId,
      customerTenantId: view.data.customerTenantId,
      subscriptionId: l.targetSubscriptionId,
      offerId,
      offerName: l.targetOfferName ?? offerId,
      friendlyName: null,
      quantity: l.seats,
      billingType: mapBillingType('license'),
      productFamily: mapProductFamily(offerId, l.targetOfferName),
      status: mapSubscriptionStatus(l.activeAt ? 'active' : 'pending'),
      resellerMpnId: null,
      commitmentEndDate: null,
      entitlementId: null,
    };
  }
}
