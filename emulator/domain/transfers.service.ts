import {
  TRANSFER_PRODUCT_TYPES,
  TRANSFER_STATUSES,
  type TransferLineItemRecord,
  type TransferRecord,
  type TransferStatus,
} from '../core/commerce.model.js';
import { addDuration } from '../core/duration.js';
import type { CustomerRecord, PartnerTenantRecord } from '../core/model.js';
import { countryInfo } from '../core/regions.js';
import type { Actor, EmulatorRuntime } from '../core/runtime.js';
import { errors, PcHttpError } from '../http/responses.js';
import { hasSignedMca } from './access.js';
import { auditTransfer, moveLineItem, transferProductType } from './transfer-moves.js';
import { expiryOf, scheduleTransferTimers } from './transfer-timers.js';

/**
 * New-commerce / Azure plan partner-to-partner transfers (partner-center-api.md §9d, §11): the
 * target creates (Pending), the source picks line items and accepts by PATCH (InProgress), the
 * transfer completes on the clock (Complete) and the subscriptions move. The target may cancel
 * while Pending (Cancel); an unanswered request expires (Expired).
 */

const STATUS_ALIASES: Record<string, TransferStatus> = {
  completed: 'Complete',
  canceled: 'Cancel',
  cancelled: 'Cancel',
  rejected: 'Reject',
  accept: 'Active',
  accepted: 'Active',
  'in progress': 'InProgress',
  in_progress: 'InProgress',
};

/** Reads a transfer status case-insensitively (`pending`, `COMPLETE`, `Completed`, `cancelled`). */
export function parseTransferStatus(value: string): TransferStatus | undefined {
  const lower = value.trim().toLowerCase();
  return TRANSFER_STATUSES.find((s) => s.toLowerCase() === lower) ?? STATUS_ALIASES[lower];
}

export function isAzureProductType(type: string): boolean {
  return type.toLowerCase().startsWith('azure');
}

/** Canonical spelling of a `targetProductTypes` value, or undefined when unknown. */
export function parseProductType(value: string): string | undefined {
  return TRANSFER_PRODUCT_TYPES.find((t) => t.toLowerCase() === value.trim().toLowerCase());
}

/** A transfer of this customer the calling partner is a party to; otherwise 404/900100. */
export function findTransfer(
  rt: EmulatorRuntime,
  tenant: PartnerTenantRecord,
  customerTenantId: string,
  transferId: string,
): TransferRecord {
  const t = rt.store.commerce.transfers.get(transferId.toLowerCase());
  if (
    !t ||
    t.customerTenantId !== customerTenantId.toLowerCase() ||
    (t.sourcePartnerTenantId !== tenant.tenantId && t.targetPartnerTenantId !== tenant.tenantId)
  ) {
    throw new PcHttpError(404, 900100, `Transfer ${transferId} was not found.`);
  }
  return t;
}

export function hasActiveLegacyAzure(rt: EmulatorRuntime, customer: CustomerRecord): boolean {
  return (rt.store.subscriptionsByCustomer.get(customer.tenantId) ?? []).some(
    (s) => s.kind === 'azure_legacy' && s.status === 'active',
  );
}

export interface CreateNceTransferInput {
  sourcePartnerTenantId: string;
  sourcePartnerName: string;
  customerEmailId: string;
  customerName?: string;
  targetPartnerTenantId?: string;
  targetPartnerEmailId?: string;
  targetProductTypes: string[] | null;
  transferType: number;
  partnerIdOnRecord?: string;
}

const cannotCreate = (why: string): PcHttpError =>
  new PcHttpError(400, 900400, `The transfer can't be created: ${why}`);

