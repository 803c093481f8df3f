import { z } from 'zod';
import { readableCustomer, transactableCustomer } from '../domain/access.js';
import {
  acceptLegacyTransfer,
  createLegacyTransfer,
  eligibility,
  rejectLegacyTransfer,
  withdrawLegacyTransfer,
} from '../domain/legacy-transfers.service.js';
import { orderView } from '../domain/views.js';
import { transferView } from '../domain/transfer.views.js';
import {
  acceptNceTransfer,
  cancelNceTransfer,
  createNceTransfer,
  findTransfer,
  parseProductType,
  parseTransferStatus,
} from '../domain/transfers.service.js';
import { ciObject, numeric } from '../http/body.js';
import { errors, json, noContent, PcHttpError } from '../http/responses.js';
import { requireAdminAgent } from '../http/roles.js';
import type { PcRequest, PcRoute } from '../http/router.js';

const guid = z.string().uuid();

/** `transferType`: 3 ("New Commerce" on the create page, "ModernAzure" on the entity page) or 5. */
const transferType = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const text = String(v).trim().toLowerCase();
  const n =
    text === 'newcommerce'
      ? 5
      : text === 'modernazure'
        ? 3
        : /^\d+$/.test(text)
          ? Number(text)
          : NaN;
  if (n !== 3 && n !== 5) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: 'transferType must be 3 or 5 (new commerce)',
    });
    return z.NEVER;
  }
  return n;
});

const productTypes = z
  .array(z.string())
  .nullable()
  .optional()
  .transform((v, ctx) => {
    if (!v) {
      return null;
    }
    return v.map((p) => {
      const known = parseProductType(p);
      if (!known) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `unknown product type "${p}" (AzureSubscription, AzureReservation, AzureSavingsPlan, OnlineServicesNCE)`,
        });
      }
      return known ?? p;
    });
  });

const nceCreateSchema = ciObject({
  sourcePartnerTenantId: guid,
  sourcePartnerName: z.string().min(1),
  customerEmailId: z.string().email(),
  customerName: z.string().optional(),
  targetPartnerTenantId: guid.optional(),
  targetPartnerEmailId: z.string().optional(),
  targetProductTypes: productTypes,
  partnerOnRecord: z.string().optional(),
  transferType,
});

const legacyCreateSchema = ciObject({
  sourcePartnerTenantId: guid.optional(),
  targetPartnerTenantId: guid,
  lineItems: z.array(
    ciObject({ subscriptionId: z.string().min(1), partnerIdOnRecord: z.string().nullish() }),
  ),
});

const patchSchema = ciObject({
  id: z.string().optional(),
  status: z.string().optional(),
  lineItems: z
    .array(
      ciObject({
        subscriptionId: z.string().min(1),
        quantity: numeric.optional(),
        billingCycle: z.string().optional(),
        productType: z.string().optional(),
      }),
    )
    .optional(),
});

function customerId(req: PcRequest): string {
  return req.params.customerId ?? '';
}

/** `POST .../transfers`: a body with `transferType` is the new-commerce flow, one with `lineItems` the legacy one. */
function create(req: PcRequest): Response {
  requireAdminAgent(req, 'Creating a transfer');
  const raw = req.body(z.record(z.unknown()));
  const keys = Object.keys(raw).map((k) => k.toLowerCase());
  if (!keys.includes('transfertype') && keys.includes('lineitems')) {
    const body = req.body(legacyCreateSchema);
    const { customer } = transactableCustomer(req.rt, req.tenant, customerId(req));
    const t = createLegacyTransfer(req.rt, req.actor, req.tenant, customer, body);
    return json(transferView(t), 201);
  }
  const body = req.body(nceCreateSchema);
  // The target needs a reseller relationship with the customer (§11 consolidation tutorial).
  const { customer } = transactableCustomer(req.rt, req.tenant, customerId(req));
  const t = createNceTransfer(req.rt, req.actor, req.tenant, customer, {
    ...body,
    targetProductTypes: body.targetProductTypes,
    partnerIdOnRecord: body.partnerOnRecord,
  });
  return json(transferView(t), 201);
}

/** A bare JSON array, not a collection envelope (§1 "Collection envelope" exception). */
function list(req: PcRequest): Response {
  const { customer } = readableCustomer(req.rt, req.tenant, customerId(req));
  const statusFilter = req.query('status');
  const wanted = statusFilter ? parseTransferStatus(statusFilter) : undefined;
  if (statusFilter && !wanted) {
    throw errors.invalidInput(`status: unknown transfer status "${statusFilter}".`, ['status']);
  }
  const items = req.rt.store.commerce
    .transfersOf(customer.tenantId)
    .filter(
      (t) =>
        (t.sourcePartnerTenantId === req.tenant.tenantId ||
          t.targetPartnerTenantId === req.tenant.tenantId) &&
        (!wanted || t.status === wanted),
    )
    .sort((a, b) => (a.createdTime < b.createdTime ? -1 : 1));
  return json(items.map(transferView));
}

