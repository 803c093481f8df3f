import { type GdapClientFactory } from '../../../graph/gdap.client.js';
import { gdapApprovalLink } from '../../../graph/gdap.contracts.js';
import {
  DEFAULT_GDAP_ROLE_TEMPLATE,
  type GdapRoleTemplate,
  validateGdapRoleTemplate,
} from '../../../graph/gdap-role-template.js';
import { findGdapRoleTemplate } from '../../../modules/gdap/gdap-template.repository.js';
import { type DirectorySource } from '../../../modules/organizations/directory-source.js';
import { PartnerCenterError } from '../../../partner-center/errors.js';
import { err, ok, type Result } from '../../../shared/result.js';
import { type EngineDb } from '../../../workflows/engine/db.types.js';
import { type NewEvent, type NewItem } from '../../../workflows/engine/engine.types.js';
import { type GdapMode } from '../../procedure-module.js';
import {
  decideGdap,
  type GdapAssignmentPlan,
  type GdapItemState,
  type GdapWorkflowPlan,
} from './gdap-desired-state.js';

/** The default template, validated once (its role names are known). */
export function defaultGdapTemplate(): GdapRoleTemplate {
  const checked = validateGdapRoleTemplate(DEFAULT_GDAP_ROLE_TEMPLATE);
  if (!checked.ok) {
    throw new Error('the default GDAP role template does not validate');
  }
  return checked.value;
}

/** The organization's template, else the default one. */
export async function gdapTemplateOf(
  db: EngineDb,
  organizationId: string,
): Promise<GdapRoleTemplate> {
  return (await findGdapRoleTemplate(db, organizationId))?.template ?? defaultGdapTemplate();
}

export interface GdapPlannerDeps {
  db: EngineDb;
  graph: GdapClientFactory;
  mode: GdapMode;
  directory: DirectorySource;
}

/**
 * Planning of the GDAP step (issue 15 item 2), shared by the procedures that need admin access:
 * the template as it is now (the run follows the plan), the groups to assign, and per customer
 * what will be reused, extended or created (read from Graph; nothing is changed).
 */
export class GdapPlanner {
  constructor(private readonly deps: GdapPlannerDeps) {}

  get enabled(): boolean {
    return this.deps.mode !== 'off';
  }

  /** The workflow-level part, or null when GDAP=off. */
  async workflowPlan(
    organizationId: string,
    partnerTenantIds: readonly string[],
  ): Promise<GdapWorkflowPlan | null> {
    if (this.deps.mode === 'off') {
      return null;
    }
    const template = await gdapTemplateOf(this.deps.db, organizationId);
    const assignments: Record<string, GdapAssignmentPlan[]> = {};
    const directory =
      template.accessAssignments.length === 0 ? await this.deps.directory.load() : [];
    for (const partnerTenantId of partnerTenantIds) {
      if (template.accessAssignments.length > 0) {
        assignments[partnerTenantId] = template.accessAssignments.map((a) => ({
          securityGroupId: a.securityGroupId,
          roleIds: a.roleIds,
        }));
        continue;
      }
      // No groups in the template: the tenant's Admin Agents group gets every role (the usual
      // setup; without an assignment nobody in the partner tenant can use the relationship).
      const group = directory
        .flatMap((o) => o.tenants)
        .find(
          (t) => t.tenantId.toLowerCase() === partnerTenantId.toLowerCase(),
        )?.adminAgentsGroupId;
      assignments[partnerTenantId] = group
        ? [{ securityGroupId: group.toLowerCase(), roleIds: template.roleIds }]
        : [];
    }
    return { mode: this.deps.mode, template, assignments };
  }

  /** One customer's plan: reads the partner tenant's relationships with it (one Graph call). */
  async itemPlan(
    plan: GdapWorkflowPlan,
    item: {
      partnerTenantId: string;
      partnerName?: string | null;
      customerTenantId: string;
      companyName: string;
      afterRequest: string;
      afterActive: string;
    },
    now: Date,
  ): Promise<GdapItemState> {
    const { partnerTenantId, customerTenantId } = item;
    const relationships = await this.deps.graph
      .forTenant(partnerTenantId)
      .listRelationships({ customerTenantId });
    const decision = decideGdap(relationships, plan.template, now);
    const rel = decision.relationship;
    return {
      ...item,
      action: decision.action,
      reason: decision.reason,
      phase: 'PLANNED',
      relationshipId: rel?.id ?? null,
      displayName: rel?.displayName ?? null,
      approvalUrl: decision.action === 'AWAIT' && rel ? gdapApprovalLink(rel.id) : null,
      status: rel?.status ?? null,
      endDateTime: rel?.endDateTime ?? null,
    };
  }

  /**
   * Adds each selected item's GDAP plan to its data (`data.gdap`) and returns the plan's summary
   * event: per customer, what will be reused, extended or created.
   */
  async planItems(
    plan: GdapWorkflowPlan,
    items: NewItem[],
    select: (item: NewItem) => Parameters<GdapPlanner['itemPlan']>[1] | null,
    now: Date,
  ): Promise<NewEvent> {
    const counts: Record<string, number> = { REUSE: 0, EXTEND: 0, AWAIT: 0, CREATE: 0 };
    for (const item of items) {
      const target = item.status === 'BLOCKED' ? null : select(item);
      if (!target) {
        continue;
      }
      const gdap = await this.itemPlan(plan, target, now);
      counts[gdap.action] = (counts[gdap.action] ?? 0) + 1;
      item.data = { ...item.data, gdap };
    }
    const roles = plan.template.roleIds.length;
    return {
      type: 'GDAP_PLANNED',
      message: `GDAP (${plan.mode}): ${counts.REUSE} relationship(s) reused, ${counts.EXTEND} extended, ${counts.AWAIT} awaiting approval, ${counts.CREATE} to create with the template (${roles} roles, ${plan.template.duration}${plan.template.autoExtend ? ', auto-extend' : ''}).`,
      data: counts,
    };
  }

  /**
   * The GDAP part of a plan in one call: null with GDAP=off; else the workflow plan, each selected
   * item's plan in its data and the summary event. A Graph failure is a planning error (nothing
   * is stored), like a Partner Center one.
   */
  async planFor(
    organizationId: string,
    partnerTenantIds: readonly string[],
    items: NewItem[],
    select: (item: NewItem) => Parameters<GdapPlanner['itemPlan']>[1] | null,
    now: Date,
  ): Promise<Result<{ plan: GdapWorkflowPlan; event: NewEvent } | null>> {
    try {
      const plan = await this.workflowPlan(organizationId, partnerTenantIds);
      if (!plan) {
        return ok(null);
      }
      return ok({ plan, event: await this.planItems(plan, items, select, now) });
    } catch (error) {
      if (error instanceof PartnerCenterError) {
        return err({
          code: 'GRAPH_ERROR',
          message: `Microsoft Graph refused the GDAP read (${error.message}); nothing was planned.`,
        });
      }
      throw error;
    }
  }
}
