import type { TransferLineItemRecord, TransferRecord } from '../core/commerce.model.js';
import type { CustomerRecord, PartnerTenantRecord, SubscriptionRecord } from '../core/model.js';
import type { Actor, EmulatorRuntime } from '../core/runtime.js';
import { errors, PcHttpError } from '../http/responses.js';
import { auditTransfer, moveLineItem } from './transfer-moves.js';

/**
 * The legacy license transfer (partner-center-api.md §9d, create/accept/reject/withdraw): the
 * source creates the request naming the target and the legacy license subscriptions (201, status
 * Active); the target accepts (POST .../accept, subscriptions move at once) or rejects (PATCH
 * status reject); the source withdraws (DELETE, 204). `transferseligibility` says which of the
 * caller's subscriptions may go this way.
 */

/** Why a subscription can't take the legacy license transfer, or undefined when it can. */
export function legacyIneligibility(sub: SubscriptionRecord): string | undefined {
  if (sub.kind === 'new_commerce' || sub.kind === 'azure_plan') {
    return 'New-commerce subscriptions and Azure plans move with a new-commerce transfer request created by the target partner.';
  }
  if (sub.kind === 'azure_legacy') {
    return 'Legacy Azure (MS-AZR-0145P) subscriptions are transferred by Microsoft support.';
  }
  if (sub.status !== 'active') {
    return `The subscription is ${sub.status}.`;
  }
  return undefined;
}

export function eligibility(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  customer: CustomerRecord,
): { id: string; isEligible: boolean; reason: string | null }[] {
  return rt.store.subscriptionsOf(tenant.tenantId, customer.tenantId).map((s) => {
    const reason = legacyIneligibility(s);
    return { id: s.id, isEligible: !reason, reason: reason ?? null };
  });
}

export interface CreateLegacyInput {
  sourcePartnerTenantId?: string;
  targetPartnerTenantId: string;
  lineItems: { subscriptionId: string; partnerIdOnRecord?: string | null }[];
}

export function createLegacyTransfer(
  rt: EmulatorRuntime,
  actor: Actor,
  source: PartnerTenantRecord,
  customer: CustomerRecord,
  input: CreateLegacyInput,
): TransferRecord {
  const store = rt.store;
  if (
    input.sourcePartnerTenantId &&
    input.sourcePartnerTenantId.toLowerCase() !== source.tenantId
  ) {
    throw new PcHttpError(
      400,
      900400,
      'In a legacy transfer the source partner creates the request: sourcePartnerTenantId must be the calling partner.',
    );
  }
  const target = store.partners.get(input.targetPartnerTenantId.toLowerCase());
  if (!target || target.tenantId === source.tenantId) {
    throw new PcHttpError(
      400,
      900400,
      `targetPartnerTenantId ${input.targetPartnerTenantId} is not another partner tenant.`,
    );
  }
  if (input.lineItems.length === 0) {
    throw errors.invalidInput('lineItems: list the subscriptions to transfer.', ['lineItems']);
  }
  const seen = new Set<string>();
  const lineItems: TransferLineItemRecord[] = input.lineItems.map((line, i) => {
    const at = `lineItems[${i}]`;
    const id = line.subscriptionId.toLowerCase();
    const sub = store.subscriptionsOf(source.tenantId, customer.tenantId).find((s) => s.id === id);
    if (!sub || seen.has(id)) {
      throw errors.invalidInput(
        `${at}.subscriptionId: ${line.subscriptionId} is not a (distinct) subscription of this partner for the customer.`,
        [at],
      );
    }
    seen.add(id);
    const reason = legacyIneligibility(sub);
    if (reason) {
      throw new PcHttpError(
        400,
        900400,
        `${at}: subscription ${sub.id} is not eligible. ${reason}`,
        [at],
      );
    }
    return {
      id: i,
      subscriptionId: sub.id,
      offerId: sub.offerId,
      friendlyName: sub.friendlyName,
      quantity: sub.quantity,
      billingCycle: sub.billingCycle,
      productType: 'OnlineServices',
      partnerIdOnRecord: line.partnerIdOnRecord ?? sub.partnerId,
      status: null,
      transferError: null,
      targetSubscriptionId: null,
    };
  });
  const now = rt.nowIso();
  const t: TransferRecord = {
    id: rt.newId(),
    flow: 'legacy',
    customerTenantId: customer.tenantId,
    customerName: customer.companyName,
    customerEmailId: null,
    sourcePartnerTenantId: source.tenantId,
    sourcePartnerName: source.name,
    targetPartnerTenantId: target.tenantId,
    targetPartnerName: target.name,
    targetPartnerEmailId: null,
    targetProductTypes: null,
    transferType: null,
    partnerIdOnRecord: lineItems[0]?.partnerIdOnRecord ?? null,
    status: 'Active',
    createdTime: now,
    lastModifiedTime: now,
    lastModifiedUser: actor.userPrincipalName,
    expirationTime: null,
    completedTime: null,
    lineItems,
  };
  store.commerce.transfers.set(t.id, t);
  auditTransfer(rt, t, 'create_transfer', source.tenantId, actor, undefined);
  return t;
}

