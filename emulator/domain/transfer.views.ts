import type { TransferRecord } from '../core/commerce.model.js';
import { link } from '../http/responses.js';

/**
 * TransferEntity (partner-center-api.md §9d): `partnertenantid` is lower-case as in Microsoft's
 * examples; new-commerce fields (`transferType`, `expirationTime`, ...) only on that flow.
 */
export function transferView(t: TransferRecord): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: t.id,
    status: t.status,
    createdTime: t.createdTime,
    lastModifiedTime: t.lastModifiedTime,
    lastModifiedUser: t.lastModifiedUser,
    customerName: t.customerName,
    customerTenantId: t.customerTenantId,
    partnertenantid: t.flow === 'legacy' ? t.sourcePartnerTenantId : t.targetPartnerTenantId,
    sourcePartnerName: t.sourcePartnerName,
    sourcePartnerTenantId: t.sourcePartnerTenantId,
    targetPartnerName: t.targetPartnerName,
    targetPartnerTenantId: t.targetPartnerTenantId,
    lineItems: t.lineItems.map((li) => ({
      id: li.id,
      subscriptionId: li.subscriptionId,
      offerId: li.offerId,
      quantity: li.quantity,
      billingCycle: li.billingCycle,
      friendlyName: li.friendlyName,
      partnerIdOnRecord: li.partnerIdOnRecord,
      productType: li.productType,
      addonItems: [],
      ...(li.status ? { status: li.status } : {}),
      ...(li.transferError ? { transferError: li.transferError } : {}),
    })),
    links: { self: link(`/customers/${t.customerTenantId}/transfers/${t.id}`) },
    attributes: { objectType: 'TransferEntity' },
  };
  if (t.flow === 'new_commerce') {
    Object.assign(view, {
      transferType: t.transferType,
      customerEmailId: t.customerEmailId,
      targetPartnerEmailId: t.targetPartnerEmailId,
      targetProductTypes: t.targetProductTypes,
      expirationTime: t.expirationTime,
      completedTime: t.completedTime,
      ...(t.partnerIdOnRecord ? { partnerOnRecord: t.partnerIdOnRecord } : {}),
    });
  } else if (t.completedTime) {
    view.completedTime = t.completedTime;
  }
  return view;
}
