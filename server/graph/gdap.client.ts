import { type z } from 'zod';
import { PartnerCenterClient, type PartnerCenterClientOptions } from '../partner-center/client.js';
import { type PcResponse, type RequestSpec } from '../partner-center/client-options.js';
import { PartnerCenterError } from '../partner-center/errors.js';
import {
  type GdapAccessAssignment,
  gdapAccessAssignmentSchema,
  type GdapRelationship,
  gdapRelationshipSchema,
  type GdapRequest,
  gdapRequestSchema,
  odataPageSchema,
} from './gdap.contracts.js';

// Microsoft Graph GDAP calls (tenantRelationships/delegatedAdminRelationships) on behalf of one
// partner tenant. Graph is another service than Partner Center, but the transport concerns are
// the same (bearer token per partner tenant, Retry-After on 429, retries of 5xx and network
// errors with capped backoff, timeouts, a per-tenant limiter), so like the ARM client this wraps
// the Partner Center client's machinery with an empty path prefix instead of copying it.

const RELATIONSHIPS = '/tenantRelationships/delegatedAdminRelationships';
const MAX_PAGES = 1_000;
const enc = encodeURIComponent;

/** A failed Graph call; its message names the service and the host that answered (or did not). */
export class GraphError extends PartnerCenterError {
  override name = 'GraphError';
  constructor(cause: PartnerCenterError, host: string) {
    super({
      status: cause.status,
      code: cause.code,
      description: cause.description.startsWith('Microsoft Graph')
        ? cause.description
        : `Microsoft Graph (${host}): ${cause.description}`,
      correlationId: cause.correlationId,
      requestId: cause.requestId,
      retryable: cause.retryable,
      operation: cause.operation,
      ...(cause.retryAfterSeconds !== undefined
        ? { retryAfterSeconds: cause.retryAfterSeconds }
        : {}),
      cause,
    });
    this.message = `Microsoft Graph (${host}) ${cause.operation} failed: ${cause.status || 'no response'} ${cause.code} ${this.description}`;
  }
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

export interface NewGdapRelationship {
  displayName: string;
  duration: string;
  autoExtendDuration: string;
  customerTenantId: string;
  customerName?: string | null;
  roleIds: string[];
}

/** Graph GDAP calls of one partner tenant. */
export class GdapClient {
  private readonly host: string;

  constructor(
    private readonly http: PartnerCenterClient,
    baseUrl: string,
  ) {
    this.host = new URL(baseUrl).host;
  }

  get partnerTenantId(): string {
    return this.http.partnerTenantId;
  }

  private async call<S extends z.ZodTypeAny = z.ZodUnknown>(
    spec: RequestSpec<S>,
  ): Promise<PcResponse<z.infer<S>>> {
    try {
      return await this.http.request(spec);
    } catch (error) {
      throw error instanceof PartnerCenterError && !(error instanceof GraphError)
        ? new GraphError(error, this.host)
        : error;
    }
  }

  /** Every page of a collection (`@odata.nextLink` is absolute: its path and query are reused). */
  private async all<S extends z.ZodTypeAny>(
    path: string,
    query: Record<string, string>,
    item: S,
  ): Promise<z.infer<S>[]> {
    const out: z.infer<S>[] = [];
    let nextPath = path;
    let nextQuery = query;
    for (let page = 0; page < MAX_PAGES; page++) {
      const { data } = await this.call({
        method: 'GET',
        path: nextPath,
        query: nextQuery,
        schema: odataPageSchema(item),
      });
      out.push(...(data.value as z.infer<S>[]));
      const next = data['@odata.nextLink'];
      if (!next) {
        return out;
      }
      // The link names Graph's public root (even from an emulator): keep its path below /v1.0.
      const url = new URL(next);
      nextPath = url.pathname.replace(/^(\/graph)?\/v1\.0(?=\/)/i, '');
      nextQuery = Object.fromEntries(url.searchParams.entries());
    }
    throw new Error(`Graph paging of ${path} exceeded ${MAX_PAGES} pages`);
  }

  /**
   * `GET …/delegatedAdminRelationships` (optionally `$filter` by customer and/or display name;
   * `top` asks for larger pages when the whole tenant is listed).
   */
  listRelationships(
    filter: { customerTenantId?: string; displayName?: string; top?: number } = {},
  ): Promise<GdapRelationship[]> {
    const clauses = [
      filter.customerTenantId ? `customer/tenantId eq ${quote(filter.customerTenantId)}` : null,
      filter.displayName ? `displayName eq ${quote(filter.displayName)}` : null,
    ].filter((c): c is string => c !== null);
    return this.all(
      RELATIONSHIPS,
      {
        ...(clauses.length > 0 ? { $filter: clauses.join(' and ') } : {}),
        ...(filter.top ? { $top: String(filter.top) } : {}),
      },
      gdapRelationshipSchema,
    );
  }