/** The target (caller) creates a transfer request; rules in the order Partner Center reports them. */
export function createNceTransfer(
  rt: EmulatorRuntime,
  actor: Actor,
  target: PartnerTenantRecord,
  customer: CustomerRecord,
  input: CreateNceTransferInput,
): TransferRecord {
  const store = rt.store;
  if (
    input.targetPartnerTenantId &&
    input.targetPartnerTenantId.toLowerCase() !== target.tenantId
  ) {
    throw cannotCreate(
      'the target partner creates the transfer; targetPartnerTenantId must be the calling partner.',
    );
  }
  const sourceId = input.sourcePartnerTenantId.toLowerCase();
  if (sourceId === target.tenantId) {
    throw cannotCreate('the source and the target partner are the same tenant.');
  }
  const source = store.partners.get(sourceId);
  const rel = source ? store.relationship(source.tenantId, customer.tenantId) : undefined;
  if (!source || !rel || rel.relationshipToPartner !== 'reseller') {
    throw cannotCreate(
      `partner ${input.sourcePartnerTenantId} is not a transacting partner of customer ${customer.tenantId}.`,
    );
  }
  const azure =
    input.targetProductTypes === null || input.targetProductTypes.some(isAzureProductType);
  if (azure && hasActiveLegacyAzure(rt, customer)) {
    // Seen in the wild (§11): legacy 0145P must move to the Azure plan (product upgrade) first.
    throw new PcHttpError(
      400,
      900131,
      "This transfer request can't be initiated as the customer has legacy Azure subscriptions.",
    );
  }
  const open = store.commerce
    .transfersOf(customer.tenantId)
    .find(
      (t) =>
        t.flow === 'new_commerce' &&
        t.sourcePartnerTenantId === source.tenantId &&
        t.targetPartnerTenantId === target.tenantId &&
        (t.status === 'Pending' || t.status === 'InProgress'),
    );
  if (open) {
    throw new PcHttpError(
      409,
      900101,
      `A transfer (${open.id}) between these partners is already in progress for this customer.`,
    );
  }
  if (countryInfo(customer.country).region !== target.region) {
    // §11: a consolidation may cross countries but stays within the partner's region (R-CHN-7).
    throw new PcHttpError(
      403,
      2030,
      `The target partner is not authorised to transact in the customer's region (${customer.country}).`,
    );
  }
  if (!hasSignedMca(rt, customer)) {
    throw new PcHttpError(
      403,
      13605,
      `The customer ${customer.tenantId} must accept the Microsoft Customer Agreement before new-commerce subscriptions can be transferred to this partner.`,
    );
  }
  if (input.partnerIdOnRecord) {
    const reseller = store.partnersByMpn.get(input.partnerIdOnRecord);
    if (
      target.kind !== 'indirect_provider' ||
      !reseller?.providerTenantIds.includes(target.tenantId)
    ) {
      throw cannotCreate(
        `partnerOnRecord ${input.partnerIdOnRecord} is not an indirect reseller of the target partner.`,
      );
    }
  }
  const now = rt.now();
  const t: TransferRecord = {
    id: rt.newId(),
    flow: 'new_commerce',
    customerTenantId: customer.tenantId,
    customerName: input.customerName ?? customer.companyName,
    customerEmailId: input.customerEmailId,
    sourcePartnerTenantId: source.tenantId,
    sourcePartnerName: input.sourcePartnerName,
    targetPartnerTenantId: target.tenantId,
    targetPartnerName: target.name,
    targetPartnerEmailId: input.targetPartnerEmailId ?? null,
    targetProductTypes: input.targetProductTypes,
    transferType: input.transferType,
    partnerIdOnRecord: input.partnerIdOnRecord ?? null,
    status: 'Pending',
    createdTime: now.toISOString(),
    lastModifiedTime: now.toISOString(),
    lastModifiedUser: actor.userPrincipalName,
    expirationTime: expiryOf(store, now),
    completedTime: null,
    lineItems: [],
  };
  store.commerce.transfers.set(t.id, t);
  scheduleTransferTimers(store, t, now);
  auditTransfer(rt, t, 'create_transfer', target.tenantId, actor, undefined);
  return t;
}

export interface AcceptLineInput {
  subscriptionId: string;
  quantity?: number;
  billingCycle?: string;
  productType?: string;
}

function notPending(t: TransferRecord): PcHttpError {
  return t.status === 'Expired'
    ? new PcHttpError(400, 900400, `The transfer ${t.id} expired on ${t.expirationTime ?? ''}.`)
    : new PcHttpError(
        409,
        900104,
        `The transfer ${t.id} was already processed (status ${t.status}).`,
      );
}

