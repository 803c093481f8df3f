import { type DirectorySource } from '../../modules/organizations/directory-source.js';

/**
 * The Admin Agents group of a partner tenant, from the partner directory (R-TRF-8: the new partner
 * adds that group on the customer's Azure subscription). In production it is the tenant's
 * `adminAgentsGroupId` in PARTNER_DIRECTORY; with the emulator, its partner listing gives it.
 * Read when needed (once per transfer clean-up), so a corrected directory is picked up on retry.
 */
export type AdminAgentsGroupLookup = (partnerTenantId: string) => Promise<string | null>;

export function adminAgentsGroupLookup(directory: DirectorySource): AdminAgentsGroupLookup {
  return async (partnerTenantId) => {
    const wanted = partnerTenantId.toLowerCase();
    for (const organization of await directory.load()) {
      const tenant = organization.tenants.find((t) => t.tenantId.toLowerCase() === wanted);
      if (tenant) {
        return tenant.adminAgentsGroupId ?? null;
      }
    }
    return null;
  };
}
