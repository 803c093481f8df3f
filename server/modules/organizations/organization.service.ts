import { type PartnerTenantRow } from '../../../schema/db.js';
import { type RequestScope } from '../../shared/request-scope.js';
import { type Clock } from '../../shared/clock.js';
import { ForbiddenError } from '../../shared/errors.js';
import { type DirectorySource } from './directory-source.js';
import { type OrganizationRepository } from './organization.repository.js';

export interface OrganizationRecord {
  id: string;
  name: string;
}

export interface TenantRecord {
  tenantId: string;
  organizationId: string;
  name: string;
  mpnId: string;
  country: string;
  region: string | null;
  kind: string;
  labels: string[];
}

function toTenant(row: PartnerTenantRow): TenantRecord {
  let labels: string[] = [];
  try {
    const parsed: unknown = JSON.parse(row.labels);
    labels = Array.isArray(parsed) ? parsed.filter((l): l is string => typeof l === 'string') : [];
  } catch {
    labels = [];
  }
  return {
    tenantId: row.tenantId,
    organizationId: row.organizationId,
    name: row.name,
    mpnId: row.mpnId,
    country: row.country,
    region: row.region,
    kind: row.kind,
    labels,
  };
}

/**
 * Partner organizations and their tenants. Organization isolation lives here: every lookup is
 * relative to the caller's organization, and a tenant of another organization is "not found".
 */
export class OrganizationService {
  constructor(private readonly deps: { repository: OrganizationRepository; clock: Clock }) {}

  /** The caller's organization; a token for an organization this server does not know is refused. */
  async organizationOfActor(scope: RequestScope): Promise<OrganizationRecord> {
    const row = await scope.loaders.organizations.organizationById.load(scope.actor.organizationId);
    if (!row) {
      throw new ForbiddenError('Your organization is not known to this server.');
    }
    return { id: row.id, name: row.name };
  }

  /** An organization by id, only if it is the caller's. */
  async organizationForActor(
    scope: RequestScope,
    organizationId: string,
  ): Promise<OrganizationRecord | null> {
    if (organizationId !== scope.actor.organizationId) {
      return null;
    }
    const row = await scope.loaders.organizations.organizationById.load(organizationId);
    return row ? { id: row.id, name: row.name } : null;
  }

  /** Tenants of an organization the caller belongs to (empty for any other). */
  async tenantsOfOrganization(
    scope: RequestScope,
    organizationId: string,
  ): Promise<TenantRecord[]> {
    if (organizationId !== scope.actor.organizationId) {
      return [];
    }
    const rows = await scope.loaders.organizations.tenantsByOrganization.load(organizationId);
    return rows.map(toTenant);
  }

  /** A partner tenant by its tenant id, or null when it is not the caller's organization's. */
  async tenantForActor(scope: RequestScope, tenantId: string): Promise<TenantRecord | null> {
    const row = await scope.loaders.organizations.tenantById.load(tenantId);
    if (!row || row.organizationId !== scope.actor.organizationId) {
      return null;
    }
    return toTenant(row);
  }

  /** Reloads the directory from its source (emulator partner listing or configuration). */
  async syncDirectory(
    source: DirectorySource,
  ): Promise<{ organizations: number; tenants: number }> {
    const organizations = await source.load();
    await this.deps.repository.replaceDirectory(organizations, source.kind, this.deps.clock.now());
    return {
      organizations: organizations.length,
      tenants: organizations.reduce((n, o) => n + o.tenants.length, 0),
    };
  }
}
