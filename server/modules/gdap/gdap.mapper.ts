import {
  gdapApprovalLink,
  type GdapRelationship as GraphRelationship,
  roleIdsOf,
} from '../../graph/gdap.contracts.js';
import {
  GDAP_ROLES,
  type GdapRoleTemplate as TemplateValue,
} from '../../graph/gdap-role-template.js';
import {
  type GdapAction,
  type GdapPhase,
  GdapRelationship,
  GdapRole,
  GdapRoleTemplate,
  GdapStep,
} from './gdap.type.js';

const DAY_MS = 86_400_000;
const NAMES = new Map(Object.entries(GDAP_ROLES).map(([name, id]) => [id.toLowerCase(), name]));

export function toGdapRole(id: string): GdapRole {
  return Object.assign(new GdapRole(), { id, name: NAMES.get(id.toLowerCase()) ?? null });
}

export function toGdapTemplate(
  template: TemplateValue,
  meta: { isDefault: boolean; updatedAt: string | null; updatedBy: string | null },
): GdapRoleTemplate {
  return Object.assign(new GdapRoleTemplate(), {
    roles: template.roleIds.map(toGdapRole),
    duration: template.duration,
    autoExtend: template.autoExtend,
    accessAssignments: template.accessAssignments.map((a) => ({
      securityGroupId: a.securityGroupId,
      roles: a.roleIds.map(toGdapRole),
    })),
    isDefault: meta.isDefault,
    updatedAt: meta.updatedAt ? new Date(meta.updatedAt) : null,
    updatedBy: meta.updatedBy,
  });
}

export function toGdapRelationship(
  rel: GraphRelationship,
  partnerTenantId: string,
  now: Date,
): GdapRelationship {
  const end = rel.endDateTime ? new Date(rel.endDateTime) : null;
  return Object.assign(new GdapRelationship(), {
    relationshipId: rel.id,
    displayName: rel.displayName,
    status: rel.status,
    roles: roleIdsOf(rel.accessDetails).map(toGdapRole),
    duration: rel.duration,
    activatedAt: rel.activatedDateTime ? new Date(rel.activatedDateTime) : null,
    // Before approval Graph shows the end the duration would give; it is not a date yet.
    endsAt: rel.activatedDateTime ? end : null,
    daysUntilEnd:
      rel.activatedDateTime && end ? Math.floor((end.getTime() - now.getTime()) / DAY_MS) : null,
    autoExtend: (rel.autoExtendDuration ?? 'PT0S').toUpperCase() === 'P180D',
    customerTenantId: rel.customer?.tenantId ?? null,
    customerName: rel.customer?.displayName ?? null,
    partnerTenantId,
    approvalUrl: rel.status === 'approvalPending' ? gdapApprovalLink(rel.id) : null,
  });
}

/** The GDAP step of a procedure item (its data's `gdap`), or null without one. */
export function toGdapStep(
  state:
    | {
        action: string;
        phase: string;
        reason: string;
        partnerTenantId: string;
        relationshipId?: string | null;
        displayName?: string | null;
        approvalUrl?: string | null;
        status?: string | null;
        endDateTime?: string | null;
        assignments?: { securityGroupId: string; assignmentId: string; status: string }[];
        error?: string | null;
      }
    | null
    | undefined,
): GdapStep | null {
  if (!state) {
    return null;
  }
  return Object.assign(new GdapStep(), {
    action: state.action as GdapAction,
    phase: state.phase as GdapPhase,
    reason: state.reason,
    partnerTenantId: state.partnerTenantId,
    relationshipId: state.relationshipId ?? null,
    displayName: state.displayName ?? null,
    approvalUrl: state.approvalUrl ?? null,
    status: state.status ?? null,
    endsAt:
      state.endDateTime &&
      ['active', 'expiring', 'expired', 'terminated'].includes(state.status ?? '')
        ? new Date(state.endDateTime)
        : null,
    assignments: state.assignments ?? [],
    error: state.error ?? null,
  });
}
