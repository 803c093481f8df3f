import type {
  GdapAccessAssignmentRecord,
  GdapOperationRecord,
  GdapRelationshipRecord,
  GdapRequestRecord,
} from '../core/gdap.model.js';
import { addDuration } from '../core/duration.js';
import { GRAPH_ROOT, weakEtag } from '../http/graph-responses.js';

export const RELATIONSHIPS_PATH = '/tenantRelationships/delegatedAdminRelationships';

/** The customer's approval link (§11): the partner sends it to the customer's admin. */
export function invitationLink(relationshipId: string): string {
  return `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${relationshipId}`;
}

export function relationshipLocation(id: string): string {
  return `${GRAPH_ROOT}${RELATIONSHIPS_PATH}/${id}`;
}

/** `delegatedAdminRelationship` (or `resellerDelegatedAdminRelationship`) as Graph returns it. */
export function relationshipView(r: GdapRelationshipRecord): Record<string, unknown> {
  // Before activation Graph shows the end the duration would give from now-ish (doc example:
  // created + duration); after activation it is activatedDateTime + duration (+ extensions).
  const end = r.endDateTime ?? addDuration(new Date(r.createdDateTime), r.duration).toISOString();
  const view: Record<string, unknown> = {
    '@odata.type':
      r.kind === 'reseller'
        ? '#microsoft.graph.resellerDelegatedAdminRelationship'
        : '#microsoft.graph.delegatedAdminRelationship',
    '@odata.etag': weakEtag(r.etag),
    id: r.id,
    displayName: r.displayName,
    duration: r.duration,
    status: r.status,
    autoExtendDuration: r.autoExtendDuration,
    createdDateTime: r.createdDateTime,
    lastModifiedDateTime: r.lastModifiedDateTime,
    activatedDateTime: r.activatedDateTime,
    endDateTime: end,
    customer: r.customer,
    accessDetails: { unifiedRoles: r.roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
  };
  if (r.kind === 'reseller') {
    view.indirectProviderTenantId = r.indirectProviderTenantId;
    view.isPartnerConsentPending = r.isPartnerConsentPending;
  }
  return view;
}

/**
 * `reject` sits after `unknownFutureValue` in Graph's evolvable enum: it is shown only to callers
 * that send `Prefer: include-unknown-enum-members` (§11), others read `unknownFutureValue`.
 */
export function requestView(
  r: GdapRequestRecord,
  includeUnknownEnumMembers = true,
): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminRelationshipRequest',
    id: r.id,
    action: r.action === 'reject' && !includeUnknownEnumMembers ? 'unknownFutureValue' : r.action,
    status: r.status,
    createdDateTime: r.createdDateTime,
    lastModifiedDateTime: r.lastModifiedDateTime,
  };
}

export function accessAssignmentView(a: GdapAccessAssignmentRecord): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminAccessAssignment',
    '@odata.etag': weakEtag(a.etag),
    id: a.id,
    status: a.status,
    createdDateTime: a.createdDateTime,
    lastModifiedDateTime: a.lastModifiedDateTime,
    accessContainer: {
      accessContainerId: a.accessContainerId,
      accessContainerType: a.accessContainerType,
    },
    accessDetails: { unifiedRoles: a.roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
  };
}

export function operationView(o: GdapOperationRecord): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminRelationshipOperation',
    id: o.id,
    operationType: o.operationType,
    data: o.data,
    status: o.status,
    createdDateTime: o.createdDateTime,
    lastModifiedDateTime: o.lastModifiedDateTime,
  };
}