/** The source picks line items and accepts (PATCH); the transfer completes on the clock. */
export function acceptNceTransfer(
  rt: EmulatorRuntime,
  actor: Actor,
  t: TransferRecord,
  lines: AcceptLineInput[],
): TransferRecord {
  if (t.status !== 'Pending') {
    throw notPending(t);
  }
  if (lines.length === 0) {
    throw errors.invalidInput(
      'lineItems: the source partner accepts by listing the subscriptions to transfer.',
    );
  }
  const limit = rt.store.autopilot.commerce.transferSubscriptionLimit;
  if (lines.length > limit) {
    throw new PcHttpError(
      400,
      900400,
      `A transfer can carry at most ${limit} subscriptions per tenant; split the ${lines.length} subscriptions over several transfers.`,
    );
  }
  const seen = new Set<string>();
  const items: TransferLineItemRecord[] = lines.map((line, i) => {
    const id = line.subscriptionId.toLowerCase();
    const sub = rt.store
      .subscriptionsOf(t.sourcePartnerTenantId, t.customerTenantId)
      .find((s) => s.id === id);
    const at = `lineItems[${i}]`;
    if (!sub) {
      throw errors.invalidInput(
        `${at}.subscriptionId: ${line.subscriptionId} is not a subscription of the source partner for this customer.`,
        [at],
      );
    }
    if (seen.has(id)) {
      throw errors.invalidInput(`${at}.subscriptionId: ${line.subscriptionId} is listed twice.`, [
        at,
      ]);
    }
    seen.add(id);
    if (sub.kind === 'azure_legacy') {
      throw new PcHttpError(
        400,
        900131,
        "This transfer request can't be initiated as the customer has legacy Azure subscriptions.",
      );
    }
    const productType = transferProductType(sub);
    if (!productType) {
      throw new PcHttpError(
        400,
        900400,
        `${at}: subscription ${sub.id} is a legacy license subscription; only new-commerce subscriptions and Azure plans move with this transfer (legacy licenses use the legacy transfer, see transferseligibility).`,
        [at],
      );
    }
    if (sub.status !== 'active') {
      throw new PcHttpError(
        400,
        900400,
        `${at}: subscription ${sub.id} is ${sub.status}; only active subscriptions can be transferred.`,
        [at],
      );
    }
    if (line.productType && line.productType.toLowerCase() !== productType.toLowerCase()) {
      throw errors.invalidInput(
        `${at}.productType: subscription ${sub.id} is ${productType}, not ${line.productType}.`,
        [at],
      );
    }
    if (
      t.targetProductTypes &&
      !t.targetProductTypes.some((p) => p.toLowerCase() === productType.toLowerCase())
    ) {
      throw new PcHttpError(
        400,
        900400,
        `${at}: the target asked only for ${t.targetProductTypes.join(', ')}; ${sub.id} is ${productType}.`,
        [at],
      );
    }
    const quantity = line.quantity ?? sub.quantity;
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > sub.quantity) {
      throw errors.invalidInput(
        `${at}.quantity: must be a whole number from 1 to ${sub.quantity} (the subscription's seats).`,
        [at],
      );
    }
    if (line.billingCycle && line.billingCycle.toLowerCase() !== sub.billingCycle.toLowerCase()) {
      throw errors.invalidInput(
        `${at}.billingCycle: subscription ${sub.id} bills ${sub.billingCycle}; a transfer keeps the billing cycle.`,
        [at],
      );
    }
    return {
      id: i,
      subscriptionId: sub.id,
      offerId: sub.offerId,
      friendlyName: sub.friendlyName,
      quantity,
      billingCycle: sub.billingCycle,
      productType,
      partnerIdOnRecord: sub.partnerId,
      status: 'InProgress',
      transferError: null,
      targetSubscriptionId: null,
    };
  });
  const before = { status: t.status };
  const now = rt.now();
  t.lineItems = items;
  t.status = 'InProgress';
  t.lastModifiedTime = now.toISOString();
  t.lastModifiedUser = actor.userPrincipalName;
  rt.store.actions = rt.store.actions.filter(
    (a) =>
      !(
        a.target.transferId === t.id &&
        (a.kind === 'transfer.expire' || a.kind === 'transfer.source_accept')
      ),
  );
  rt.schedule(
    'transfer.complete',
    { transferId: t.id },
    addDuration(now, rt.store.autopilot.commerce.transferCompletion),
  );
  auditTransfer(rt, t, 'update_transfer', actor.partnerTenantId, actor, before);
  return t;
}