function requireActive(t: TransferRecord): void {
  if (t.status !== 'Active') {
    throw new PcHttpError(
      409,
      900104,
      `The transfer ${t.id} was already processed (status ${t.status}).`,
    );
  }
}

/** Target accepts: subscriptions move now; returns the new subscriptions' order ids. */
export function acceptLegacyTransfer(
  rt: EmulatorRuntime,
  actor: Actor,
  tenant: PartnerTenantRecord,
  t: TransferRecord,
): {
  orderIds: string[];
  errors: { transferGroupId: string; code: number; description: string; lineItems: number[] }[];
} {
  if (t.flow !== 'legacy' || tenant.tenantId !== t.targetPartnerTenantId) {
    throw new PcHttpError(403, 900400, 'Only the target partner accepts a legacy transfer.');
  }
  requireActive(t);
  const rel = rt.store.relationship(tenant.tenantId, t.customerTenantId);
  if (!rel || rel.relationshipToPartner !== 'reseller' || rel.indirectProviderTenantId !== null) {
    throw errors.noRelationship(t.customerTenantId);
  }
  const before = { status: t.status };
  const orderIds: string[] = [];
  const failures: {
    transferGroupId: string;
    code: number;
    description: string;
    lineItems: number[];
  }[] = [];
  for (const li of t.lineItems) {
    const moved = moveLineItem(rt, t, li);
    if (moved) {
      orderIds.push(moved.orderId);
    } else if (li.transferError) {
      failures.push({
        transferGroupId: t.id,
        code: li.transferError.code,
        description: li.transferError.description,
        lineItems: [li.id],
      });
    }
  }
  t.status = orderIds.length > 0 ? 'Complete' : 'Failed';
  t.completedTime = rt.nowIso();
  t.lastModifiedTime = t.completedTime;
  t.lastModifiedUser = actor.userPrincipalName;
  auditTransfer(rt, t, 'update_transfer', tenant.tenantId, actor, before);
  return { orderIds, errors: failures };
}

export function rejectLegacyTransfer(
  rt: EmulatorRuntime,
  actor: Actor,
  tenant: PartnerTenantRecord,
  t: TransferRecord,
): TransferRecord {
  if (tenant.tenantId !== t.targetPartnerTenantId) {
    throw new PcHttpError(403, 900400, 'Only the target partner can reject a transfer.');
  }
  requireActive(t);
  t.status = 'Reject';
  t.lastModifiedTime = rt.nowIso();
  t.lastModifiedUser = actor.userPrincipalName;
  auditTransfer(rt, t, 'update_transfer', tenant.tenantId, actor, { status: 'Active' });
  return t;
}

export function withdrawLegacyTransfer(
  rt: EmulatorRuntime,
  actor: Actor,
  tenant: PartnerTenantRecord,
  t: TransferRecord,
): void {
  if (t.flow !== 'legacy') {
    throw new PcHttpError(
      400,
      900400,
      'A new-commerce transfer is cancelled with PATCH {"status":"Cancel"} by the target partner.',
    );
  }
  if (tenant.tenantId !== t.sourcePartnerTenantId) {
    throw new PcHttpError(
      403,
      900400,
      'Only the source partner that created the transfer can withdraw it.',
    );
  }
  requireActive(t);
  t.status = 'Withdrawn';
  t.lastModifiedTime = rt.nowIso();
  t.lastModifiedUser = actor.userPrincipalName;
  auditTransfer(rt, t, 'update_transfer', tenant.tenantId, actor, { status: 'Active' });
}