function get(req: PcRequest): Response {
  const { customer } = readableCustomer(req.rt, req.tenant, customerId(req));
  return json(
    transferView(findTransfer(req.rt, req.tenant, customer.tenantId, req.params.transferId ?? '')),
  );
}

/** PATCH: the source accepts with line items, the target cancels (new commerce) or rejects (legacy). */
function patch(req: PcRequest): Response {
  requireAdminAgent(req, 'Updating a transfer');
  const body = req.body(patchSchema);
  const { customer } = readableCustomer(req.rt, req.tenant, customerId(req));
  const t = findTransfer(req.rt, req.tenant, customer.tenantId, req.params.transferId ?? '');
  if (body.id && body.id.toLowerCase() !== t.id) {
    throw errors.invalidInput(`id: ${body.id} does not match the transfer in the path.`, ['id']);
  }
  const status = body.status === undefined ? undefined : parseTransferStatus(body.status);
  if (body.status !== undefined && !status) {
    throw errors.invalidInput(`status: unknown transfer status "${body.status}".`, ['status']);
  }
  if (t.flow === 'legacy') {
    if (status !== 'Reject') {
      throw errors.invalidInput(
        'A legacy transfer is updated only to reject it ({"status":"reject"}); accept it with POST .../accept.',
        ['status'],
      );
    }
    return json(transferView(rejectLegacyTransfer(req.rt, req.actor, req.tenant, t)));
  }
  if (status === 'Cancel') {
    return json(transferView(cancelNceTransfer(req.rt, req.actor, req.tenant, t)));
  }
  if (req.tenant.tenantId !== t.sourcePartnerTenantId) {
    throw new PcHttpError(
      403,
      900400,
      'The target partner can only cancel its transfer request; the source partner accepts it.',
    );
  }
  if (
    status &&
    status !== 'Active' &&
    status !== 'InProgress' &&
    status !== 'Pending' &&
    status !== 'Complete'
  ) {
    throw errors.invalidInput(
      `status: the source partner accepts a transfer (Active/InProgress), not "${body.status ?? ''}".`,
      ['status'],
    );
  }
  transactableCustomer(req.rt, req.tenant, customer.tenantId);
  return json(transferView(acceptNceTransfer(req.rt, req.actor, t, body.lineItems ?? [])));
}

/** Legacy accept → TransferSubmitResult `{orders, transferErrors}` (§9d). */
function accept(req: PcRequest): Response {
  requireAdminAgent(req, 'Accepting a transfer');
  const { customer } = readableCustomer(req.rt, req.tenant, customerId(req));
  const t = findTransfer(req.rt, req.tenant, customer.tenantId, req.params.transferId ?? '');
  if (t.flow !== 'legacy') {
    throw errors.invalidInput(
      'A new-commerce transfer is accepted by the source partner with PATCH and the line items.',
    );
  }
  const result = acceptLegacyTransfer(req.rt, req.actor, req.tenant, t);
  return json({
    orders: result.orderIds.flatMap((id) => {
      const o = req.rt.store.orders.get(id);
      return o ? [orderView(o)] : [];
    }),
    transferErrors: result.errors,
    attributes: { objectType: 'TransferSubmitResult' },
  });
}

function withdraw(req: PcRequest): Response {
  requireAdminAgent(req, 'Withdrawing a transfer');
  const { customer } = readableCustomer(req.rt, req.tenant, customerId(req));
  const t = findTransfer(req.rt, req.tenant, customer.tenantId, req.params.transferId ?? '');
  withdrawLegacyTransfer(req.rt, req.actor, req.tenant, t);
  return noContent();
}

const ELIGIBILITY_TYPES = [
  'directtoindirect',
  'indirecttodirect',
  'directtodirect',
  'indirecttoindirect',
];

/** `GET .../transferseligibility?transferType=directtoindirect` → `[{id, isEligible, reason}]` (§9d). */
function transfersEligibility(req: PcRequest): Response {
  const type = req.query('transferType');
  if (!type || !ELIGIBILITY_TYPES.includes(type.toLowerCase())) {
    throw errors.invalidInput(`transferType: one of ${ELIGIBILITY_TYPES.join(', ')} is required.`, [
      'transferType',
    ]);
  }
  const { customer } = readableCustomer(req.rt, req.tenant, customerId(req));
  return json(eligibility(req.rt, req.tenant, customer));
}

export function transfersHandlers(): PcRoute[] {
  const f = { family: 'transfers' as const, customerParam: 'customerId' };
  const base = '/v1/customers/:customerId/transfers';
  return [
    {
      method: 'GET',
      pattern: '/v1/customers/:customerId/transferseligibility',
      ...f,
      handle: transfersEligibility,
    },
    { method: 'POST', pattern: base, ...f, handle: create },
    { method: 'GET', pattern: base, ...f, handle: list },
    { method: 'POST', pattern: `${base}/:transferId/accept`, ...f, handle: accept },
    { method: 'GET', pattern: `${base}/:transferId`, ...f, handle: get },
    { method: 'PATCH', pattern: `${base}/:transferId`, ...f, handle: patch },
    { method: 'DELETE', pattern: `${base}/:transferId`, ...f, handle: withdraw },
  ];
}
