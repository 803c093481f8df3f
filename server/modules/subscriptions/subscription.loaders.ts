import DataLoader from 'dataloader';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { type ReadKey } from '../../partner-center/read-cache.js';
import {
  type PcAzureEntitlement,
  type PcSubscription,
} from '../../partner-center/contracts/subscriptions.js';
import { settle } from '../loader-support.js';

/**
 * Per-request loaders for subscriptions (keys `tenant|customer` and `tenant|customer|subscription`):
 * at most one Partner Center call per customer and per subscription within a request.
 */
export interface SubscriptionLoaders {
  subscriptionsByCustomer: DataLoader<string, PcSubscription[]>;
  azureEntitlementsBySubscription: DataLoader<string, PcAzureEntitlement[]>;
}

export const subscriptionsKey = (partnerTenantId: string, customerTenantId: string) =>
  `${partnerTenantId}|${customerTenantId}`;
export const entitlementsKey = (
  partnerTenantId: string,
  customerTenantId: string,
  subscriptionId: string,
) => `${partnerTenantId}|${customerTenantId}|${subscriptionId}`;

/** Loaders for one request of one organization, through the per-tenant read cache when there is one. */
export function createSubscriptionLoaders(
  pc: PartnerCenterClientFactory,
  organizationId: string,
): SubscriptionLoaders {
  const cached = <T>(tenantId: string, key: ReadKey, load: () => Promise<T>): Promise<T> =>
    pc.readCache
      ? pc.readCache.read({ organizationId, partnerTenantId: tenantId }, key, load)
      : load();
  return {
    subscriptionsByCustomer: new DataLoader((keys) =>
      settle(keys, (key) => {
        const [tenantId = '', customerId = ''] = key.split('|');
        return cached(tenantId, { kind: 'subscriptions', customerTenantId: customerId }, () =>
          pc.forTenant(tenantId).listSubscriptions(customerId),
        );
      }),
    ),
    azureEntitlementsBySubscription: new DataLoader((keys) =>
      settle(keys, (key) => {
        const [tenantId = '', customerId = '', subscriptionId = ''] = key.split('|');
        return cached(
          tenantId,
          { kind: 'entitlements', customerTenantId: customerId, subscriptionId },
          () => pc.forTenant(tenantId).listAzureEntitlements(customerId, subscriptionId),
        );
      }),
    ),
  };
}
