import { PartnerCenterClient, type PartnerCenterClientOptions } from './client.js';
import { type TenantRateLimiter } from './rate-limiter.js';

/**
 * Hands out one {@link PartnerCenterClient} per partner tenant, all sharing the same token provider,
 * fetch and per-tenant limiter (so the API and the workflow engine draw on one budget).
 */
export interface PartnerCenterClientFactory {
  forTenant(partnerTenantId: string): PartnerCenterClient;
  readonly limiter: TenantRateLimiter | undefined;
  readonly baseUrl: string;
}

export function createPartnerCenterClientFactory(
  shared: Omit<PartnerCenterClientOptions, 'partnerTenantId'>,
): PartnerCenterClientFactory {
  const clients = new Map<string, PartnerCenterClient>();
  return {
    limiter: shared.limiter,
    baseUrl: shared.baseUrl,
    forTenant(partnerTenantId) {
      let client = clients.get(partnerTenantId);
      if (!client) {
        client = new PartnerCenterClient({ ...shared, partnerTenantId });
        clients.set(partnerTenantId, client);
      }
      return client;
    },
  };
}