  async getRelationship(id: string): Promise<GdapRelationship> {
    return (
      await this.call({
        method: 'GET',
        path: `${RELATIONSHIPS}/${enc(id)}`,
        schema: gdapRelationshipSchema,
      })
    ).data;
  }

  /** `POST …/delegatedAdminRelationships` → 201, status `created` (the customer sees nothing yet). */
  async createRelationship(input: NewGdapRelationship): Promise<GdapRelationship> {
    return (
      await this.call({
        method: 'POST',
        path: RELATIONSHIPS,
        body: {
          displayName: input.displayName,
          duration: input.duration,
          autoExtendDuration: input.autoExtendDuration,
          customer: {
            tenantId: input.customerTenantId,
            ...(input.customerName ? { displayName: input.customerName } : {}),
          },
          accessDetails: {
            unifiedRoles: input.roleIds.map((roleDefinitionId) => ({ roleDefinitionId })),
          },
        },
        schema: gdapRelationshipSchema,
      })
    ).data;
  }

  /** `PATCH` with the relationship's ETag (Graph requires If-Match); active ones take only autoExtendDuration. */
  async updateRelationship(
    id: string,
    etag: string,
    patch: { autoExtendDuration?: string },
  ): Promise<GdapRelationship> {
    return (
      await this.call({
        method: 'PATCH',
        path: `${RELATIONSHIPS}/${enc(id)}`,
        ifMatch: etag,
        body: patch,
        schema: gdapRelationshipSchema,
      })
    ).data;
  }

  /** `POST …/{id}/requests` (`lockForApproval` sends it to the customer; `terminate` ends it). */
  async createRequest(id: string, action: 'lockForApproval' | 'terminate'): Promise<GdapRequest> {
    return (
      await this.call({
        method: 'POST',
        path: `${RELATIONSHIPS}/${enc(id)}/requests`,
        body: { action },
        schema: gdapRequestSchema,
      })
    ).data;
  }

  listRequests(id: string): Promise<GdapRequest[]> {
    return this.all(`${RELATIONSHIPS}/${enc(id)}/requests`, {}, gdapRequestSchema);
  }

  listAccessAssignments(id: string): Promise<GdapAccessAssignment[]> {
    return this.all(
      `${RELATIONSHIPS}/${enc(id)}/accessAssignments`,
      {},
      gdapAccessAssignmentSchema,
    );
  }

  /** `POST …/{id}/accessAssignments`: a partner security group gets some of the relationship's roles (pending first). */
  async createAccessAssignment(
    id: string,
    securityGroupId: string,
    roleIds: string[],
  ): Promise<GdapAccessAssignment> {
    return (
      await this.call({
        method: 'POST',
        path: `${RELATIONSHIPS}/${enc(id)}/accessAssignments`,
        body: {
          accessContainer: {
            accessContainerId: securityGroupId,
            accessContainerType: 'securityGroup',
          },
          accessDetails: {
            unifiedRoles: roleIds.map((roleDefinitionId) => ({ roleDefinitionId })),
          },
        },
        schema: gdapAccessAssignmentSchema,
      })
    ).data;
  }
}

/** One {@link GdapClient} per partner tenant, sharing token provider, fetch and limiter. */
export interface GdapClientFactory {
  forTenant(partnerTenantId: string): GdapClient;
  readonly baseUrl: string;
}

export function createGdapClientFactory(
  shared: Omit<PartnerCenterClientOptions, 'partnerTenantId' | 'pathPrefix'>,
): GdapClientFactory {
  const clients = new Map<string, GdapClient>();
  return {
    baseUrl: shared.baseUrl,
    forTenant(partnerTenantId) {
      let client = clients.get(partnerTenantId);
      if (!client) {
        client = new GdapClient(
          new PartnerCenterClient({
            serviceName: 'Microsoft Graph',
            ...shared,
            partnerTenantId,
            pathPrefix: '',
          }),
          shared.baseUrl,
        );
        clients.set(partnerTenantId, client);
      }
      return client;
    },
  };
}

/**
 * Where Graph is for a Partner Center root: `https://graph.microsoft.com/v1.0` next to the real
 * Partner Center, or the emulator's `/graph/v1.0` beside its `/v1` (standalone or in process).
 */
export function graphUrlFor(partnerCenterUrl: string): string {
  const url = new URL(partnerCenterUrl);
  return url.hostname === 'api.partnercenter.microsoft.com'
    ? 'https://graph.microsoft.com/v1.0'
    : `${partnerCenterUrl.replace(/\/+$/, '')}/graph/v1.0`;
}
