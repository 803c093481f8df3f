import { PartnerCenterClient, type PartnerCenterClientOptions } from './client.js';
import { type TenantRateLimiter } from './rate-limiter.js';
import { type PartnerCenterReadCache } from './read-cache.js';

/**
 * Hands out one {@link PartnerCenterClient} per partner tenant, all sharing the same token provider,
 * fetch and per-tenant limiter (so the API and the workflow engine draw on one budget).
 */
export interface PartnerCenterClientFactory {
  forTenant(partnerTenantId: string): PartnerCenterClient;
  readonly limiter: TenantRateLimiter | undefined;
  readonly baseUrl: string;
  /** Front-end reads (customers, subscriptions) per tenant; our writes through these clients invalidate it. */
  readonly readCache: PartnerCenterReadCache | undefined;
}

export function createPartnerCenterClientFactory(
  shared: Omit<PartnerCenterClientOptions, 'partnerTenantId'>,
  options: { readCache?: PartnerCenterReadCache } = {},
): PartnerCenterClientFactory {
  const clients = new Map<string, PartnerCenterClient>();
  const { readCache } = options;
  const onWrite: PartnerCenterClientOptions['onWrite'] = readCache
    ? (write) => {
        readCache.invalidateForWrite(write.partnerTenantId, write.method, write.path);
        shared.onWrite?.(write);
      }
    : shared.onWrite;
  return {
    limiter: shared.limiter,
    baseUrl: shared.baseUrl,
    readCache,
    forTenant(partnerTenantId) {
      let client = clients.get(partnerTenantId);
      if (!client) {
        client = new PartnerCenterClient({
          ...shared,
          partnerTenantId,
          ...(onWrite ? { onWrite } : {}),
        });
        clients.set(partnerTenantId, client);
      }
      return client;
    },
  };
}
