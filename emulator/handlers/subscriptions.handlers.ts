import { z } from 'zod';
import type { SubscriptionRecord } from '../core/model.js';
import { readableCustomer, transactableCustomer } from '../domain/access.js';
import { requireAdminAccess } from '../domain/gdap-lifecycle.js';
import { patchSubscription } from '../domain/subscriptions.service.js';
import { subscriptionView } from '../domain/views.js';
import { ciEnum, ciObject } from '../http/body.js';
import { collection, json, link, PcHttpError } from '../http/responses.js';
import type { PcRequest, PcRoute } from '../http/router.js';

const SUBSCRIPTION_STATUSES = [
  'none',
  'active',
  'pending',
  'suspended',
  'deleted',
  'expired',
  'disabled',
] as const;

/** PATCH takes the full Subscription resource; only these fields change anything (§5). */
const patchSchema = ciObject({
  status: ciEnum(SUBSCRIPTION_STATUSES).optional(),
  quantity: z.number().int().optional(),
  friendlyName: z.string().optional(),
  autoRenewEnabled: z.boolean().optional(),
});

/** Subscriptions a partner tenant sees for a customer; an indirect reseller sees those it is on record for. */
function visibleSubscriptions(req: PcRequest, customerTenantId: string): SubscriptionRecord[] {
  const { rt, tenant } = req;
  if (tenant.kind === 'indirect_reseller') {
    return (rt.store.subscriptionsByCustomer.get(customerTenantId) ?? []).filter(
      (s) => s.partnerId === tenant.mpnId,
    );
  }
  return rt.store.subscriptionsOf(tenant.tenantId, customerTenantId);
}

function findSubscription(req: PcRequest, customerTenantId: string): SubscriptionRecord {
  const id = (req.params.subscriptionId ?? '').toLowerCase();
  const sub = visibleSubscriptions(req, customerTenantId).find((s) => s.id === id);
  if (!sub) {
    throw new PcHttpError(
      404,
      20003,
      `Subscription ${req.params.subscriptionId ?? ''} was not found.`,
    );
  }
  return sub;
}

function list(req: PcRequest): Response {
  const { customer } = readableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
  const orderId = req.query('order_id')?.toLowerCase();
  const mpnId = req.query('mpn_id');
  const items = visibleSubscriptions(req, customer.tenantId).filter(
    (s) => (!orderId || s.orderId === orderId) && (!mpnId || s.partnerId === mpnId),
  );
  return json(
    collection(items.map(subscriptionView), {
      selfUri: `/customers/${customer.tenantId}/subscriptions`,
    }),
  );
}

function patch(req: PcRequest): Response {
  const { customer } = transactableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
  requireAdminAccess(req.rt, req.tenant, customer.tenantId, 'commerce');
  const sub = findSubscription(req, customer.tenantId);
  const body = req.body(patchSchema);
  patchSubscription(req.rt, req.actor, sub, body, req.header('If-Match'));
  return json(subscriptionView(sub), 200, { ETag: sub.etag });
}

/** `GET .../azureEntitlements`: Azure subscriptions billed (or once billed) through this subscription (§5). */
function entitlements(req: PcRequest): Response {
  const { customer } = readableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
  const sub = findSubscription(req, customer.tenantId);
  const items = (req.rt.store.linksBySubscription.get(sub.id) ?? []).map((l) => ({
    id: l.azureSubscriptionId,
    friendlyName: req.rt.store.azureSubscriptions.get(l.azureSubscriptionId)?.friendlyName ?? '',
    status: l.status,
    subscriptionId: sub.id,
    links: {
      self: link(
        `/customers/${customer.tenantId}/subscriptions/${sub.id}/azureEntitlements/${l.azureSubscriptionId}`,
      ),
    },
    attributes: { objectType: 'AzureEntitlement' },
  }));
  return json(collection(items));
}

/** `GET .../provisioningstatus` → `{skuId, status: success|pending|failed, quantity, endDate}` (§5). */
function provisioningStatus(req: PcRequest): Response {
  const { customer } = readableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
  const sub = findSubscription(req, customer.tenantId);
  return json({
    skuId: sub.offerId,
    status: sub.status === 'pending' ? 'pending' : 'success',
    quantity: sub.quantity,
    endDate: sub.commitmentEndDate,
    attributes: { objectType: 'SubscriptionProvisioningStatus' },
  });
}

export function subscriptionsHandlers(): PcRoute[] {
  const base = '/v1/customers/:customerId/subscriptions';
  const common = { family: 'subscriptions' as const, customerParam: 'customerId' };
  return [
    { method: 'GET', pattern: base, ...common, handle: list },
    {
      method: 'GET',
      pattern: `${base}/:subscriptionId`,
      ...common,
      handle: (req) => {
        const { customer } = readableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
        const sub = findSubscription(req, customer.tenantId);
        return json(subscriptionView(sub), 200, { ETag: sub.etag });
      },
    },
    { method: 'PATCH', pattern: `${base}/:subscriptionId`, ...common, handle: patch },
    {
      method: 'GET',
      pattern: `${base}/:subscriptionId/azureEntitlements`,
      ...common,
      handle: entitlements,
    },
    {
      method: 'GET',
      pattern: `${base}/:subscriptionId/provisioningstatus`,
      ...common,
      handle: provisioningStatus,
    },
  ];
}
