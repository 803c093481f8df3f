import { asc, eq, inArray, notInArray, and } from 'drizzle-orm';
import { type PartnerOrganizationRow, type PartnerTenantRow } from '../../../schema/db.js';
import { type Db, tablesOf, transaction } from '../../db/client.js';

/** One organization with its tenants, as the directory source delivers it. */
export interface DirectoryOrganization {
  id: string;
  name: string;
  tenants: Array<{
    tenantId: string;
    name: string;
    mpnId: string;
    country: string;
    region: string | null;
    kind: string;
    labels: string[];
    /** Object id of the tenant's Admin Agents group (R-TRF-8: the new partner adds it on Azure). */
    adminAgentsGroupId?: string | null;
  }>;
}

/** Partner organizations and tenants (Drizzle only; async so another dialect can slot in). */
export class OrganizationRepository {
  constructor(private readonly db: Db) {}

  async findOrganizationsByIds(ids: readonly string[]): Promise<PartnerOrganizationRow[]> {
    if (ids.length === 0) {
      return [];
    }
    const { partnerOrganizations } = tablesOf(this.db);
    return this.db
      .select()
      .from(partnerOrganizations)
      .where(inArray(partnerOrganizations.id, [...ids]));
  }

  async findTenantsByIds(tenantIds: readonly string[]): Promise<PartnerTenantRow[]> {
    if (tenantIds.length === 0) {
      return [];
    }
    const { partnerTenants } = tablesOf(this.db);
    return this.db
      .select()
      .from(partnerTenants)
      .where(inArray(partnerTenants.tenantId, [...tenantIds]));
  }

  async findTenantsByOrganizationIds(
    organizationIds: readonly string[],
  ): Promise<PartnerTenantRow[]> {
    if (organizationIds.length === 0) {
      return [];
    }
    const { partnerTenants } = tablesOf(this.db);
    return this.db
      .select()
      .from(partnerTenants)
      .where(inArray(partnerTenants.organizationId, [...organizationIds]))
      .orderBy(asc(partnerTenants.name), asc(partnerTenants.tenantId));
  }

  async countOrganizations(): Promise<number> {
    const { partnerOrganizations } = tablesOf(this.db);
    return (await this.db.select({ id: partnerOrganizations.id }).from(partnerOrganizations))
      .length;
  }

  /**
   * Replaces the directory from one source: upserts every organization and tenant given, and
   * deletes the tenants of those organizations that are no longer listed. One transaction, no
   * I/O inside. Replicas starting together may both run it: upserts make that harmless.
   */
  async replaceDirectory(
    organizations: DirectoryOrganization[],
    source: string,
    now: Date,
  ): Promise<void> {
    const { partnerOrganizations, partnerTenants } = tablesOf(this.db);
    await transaction(this.db, async (tx) => {
      for (const org of organizations) {
        await tx
          .insert(partnerOrganizations)
          .values({ id: org.id, name: org.name, source, updatedAt: now })
          .onConflictDoUpdate({
            target: partnerOrganizations.id,
            set: { name: org.name, source, updatedAt: now },
          });
        for (const tenant of org.tenants) {
          const values = {
            organizationId: org.id,
            name: tenant.name,
            mpnId: tenant.mpnId,
            country: tenant.country,
            region: tenant.region,
            kind: tenant.kind,
            labels: JSON.stringify(tenant.labels),
            updatedAt: now,
          };
          await tx
            .insert(partnerTenants)
            .values({ tenantId: tenant.tenantId, ...values })
            .onConflictDoUpdate({ target: partnerTenants.tenantId, set: values });
        }
        const keep = org.tenants.map((t) => t.tenantId);
        await tx
          .delete(partnerTenants)
          .where(
            keep.length > 0
              ? and(
                  eq(partnerTenants.organizationId, org.id),
                  notInArray(partnerTenants.tenantId, keep),
                )
              : eq(partnerTenants.organizationId, org.id),
          );
      }
    });
  }
}
