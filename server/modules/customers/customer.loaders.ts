import DataLoader from 'dataloader';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { type PcCustomer } from '../../partner-center/contracts/customers.js';
import { PartnerCenterError } from '../../partner-center/errors.js';
import { type ReadKey } from '../../partner-center/read-cache.js';
import { settle } from '../loader-support.js';

/** Page size asked of Partner Center when reading a tenant's whole customer list. */
export const CUSTOMER_LIST_PAGE_SIZE = 500;

/**
 * Per-request, per-organization loaders over Partner Center. Partner Center has no batch reads, so
 * each batch issues its calls in parallel (the client's per-tenant limiter bounds them); what the
 * loaders guarantee is that nothing is fetched twice within a request. Keys are partner tenant ids
 * (`tenant`) or `tenant|customer`; the service checks that the tenant is the caller's before asking.
 */
export interface CustomerLoaders {
  /** The tenant's complete customer list (all seek pages). */
  customersByTenant: DataLoader<string, PcCustomer[]>;
  /** `GET /customers/{id}`; null when the tenant has no relationship with the customer. */
  customerById: DataLoader<string, PcCustomer | null>;
  /** Whether the customer has a Microsoft Customer Agreement on record. */
  mcaSigned: DataLoader<string, boolean>;
}

export const customerKey = (partnerTenantId: string, customerTenantId: string) =>
  `${partnerTenantId}|${customerTenantId}`;

function splitKey(key: string): [string, string] {
  const i = key.indexOf('|');
  return [key.slice(0, i), key.slice(i + 1)];
}

/**
 * Loaders for one request of one organization. Reads go through the per-tenant read cache
 * (server/partner-center/read-cache.ts) when there is one; it serves only this organization.
 */
export function createCustomerLoaders(
  pc: PartnerCenterClientFactory,
  organizationId: string,
): CustomerLoaders {
  const cached = <T>(tenantId: string, key: ReadKey, load: () => Promise<T>): Promise<T> =>
    pc.readCache
      ? pc.readCache.read({ organizationId, partnerTenantId: tenantId }, key, load)
      : load();
  return {
    customersByTenant: new DataLoader((tenantIds) =>
      settle(tenantIds, (tenantId) =>
        cached(tenantId, { kind: 'customers' }, () =>
          pc.forTenant(tenantId).listAllCustomers({ size: CUSTOMER_LIST_PAGE_SIZE }),
        ),
      ),
    ),
    customerById: new DataLoader((keys) =>
      settle(keys, async (key) => {
        const [tenantId, customerId] = splitKey(key);
        // A 404 (no relationship) is cached as null like any answer.
        return cached(tenantId, { kind: 'customer', customerTenantId: customerId }, async () => {
          try {
            return await pc.forTenant(tenantId).getCustomer(customerId);
          } catch (error) {
            if (error instanceof PartnerCenterError && error.isNotFound) {
              return null;
            }
            throw error;
          }
        });
      }),
    ),
    mcaSigned: new DataLoader((keys) =>
      settle(keys, async (key) => {
        const [tenantId, customerId] = splitKey(key);
        return cached(tenantId, { kind: 'agreements', customerTenantId: customerId }, async () => {
          const agreements = await pc
            .forTenant(tenantId)
            .listCustomerAgreements(customerId, 'MicrosoftCustomerAgreement');
          return agreements.some((a) => a.type.toLowerCase() === 'microsoftcustomeragreement');
        });
      }),
    ),
  };
}
