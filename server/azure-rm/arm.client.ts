import { z } from 'zod';
import { PartnerCenterClient, type PartnerCenterClientOptions } from '../partner-center/client.js';

// Azure Resource Manager role assignments (R-TRF-8 clean-up). ARM is a different service from
// Partner Center, but the transport concerns are the same (bearer token per partner tenant, retries
// on 429/5xx/network errors with capped backoff, timeouts, a per-tenant limiter), so the ARM client
// wraps the Partner Center client's machinery with an empty path prefix instead of copying it.

/** Role assignments API version (GA, returns principalType/createdOn/createdBy). */
export const ROLE_ASSIGNMENTS_API_VERSION = '2022-04-01';

/** The built-in Owner role (the role a CSP partner's Admin Agents group holds, AOBO). */
export const OWNER_ROLE_DEFINITION_GUID = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';

export const ownerRoleDefinitionId = (azureSubscriptionId: string) =>
  `/subscriptions/${azureSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${OWNER_ROLE_DEFINITION_GUID}`;

export const armRoleAssignmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.string().nullish(),
    properties: z
      .object({
        roleDefinitionId: z.string(),
        principalId: z.string(),
        principalType: z.string().nullish(),
        scope: z.string().nullish(),
        createdOn: z.string().nullish(),
        createdBy: z.string().nullish(),
      })
      .passthrough(),
  })
  .passthrough();
export type ArmRoleAssignment = z.infer<typeof armRoleAssignmentSchema>;

const listSchema = z
  .object({ value: z.array(armRoleAssignmentSchema), nextLink: z.string().nullish() })
  .passthrough();

const enc = encodeURIComponent;
const MAX_PAGES = 1_000;

/** ARM calls on behalf of one partner tenant (its AOBO / delegated access to customers' Azure). */
export class ArmClient {
  constructor(private readonly http: PartnerCenterClient) {}

  get partnerTenantId(): string {
    return this.http.partnerTenantId;
  }

  /** `GET /subscriptions/{id}/providers/Microsoft.Authorization/roleAssignments`, every page. */
  async listRoleAssignments(azureSubscriptionId: string): Promise<ArmRoleAssignment[]> {
    const all: ArmRoleAssignment[] = [];
    let path = `/subscriptions/${enc(azureSubscriptionId)}/providers/Microsoft.Authorization/roleAssignments`;
    let query: Record<string, string> = { 'api-version': ROLE_ASSIGNMENTS_API_VERSION };
    for (let page = 0; page < MAX_PAGES; page++) {
      const response = await this.http.request({ method: 'GET', path, query, schema: listSchema });
      all.push(...response.data.value);
      const next = response.data.nextLink;
      if (!next) {
        return all;
      }
      // nextLink is absolute and carries its own query (api-version, $skipToken).
      const url = new URL(next);
      path = url.pathname.replace(/^\/arm(?=\/)/, '');
      query = Object.fromEntries(url.searchParams.entries());
    }
    throw new Error(`ARM role assignment paging exceeded ${MAX_PAGES} pages`);
  }

  /**
   * `PUT …/roleAssignments/{name}` (name: a GUID chosen by the caller). ARM refuses a second
   * assignment of the same role to the same principal at the same scope with 409
   * `RoleAssignmentExists`; callers look before they create and treat that 409 as "already there".
   */
  async createRoleAssignment(
    azureSubscriptionId: string,
    name: string,
    properties: { roleDefinitionId: string; principalId: string; principalType?: string },
    requestId: string,
  ): Promise<ArmRoleAssignment> {
    const response = await this.http.request({
      method: 'PUT',
      path: `/subscriptions/${enc(azureSubscriptionId)}/providers/Microsoft.Authorization/roleAssignments/${enc(name)}`,
      query: { 'api-version': ROLE_ASSIGNMENTS_API_VERSION },
      body: { properties },
      requestId,
      schema: armRoleAssignmentSchema,
    });
    return response.data;
  }

  /**
   * `DELETE …/roleAssignments/{name}`: 200 with the removed assignment, or 204 when there was
   * nothing to delete (so repeating a delete after a crash is harmless).
   */
  async deleteRoleAssignment(
    azureSubscriptionId: string,
    name: string,
    requestId: string,
  ): Promise<void> {
    await this.http.request({
      method: 'DELETE',
      path: `/subscriptions/${enc(azureSubscriptionId)}/providers/Microsoft.Authorization/roleAssignments/${enc(name)}`,
      query: { 'api-version': ROLE_ASSIGNMENTS_API_VERSION },
      requestId,
    });
  }
}

/** One {@link ArmClient} per partner tenant, sharing token provider, fetch and limiter. */
export interface ArmClientFactory {
  forTenant(partnerTenantId: string): ArmClient;
  readonly baseUrl: string;
}

export function createArmClientFactory(
  shared: Omit<PartnerCenterClientOptions, 'partnerTenantId' | 'pathPrefix'>,
): ArmClientFactory {
  const clients = new Map<string, ArmClient>();
  return {
    baseUrl: shared.baseUrl,
    forTenant(partnerTenantId) {
      let client = clients.get(partnerTenantId);
      if (!client) {
        client = new ArmClient(
          new PartnerCenterClient({
            serviceName: 'Azure Resource Manager',
            ...shared,
            partnerTenantId,
            pathPrefix: '',
          }),
        );
        clients.set(partnerTenantId, client);
      }
      return client;
    },
  };
}

/**
 * Where ARM is for a Partner Center root: the public cloud's `https://management.azure.com` next to
 * the real Partner Center, or the emulator's `/arm` beside its `/v1` (standalone server).
 */
export function armUrlFor(partnerCenterUrl: string): string {
  const url = new URL(partnerCenterUrl);
  return url.hostname === 'api.partnercenter.microsoft.com'
    ? 'https://management.azure.com'
    : `${partnerCenterUrl.replace(/\/+$/, '')}/arm`;
}