/** Only the target that created it, only while Pending (§11). */
export function cancelNceTransfer(
  rt: EmulatorRuntime,
  actor: Actor,
  tenant: PartnerTenantRecord,
  t: TransferRecord,
): TransferRecord {
  if (tenant.tenantId !== t.targetPartnerTenantId) {
    throw new PcHttpError(
      403,
      900400,
      'Only the target partner that created the transfer can cancel it.',
    );
  }
  if (t.status !== 'Pending') {
    throw new PcHttpError(
      409,
      900104,
      `A transfer can be cancelled only while it is pending (status ${t.status}).`,
    );
  }
  const before = { status: t.status };
  t.status = 'Cancel';
  t.lastModifiedTime = rt.nowIso();
  t.lastModifiedUser = actor.userPrincipalName;
  rt.store.actions = rt.store.actions.filter((a) => a.target.transferId !== t.id);
  auditTransfer(rt, t, 'update_transfer', tenant.tenantId, actor, before);
  return t;
}

/**
 * [guess] The source partner declines a pending new-commerce transfer in its Partner Center UI:
 * the docs give the source no reject call for this flow (§9d: it accepts, the target cancels); the
 * request then reads `Reject`, as a rejected legacy transfer does. Played by the control API only.
 */
export function rejectNceTransferAsSource(rt: EmulatorRuntime, t: TransferRecord): TransferRecord {
  if (t.flow !== 'new_commerce' || t.status !== 'Pending') {
    throw new PcHttpError(
      409,
      900104,
      `Only a pending new-commerce transfer can be rejected (status ${t.status}).`,
    );
  }
  const source = rt.store.partners.get(t.sourcePartnerTenantId);
  t.status = 'Reject';
  t.lastModifiedTime = rt.nowIso();
  t.lastModifiedUser = `admin@${source?.domain ?? 'partner'}`;
  rt.store.actions = rt.store.actions.filter((a) => a.target.transferId !== t.id);
  auditTransfer(
    rt,
    t,
    'update_transfer',
    t.sourcePartnerTenantId,
    {
      partnerTenantId: t.sourcePartnerTenantId,
      userPrincipalName: t.lastModifiedUser,
      applicationId: 'Partner Center',
      correlationId: rt.newId(),
    },
    { status: 'Pending' },
  );
  return t;
}

export function expireTransfer(rt: EmulatorRuntime, transferId: string): void {
  const t = rt.store.commerce.transfers.get(transferId);
  if (!t || t.status !== 'Pending') {
    return;
  }
  t.status = 'Expired';
  t.lastModifiedTime = rt.nowIso();
  t.lastModifiedUser = 'system@microsoft.com';
  rt.store.actions = rt.store.actions.filter((a) => a.target.transferId !== t.id);
  auditTransfer(rt, t, 'update_transfer', null, null, { status: 'Pending' });
}

export function completeTransfer(rt: EmulatorRuntime, transferId: string): void {
  const t = rt.store.commerce.transfers.get(transferId);
  if (!t || t.status !== 'InProgress') {
    return;
  }
  for (const li of t.lineItems) {
    moveLineItem(rt, t, li);
  }
  const ok = t.lineItems.some((li) => li.status === 'Complete');
  t.status = ok ? 'Complete' : 'Failed';
  t.completedTime = rt.nowIso();
  t.lastModifiedTime = t.completedTime;
  t.lastModifiedUser = 'system@microsoft.com';
  auditTransfer(
    rt,
    t,
    'update_transfer',
    null,
    null,
    { status: 'InProgress' },
    ok ? 'succeeded' : 'failed',
  );
}
