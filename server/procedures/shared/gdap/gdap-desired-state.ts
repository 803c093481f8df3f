import { type GdapRelationship, roleIdsOf } from '../../../graph/gdap.contracts.js';
import { type GdapRoleTemplate } from '../../../graph/gdap-role-template.js';

const DAY_MS = 86_400_000;
/** A relationship ending sooner than this (and not auto-extending) is not worth reusing. */
export const REUSE_MIN_REMAINING_DAYS = 30;
const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';

/**
 * What the GDAP step does for one customer (the plan shows it, issue 15 item 2):
 * - REUSE: an active relationship already holds every role of the template;
 * - EXTEND: one holds the roles but does not auto-extend while the template asks for it (PATCH
 *   `autoExtendDuration` P180D, the only change Graph allows on an active relationship);
 * - AWAIT: a request of ours holding the roles is already with the customer (approvalPending);
 * - CREATE: a new relationship with the template, sent to the customer for approval.
 */
export type GdapAction = 'REUSE' | 'EXTEND' | 'AWAIT' | 'CREATE';

/** Where the GDAP step of one customer stands. */
export type GdapPhase =
  | 'PLANNED'
  | 'REQUESTED'
  | 'APPROVED'
  | 'ASSIGNING'
  | 'ACTIVE'
  | 'REJECTED'
  | 'EXPIRED'
  | 'SKIPPED';

/** The security groups the step assigns, resolved at planning time for the partner tenant. */
export interface GdapAssignmentPlan {
  securityGroupId: string;
  roleIds: string[];
}

/** The GDAP part of a procedure's workflow data: the template as planned and the mode. */
export interface GdapWorkflowPlan {
  mode: 'required' | 'optional';
  template: GdapRoleTemplate;
  /** Groups to assign per partner tenant (template groups, else the tenant's Admin Agents group). */
  assignments: Record<string, GdapAssignmentPlan[]>;
}

/** The GDAP part of an item's data (plan and progress). */
export interface GdapItemState {
  /** The partner tenant that needs admin access, and the customer it needs it for. */
  partnerTenantId: string;
  /** The partner tenant's display name, for messages. */
  partnerName?: string | null;
  customerTenantId: string;
  companyName: string;
  /** The step after the request is out (or nothing needed sending), and after access is active. */
  afterRequest: string;
  afterActive: string;
  action: GdapAction;
  /** Why, in words (the plan's line for this customer). */
  reason: string;
  phase: GdapPhase;
  relationshipId?: string | null;
  displayName?: string | null;
  approvalUrl?: string | null;
  status?: string | null;
  endDateTime?: string | null;
  /** Access assignments made or found, by security group. */
  assignments?: { securityGroupId: string; assignmentId: string; status: string }[];
  error?: string | null;
}

const LIVE = new Set(['active', 'expiring']);

export function autoExtends(rel: Pick<GdapRelationship, 'autoExtendDuration'>): boolean {
  return (rel.autoExtendDuration ?? 'PT0S').toUpperCase() === 'P180D';
}

function covers(rel: GdapRelationship, template: GdapRoleTemplate): boolean {
  const roles = new Set(roleIdsOf(rel.accessDetails));
  return template.roleIds.every((id) => roles.has(id.toLowerCase()));
}

const endMs = (rel: GdapRelationship) =>
  rel.endDateTime ? Date.parse(rel.endDateTime) : Number.POSITIVE_INFINITY;

/** The desired-state decision for one customer from the partner tenant's relationships with it. */
export function decideGdap(
  relationships: readonly GdapRelationship[],
  template: GdapRoleTemplate,
  now: Date,
): { action: GdapAction; relationship: GdapRelationship | null; reason: string } {
  const live = relationships
    .filter((r) => LIVE.has(r.status) && covers(r, template))
    .sort((a, b) => endMs(b) - endMs(a));
  const lasting = live.find(
    (r) =>
      autoExtends(r) ||
      (!template.autoExtend && endMs(r) - now.getTime() > REUSE_MIN_REMAINING_DAYS * DAY_MS),
  );
  if (lasting) {
    return {
      action: 'REUSE',
      relationship: lasting,
      reason: `Reuse the active GDAP relationship "${lasting.displayName}" (holds every role of the template${lasting.endDateTime ? `, ends ${lasting.endDateTime.slice(0, 10)}` : ''}${autoExtends(lasting) ? ', auto-extends' : ''}).`,
    };
  }
  const extendable = template.autoExtend
    ? live.find(
        (r) => !roleIdsOf(r.accessDetails).includes(GLOBAL_ADMIN) && endMs(r) - now.getTime() > 0,
      )
    : undefined;
  if (extendable) {
    return {
      action: 'EXTEND',
      relationship: extendable,
      reason: `Turn on auto-extension (P180D) of the active GDAP relationship "${extendable.displayName}", which holds every role of the template.`,
    };
  }
  const pending = relationships.find((r) => r.status === 'approvalPending' && covers(r, template));
  if (pending) {
    return {
      action: 'AWAIT',
      relationship: pending,
      reason: `Wait for the customer to approve the pending GDAP request "${pending.displayName}".`,
    };
  }
  const partial = relationships.find((r) => LIVE.has(r.status));
  return {
    action: 'CREATE',
    relationship: null,
    reason: partial
      ? `Create a GDAP relationship with the template: the active one ("${partial.displayName}") lacks roles of the template or ends within ${REUSE_MIN_REMAINING_DAYS} days.`
      : 'Create a GDAP relationship with the template and send the customer its approval link.',
  };
}

/**
 * The relationship's display name: unique per partner (Graph refuses duplicates), at most 50
 * characters, and deterministic per workflow and customer so a resumed step finds its own.
 */
export function gdapDisplayName(companyName: string, workflowId: string, itemId: string): string {
  const tag = `${workflowId.slice(0, 6)}${itemId.slice(-4)}`;
  const name = companyName
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 50 - tag.length - 8);
  return `${name} - GDAP ${tag}`;
}
