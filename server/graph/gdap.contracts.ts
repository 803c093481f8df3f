import { z } from 'zod';

// Microsoft Graph GDAP resources (learn.microsoft.com/graph/api/resources/delegatedadminrelationship,
// partner-center-api.md §3 and §11). Only the fields the procedures read are required; Graph adds
// properties over time, so every object passes unknown ones through.

/** Relationship status values (Graph's evolvable enum; unknown future values are kept as text). */
export const GDAP_STATUSES = [
  'activating',
  'active',
  'approvalPending',
  'approved',
  'created',
  'expired',
  'expiring',
  'terminated',
  'terminating',
  'terminationRequested',
] as const;

const unifiedRoles = z
  .object({
    unifiedRoles: z.array(z.object({ roleDefinitionId: z.string() }).passthrough()),
  })
  .passthrough();

export const gdapRelationshipSchema = z
  .object({
    '@odata.etag': z.string().nullish(),
    id: z.string(),
    displayName: z.string(),
    duration: z.string(),
    status: z.string(),
    autoExtendDuration: z.string().nullish(),
    createdDateTime: z.string().nullish(),
    lastModifiedDateTime: z.string().nullish(),
    activatedDateTime: z.string().nullish(),
    endDateTime: z.string().nullish(),
    customer: z
      .object({ tenantId: z.string(), displayName: z.string().nullish() })
      .passthrough()
      .nullish(),
    accessDetails: unifiedRoles,
  })
  .passthrough();
export type GdapRelationship = z.infer<typeof gdapRelationshipSchema>;

export const gdapRequestSchema = z
  .object({
    id: z.string(),
    action: z.string(),
    status: z.string(),
    createdDateTime: z.string().nullish(),
    lastModifiedDateTime: z.string().nullish(),
  })
  .passthrough();
export type GdapRequest = z.infer<typeof gdapRequestSchema>;

export const gdapAccessAssignmentSchema = z
  .object({
    '@odata.etag': z.string().nullish(),
    id: z.string(),
    status: z.string(),
    accessContainer: z
      .object({ accessContainerId: z.string(), accessContainerType: z.string().nullish() })
      .passthrough(),
    accessDetails: unifiedRoles,
    createdDateTime: z.string().nullish(),
    lastModifiedDateTime: z.string().nullish(),
  })
  .passthrough();
export type GdapAccessAssignment = z.infer<typeof gdapAccessAssignmentSchema>;

/** An OData collection page: `value` and, when there is more, `@odata.nextLink`. */
export function odataPageSchema<T extends z.ZodTypeAny>(item: T) {
  return z.object({ value: z.array(item), '@odata.nextLink': z.string().nullish() }).passthrough();
}

/** Role ids of a relationship or assignment, lower case. */
export function roleIdsOf(details: { unifiedRoles: { roleDefinitionId: string }[] }): string[] {
  return [...new Set(details.unifiedRoles.map((r) => r.roleDefinitionId.toLowerCase()))];
}

/** The customer's approval link (§11): the customer's admin approves there. */
export function gdapApprovalLink(relationshipId: string): string {
  return `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${relationshipId}`;
}
