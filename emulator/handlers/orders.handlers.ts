import { z } from 'zod';
import type { OrderRecord } from '../core/model.js';
import { readableCustomer, transactableCustomer } from '../domain/access.js';
import { requireAdminAccess } from '../domain/gdap-lifecycle.js';
import { createOrder } from '../domain/orders.service.js';
import { orderView } from '../domain/views.js';
import { ciObject } from '../http/body.js';
import { collection, json, PcHttpError } from '../http/responses.js';
import type { PcRequest, PcRoute } from '../http/router.js';

const createSchema = ciObject({
  lineItems: z
    .array(
      ciObject({
        lineItemNumber: z.number().int().nonnegative().optional(),
        offerId: z.string().min(1),
        quantity: z.number().int(),
        friendlyName: z.string().optional(),
        partnerIdOnRecord: z.string().nullable().optional(),
        termDuration: z.string().optional(),
      }),
    )
    .min(1),
  billingCycle: z
    .string()
    .transform((v) => v.toLowerCase().replace('onetime', 'one_time'))
    .optional(),
});

function findOrder(req: PcRequest, customerTenantId: string): OrderRecord {
  const id = (req.params.orderId ?? '').toLowerCase();
  const order = req.rt.store.orders.get(id);
  if (
    !order ||
    order.partnerTenantId !== req.tenant.tenantId ||
    order.customerTenantId !== customerTenantId
  ) {
    throw new PcHttpError(404, 20000, `Order ${req.params.orderId ?? ''} was not found.`);
  }
  return order;
}

/** `POST /customers/{id}/orders` → 201 with the order, status "pending" (§6). */
function create(req: PcRequest): Response {
  const { customer } = transactableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
  requireAdminAccess(req.rt, req.tenant, customer.tenantId, 'commerce');
  const body = req.body(createSchema);
  const order = createOrder(
    req.rt,
    req.actor,
    req.tenant,
    customer,
    body.lineItems.map((li, i) => ({
      lineItemNumber: li.lineItemNumber ?? i,
      offerId: li.offerId,
      quantity: li.quantity,
      friendlyName: li.friendlyName,
      partnerIdOnRecord: li.partnerIdOnRecord ?? null,
      termDuration: li.termDuration,
    })),
    body.billingCycle,
  );
  return json(orderView(order), 201);
}

/** Orders show in the list after `orderListDelay` (Partner Center: up to 15 minutes, §10). */
function list(req: PcRequest): Response {
  const { customer } = readableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
  const now = req.rt.now().getTime();
  const billingType = req.query('billingType')?.toLowerCase();
  const orders = (
    req.rt.store.ordersByPair.get(`${req.tenant.tenantId}|${customer.tenantId}`) ?? []
  ).filter(
    (o) => Date.parse(o.visibleAt) <= now && (!billingType || o.billingCycle === billingType),
  );
  return json(
    collection(orders.map(orderView), { selfUri: `/customers/${customer.tenantId}/orders` }),
  );
}

function provisioningStatus(req: PcRequest): Response {
  const { customer } = readableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
  const order = findOrder(req, customer.tenantId);
  const fulfilled = order.status === 'completed';
  return json(
    collection(
      order.lineItems.map((li) => ({
        lineItemNumber: li.lineItemNumber,
        status: fulfilled ? 'Fulfilled' : 'PrefulfillmentPending',
        quantityProvisioningInformation: [
          { quantity: li.quantity, status: fulfilled ? 'Fulfilled' : 'Unfulfilled' },
        ],
      })),
    ),
  );
}

export function ordersHandlers(): PcRoute[] {
  const common = { family: 'orders' as const, customerParam: 'customerId' };
  const base = '/v1/customers/:customerId/orders';
  return [
    { method: 'GET', pattern: base, ...common, handle: list },
    { method: 'POST', pattern: base, ...common, handle: create },
    {
      method: 'GET',
      pattern: `${base}/:orderId`,
      ...common,
      handle: (req) => {
        const { customer } = readableCustomer(req.rt, req.tenant, req.params.customerId ?? '');
        return json(orderView(findOrder(req, customer.tenantId)));
      },
    },
    {
      method: 'GET',
      pattern: `${base}/:orderId/provisioningstatus`,
      ...common,
      handle: provisioningStatus,
    },
  ];
}
