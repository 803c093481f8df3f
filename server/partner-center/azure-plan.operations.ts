import { type PartnerCenterClient } from './client.js';
import { pcAuditRecordCollectionSchema, type PcAuditRecord } from './contracts/audit-records.js';
import {
  pcProductUpgradeEligibilitySchema,
  pcProductUpgradeStatusSchema,
  pcUsageBudgetSchema,
  type PcProductUpgradeEligibility,
  type PcProductUpgradeStatus,
  type PcUsageBudget,
} from './contracts/product-upgrades.js';
import { PartnerCenterError } from './errors.js';

// The Azure plan transition's Partner Center calls (reference §9a): eligibility, create (202 +
// Location), status (a POST), and the customer's usage budget (R-AZP-5).

const enc = encodeURIComponent;

/** `POST /v1/productUpgrades/eligibility` with `{customerId, productFamily: "azure"}`. */
export async function getProductUpgradeEligibility(
  client: PartnerCenterClient,
  customerTenantId: string,
): Promise<PcProductUpgradeEligibility> {
  const response = await client.request({
    method: 'POST',
    path: '/productUpgrades/eligibility',
    body: { customerId: customerTenantId, productFamily: 'azure' },
    schema: pcProductUpgradeEligibilitySchema,
  });
  return response.data;
}

/**
 * `POST /v1/productupgrades` → 202 with `Location: productUpgrades/{upgradeId}`. Returns the
 * upgrade id taken from the Location header.
 */
export async function createProductUpgrade(
  client: PartnerCenterClient,
  customerTenantId: string,
  requestId: string,
): Promise<string> {
  const response = await client.request({
    method: 'POST',
    path: '/productupgrades',
    body: { customerId: customerTenantId, productFamily: 'Azure' },
    requestId,
  });
  const location = response.headers.get('location') ?? '';
  const upgradeId = location.split('?')[0]?.split('/').filter(Boolean).at(-1);
  if (!upgradeId) {
    throw new PartnerCenterError({
      operation: 'POST /v1/productupgrades',
      status: response.status,
      code: 'INVALID_RESPONSE',
      description: 'the product upgrade was accepted without a Location header',
      retryable: false,
      requestId: response.requestId,
      correlationId: response.correlationId,
    });
  }
  return upgradeId;
}

/** `POST /v1/productUpgrades/{upgradeId}/status` (note: POST) with the same body as the create. */
export async function getProductUpgradeStatus(
  client: PartnerCenterClient,
  customerTenantId: string,
  upgradeId: string,
): Promise<PcProductUpgradeStatus> {
  const response = await client.request({
    method: 'POST',
    path: `/productUpgrades/${enc(upgradeId)}/status`,
    body: { customerId: customerTenantId, productFamily: 'azure' },
    schema: pcProductUpgradeStatusSchema,
  });
  return response.data;
}

/** `GET /v1/customers/{cid}/usagebudget`. */
export async function getUsageBudget(
  client: PartnerCenterClient,
  customerTenantId: string,
): Promise<PcUsageBudget> {
  const response = await client.request({
    method: 'GET',
    path: `/customers/${enc(customerTenantId)}/usagebudget`,
    schema: pcUsageBudgetSchema,
  });
  return response.data;
}

/**
 * `PATCH /v1/customers/{cid}/usagebudget` with `{amount}` in the customer's currency (R-AZP-5). The
 * amount goes out as a JSON number, as the real API documents it; it is built from our exact
 * decimal string with at most two decimals, so no precision is lost on the way.
 */
export async function setUsageBudget(
  client: PartnerCenterClient,
  customerTenantId: string,
  amount: string,
  requestId: string,
): Promise<PcUsageBudget> {
  const response = await client.request({
    method: 'PATCH',
    path: `/customers/${enc(customerTenantId)}/usagebudget`,
    body: { amount: Number(amount), attributes: { objectType: 'SpendingBudget' } },
    requestId,
    schema: pcUsageBudgetSchema,
  });
  return response.data;
}

/**
 * `GET /v1/auditrecords?startDate=&endDate=&filter={"Field":"CustomerId",…}`: one customer's audit
 * records, all pages (reference §8; Partner Center keeps 90 days).
 */
export async function listCustomerAuditRecords(
  client: PartnerCenterClient,
  customerTenantId: string,
  window: { startDate: string; endDate: string },
): Promise<PcAuditRecord[]> {
  return client.listCollection(
    '/auditrecords',
    pcAuditRecordCollectionSchema,
    {},
    {
      startDate: window.startDate,
      endDate: window.endDate,
      filter: JSON.stringify({ Field: 'CustomerId', Value: customerTenantId, Operator: 'equals' }),
    },
  );
}
