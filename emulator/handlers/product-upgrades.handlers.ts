import { z } from 'zod';
import { transactableCustomer } from '../domain/access.js';
import { requireAdminAccess } from '../domain/gdap-lifecycle.js';
import {
  runningUpgrade,
  startUpgrade,
  upgradeBlocker,
} from '../domain/product-upgrades.service.js';
import { ciObject } from '../http/body.js';
import { errors, json, PcHttpError } from '../http/responses.js';
import type { PcRequest, PcRoute } from '../http/router.js';

const bodySchema = ciObject({
  customerId: z.string().min(1),
  productFamily: z
    .string()
    .refine((v) => v.toLowerCase() === 'azure', 'productFamily must be "azure"'),
});

/** `POST /productUpgrades/eligibility` → `{customerId, productFamily, isEligible, upgradeId?, reason?}` (§9a). */
function eligibility(req: PcRequest): Response {
  const body = req.body(bodySchema);
  const { customer } = transactableCustomer(req.rt, req.tenant, body.customerId);
  const blocker = upgradeBlocker(req.rt, req.tenant, customer);
  const running = runningUpgrade(req.rt, req.tenant, customer);
  const out: Record<string, unknown> = {
    customerId: customer.tenantId,
    productFamily: 'azure',
    isEligible: !blocker,
    attributes: { objectType: 'ProductUpgradesEligibility' },
  };
  if (running) {
    out.upgradeId = running.id;
  }
  if (blocker) {
    out.reason = `${String(blocker.code)}: ${blocker.description}`;
  }
  return json(out);
}

/** `POST /productupgrades` → 202 with `Location: productUpgrades/{id}` (§9a). */
function create(req: PcRequest): Response {
  const body = req.body(bodySchema);
  const { customer } = transactableCustomer(req.rt, req.tenant, body.customerId);
  requireAdminAccess(req.rt, req.tenant, customer.tenantId, 'commerce');
  const upgrade = startUpgrade(req.rt, req.actor, req.tenant, customer, body.productFamily);
  return new Response(null, {
    status: 202,
    headers: { Location: `productUpgrades/${upgrade.id}` },
  });
}

/** `POST /productUpgrades/{id}/status` (note: POST) with the same body (§9a). */
function status(req: PcRequest): Response {
  const body = req.body(bodySchema);
  const upgrade = req.rt.store.productUpgrades.get((req.params.upgradeId ?? '').toLowerCase());
  if (!upgrade || upgrade.partnerTenantId !== req.tenant.tenantId) {
    throw errors.notFound(`Product upgrade ${req.params.upgradeId ?? ''}`);
  }
  if (upgrade.customerTenantId !== body.customerId.toLowerCase()) {
    throw new PcHttpError(400, 800002, 'customerId does not match the product upgrade.');
  }
  return json({
    id: upgrade.id,
    productFamily: upgrade.productFamily,
    status: upgrade.status,
    lineItems: upgrade.lineItems.map((li) => ({
      sourceProduct: { id: li.azureSubscriptionId, name: 'AzureSubscription' },
      targetProduct: { id: li.targetSubscriptionId, name: 'Microsoft Azure plan' },
      upgradedDate: li.upgradedDate,
      status: li.status,
      ...(li.status === 'Failed'
        ? {
            errorDetails: {
              code: 900114,
              description: 'The Azure subscription could not be moved.',
            },
          }
        : {}),
    })),
    attributes: { objectType: 'ProductUpgradesStatus' },
  });
}

export function productUpgradesHandlers(): PcRoute[] {
  const f = { family: 'product_upgrades' as const };
  return [
    { method: 'POST', pattern: '/v1/productUpgrades/eligibility', ...f, handle: eligibility },
    { method: 'POST', pattern: '/v1/productUpgrades', ...f, handle: create },
    { method: 'POST', pattern: '/v1/productUpgrades/:upgradeId/status', ...f, handle: status },
  ];
}
