import DataLoader from 'dataloader';
import { type PartnerOrganizationRow, type PartnerTenantRow } from '../../../schema/db.js';
import { type OrganizationRepository } from './organization.repository.js';

/** Per-request loaders for the directory: one `IN (...)` query per type and tick. */
export interface OrganizationLoaders {
  organizationById: DataLoader<string, PartnerOrganizationRow | null>;
  tenantById: DataLoader<string, PartnerTenantRow | null>;
  tenantsByOrganization: DataLoader<string, PartnerTenantRow[]>;
}

export function createOrganizationLoaders(repository: OrganizationRepository): OrganizationLoaders {
  return {
    organizationById: new DataLoader(async (ids) => {
      const rows = await repository.findOrganizationsByIds(ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    tenantById: new DataLoader(async (ids) => {
      const rows = await repository.findTenantsByIds(ids);
      const byId = new Map(rows.map((r) => [r.tenantId, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    tenantsByOrganization: new DataLoader(async (orgIds) => {
      const rows = await repository.findTenantsByOrganizationIds(orgIds);
      return orgIds.map((id) => rows.filter((r) => r.organizationId === id));
    }),
  };
}
