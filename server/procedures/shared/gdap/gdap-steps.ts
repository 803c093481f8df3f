import { type GdapClient, type GdapClientFactory } from '../../../graph/gdap.client.js';
import {
  gdapApprovalLink,
  type GdapRelationship,
  roleIdsOf,
} from '../../../graph/gdap.contracts.js';
import { type ProductOperation } from '../../../shared/activity-operations.js';
import { type StepOutcome } from '../../../workflows/engine/engine.types.js';
import { type StepContext, type StepHandler } from '../../../workflows/engine/step-context.js';
import { customerActor } from '../customer-actor.js';
import {
  autoExtends,
  gdapDisplayName,
  type GdapItemState,
  type GdapWorkflowPlan,
} from './gdap-desired-state.js';

type Ctx = StepContext<{ gdap?: GdapWorkflowPlan }, { gdap?: GdapItemState }>;

export interface GdapStepDeps {
  graph: GdapClientFactory;
  /** Recheck while access assignments are pending (Graph applies them within minutes). */
  assignmentRecheckMs?: number;
  /** The procedure's item state for a blocked item (e.g. the consolidation's `BLOCKED`). */
  blockedState?: string;
}

/** Statuses in which the customer has not decided yet. */
const UNDECIDED = new Set(['created', 'approvalPending', 'approved', 'activating']);
const LIVE = new Set(['active', 'expiring']);

function planOf(ctx: Ctx): { plan: GdapWorkflowPlan; state: GdapItemState } {
  const plan = ctx.workflowData.gdap;
  const state = ctx.data.gdap;
  if (!plan || !state) {
    throw new Error(`item ${ctx.item.id} reached a GDAP step without a GDAP plan`);
  }
  return { plan, state };
}

/** An activity entry of the GDAP step, written once per item and `what` (a resumed step). */
function record(
  ctx: Ctx,
  state: GdapItemState,
  {
    operation,
    what,
    details,
    actor,
  }: { operation: ProductOperation; what: string; details: string; actor?: string },
) {
  return ctx.activity.record({
    operation,
    details,
    partnerTenantId: state.partnerTenantId,
    customerTenantId: state.customerTenantId,
    customerName: state.companyName,
    externalId: `wf:${ctx.item.id}:gdap:${what}`,
    ...(actor ? { actor } : {}),
  });
}

const toData = (state: GdapItemState): Record<string, unknown> => ({ gdap: state });

/** Creates (once) the relationship with the template and sends it to the customer. */
async function createAndLock(
  ctx: Ctx,
  client: GdapClient,
  plan: GdapWorkflowPlan,
  state: GdapItemState,
): Promise<GdapItemState> {
  const displayName = gdapDisplayName(state.companyName, ctx.workflow.id, ctx.item.id);
  const created = await ctx.journaled(
    'gdap_create',
    { displayName, customerTenantId: state.customerTenantId },
    {
      // Graph has no idempotency key: after a crash the deterministic name finds our own.
      lookup: async () => {
        const found = (await client.listRelationships({ displayName }))[0];
        return found ? { id: found.id } : undefined;
      },
      call: async () => {
        const rel = await client.createRelationship({
          displayName,
          duration: plan.template.duration,
          // Graph refuses P180D with Global Administrator; the template's validation refused it too.
          autoExtendDuration: plan.template.autoExtend ? 'P180D' : 'PT0S',
          customerTenantId: state.customerTenantId,
          customerName: state.companyName,
          roleIds: plan.template.roleIds,
        });
        return { id: rel.id };
      },
    },
  );
  await ctx.journaled(
    'gdap_lock',
    { relationshipId: created.id },
    {
      lookup: async () => {
        const rel = await client.getRelationship(created.id);
        return rel.status === 'created' ? undefined : { status: rel.status };
      },
      call: async () => {
        const request = await client.createRequest(created.id, 'lockForApproval');
        return { status: request.status };
      },
    },
  );
  const approvalUrl = gdapApprovalLink(created.id);
  ctx.emit({
    type: 'GDAP_REQUESTED',
    message: `GDAP relationship for ${state.companyName} sent for approval: the customer's admin approves it at ${approvalUrl} (the request expires after 90 days).`,
    partnerTenantId: state.partnerTenantId,
  });
  await record(ctx, state, {
    operation: 'gdap_relationship_requested',
    what: 'requested',
    details: `Created the GDAP relationship "${displayName}" (${plan.template.roleIds.length} roles, ${plan.template.duration}${plan.template.autoExtend ? ', auto-extends' : ''}) and sent it to ${state.companyName} for approval (${approvalUrl}).`,
  });
  return {
    ...state,
    phase: 'REQUESTED',
    relationshipId: created.id,
    displayName,
    approvalUrl,
    status: 'approvalPending',
  };
}

/** EXTEND: auto-extension on the covering relationship (the only change Graph allows once active). */
async function extend(ctx: Ctx, client: GdapClient, state: GdapItemState): Promise<GdapItemState> {
  const id = state.relationshipId as string;
  await ctx.journaled(
    'gdap_extend',
    { relationshipId: id, autoExtendDuration: 'P180D' },
    {
      lookup: async () =>
        autoExtends(await client.getRelationship(id)) ? { extended: true } : undefined,
      call: async () => {
        const rel = await client.getRelationship(id);
        await client.updateRelationship(id, rel['@odata.etag'] ?? '*', {
          autoExtendDuration: 'P180D',
        });
        return { extended: true };
      },
    },
  );
  await record(ctx, state, {
    operation: 'gdap_relationship_extended',
    what: 'extended',
    details: `Turned on auto-extension (P180D) of the GDAP relationship "${state.displayName ?? id}" with ${state.companyName}.`,
  });
  return { ...state, phase: 'APPROVED' };
}

/**
 * The GDAP step of a procedure (issue 15 item 2), as two handlers: `gdap_request` (desired state:
 * reuse, extend or create + lockForApproval; never waits) and `gdap_await` (the customer's
 * approval on the clock, then the access assignments, created and verified active). Rejection and
 * the 90-day request expiry block only this item (GDAP=required) or are warnings (optional).
 */
export function gdapSteps(deps: GdapStepDeps): Record<string, StepHandler> {
  const assignmentRecheckMs = deps.assignmentRecheckMs ?? 5 * 60_000;

  const request = async (ctx: Ctx): Promise<StepOutcome> => {
    const { plan, state } = planOf(ctx);
    const client = deps.graph.forTenant(state.partnerTenantId);
    let next: GdapItemState;
    switch (state.action) {
      case 'REUSE':
        next = { ...state, phase: 'APPROVED' };
        ctx.emit({
          type: 'GDAP_REUSED',
          message: `${state.companyName}: ${state.reason}`,
          partnerTenantId: state.partnerTenantId,
        });
        break;
      case 'EXTEND':
        next = await extend(ctx, client, state);
        break;
      case 'AWAIT':
        next = { ...state, phase: 'REQUESTED' };
        break;
      case 'CREATE':
        next = await createAndLock(ctx, client, plan, state);
        break;
    }
    return { type: 'next', step: state.afterRequest, data: toData(next) };
  };

  const decided = async (
    ctx: Ctx,
    plan: GdapWorkflowPlan,
    state: GdapItemState,
    rel: GdapRelationship,
  ): Promise<StepOutcome> => {
    const neverActive = !rel.activatedDateTime;
    const rejected = rel.status === 'terminated' && neverActive;
    const expired = rel.status === 'expired' && neverActive;
    if (!rejected && !expired) {
      // Ended after it was active (terminated or expired meanwhile): ask again from scratch.
      return {
        type: 'failed',
        code: 'GDAP_RELATIONSHIP_ENDED',
        message: `The GDAP relationship "${rel.displayName}" with ${state.companyName} is ${rel.status}; plan again to request a new one.`,
      };
    }
    const code = rejected ? 'GDAP_REJECTED' : 'GDAP_REQUEST_EXPIRED';
    const message = rejected
      ? `${state.companyName} rejected the GDAP relationship "${rel.displayName}": ${state.partnerName ?? state.partnerTenantId} has no admin access to it. Plan again once the customer agrees.`
      : `${state.companyName} did not approve the GDAP relationship "${rel.displayName}" within 90 days; the request expired. Plan again to send a new one.`;
    const after: GdapItemState = {
      ...state,
      phase: rejected ? 'REJECTED' : 'EXPIRED',
      status: rel.status,
      error: message,
    };
    await record(
      ctx,
      state,
      rejected
        ? {
            operation: 'gdap_relationship_rejected',
            what: 'rejected',
            details: message,
            actor: customerActor(state.companyName),
          }
        : {
            operation: 'gdap_request_expired',
            what: 'expired',
            details: message,
            actor: 'Microsoft',
          },
    );
    if (plan.mode === 'optional') {
      ctx.emit({
        type: 'GDAP_WARNING',
        message: `${message} Continuing without GDAP (GDAP=optional).`,
        partnerTenantId: state.partnerTenantId,
      });
      return { type: 'next', step: state.afterActive, data: toData(after) };
    }
    ctx.block({ code, message, partnerTenantId: state.partnerTenantId });
    return {
      type: 'blocked',
      code,
      message,
      ...(deps.blockedState ? { state: deps.blockedState } : {}),
      data: toData(after),
    };
  };

  const awaitAccess = async (ctx: Ctx): Promise<StepOutcome> => {
    const { plan, state: initial } = planOf(ctx);
    const client = deps.graph.forTenant(initial.partnerTenantId);
    let state = initial;
    const id = state.relationshipId as string;
    const rel = await client.getRelationship(id);
    state = { ...state, status: rel.status, endDateTime: rel.endDateTime ?? null };
    if (state.phase === 'REQUESTED') {
      if (UNDECIDED.has(rel.status)) {
        // The reseller invitation (when the procedure sent one) goes to the same admin.
        const invitation = (ctx.data as { invitationUrl?: string }).invitationUrl;
        return {
          type: 'wait',
          reason: `Waiting for ${state.companyName} to approve the GDAP relationship "${rel.displayName}" at ${state.approvalUrl ?? gdapApprovalLink(id)}${invitation ? ` (reseller invitation: ${invitation})` : ''}.`,
          data: toData(state),
        };
      }
      if (!LIVE.has(rel.status)) {
        return decided(ctx, plan, state, rel);
      }
      state = { ...state, phase: 'APPROVED' };
      ctx.emit({
        type: 'GDAP_APPROVED',
        message: `${state.companyName} approved the GDAP relationship "${rel.displayName}".`,
        partnerTenantId: state.partnerTenantId,
      });
      await record(ctx, state, {
        operation: 'gdap_relationship_approved',
        what: 'approved',
        details: `${state.companyName} approved the GDAP relationship "${rel.displayName}" (ends ${rel.endDateTime?.slice(0, 10) ?? 'unknown'}).`,
        actor: customerActor(state.companyName),
      });
    }
    if (!LIVE.has(rel.status)) {
      return {
        type: 'failed',
        code: 'GDAP_RELATIONSHIP_ENDED',
        message: `The GDAP relationship "${rel.displayName}" with ${state.companyName} is ${rel.status}; plan again to request a new one.`,
        data: toData(state),
      };
    }
    // Access assignments: each planned group holds its roles on this relationship, active.
    const wanted = plan.assignments[state.partnerTenantId] ?? [];
    const existing = wanted.length > 0 ? await client.listAccessAssignments(id) : [];
    const seen: NonNullable<GdapItemState['assignments']> = [];
    for (const group of wanted) {
      const have = existing.find(
        (a) =>
          a.accessContainer.accessContainerId.toLowerCase() === group.securityGroupId &&
          !['deleted', 'deleting', 'error'].includes(a.status) &&
          group.roleIds.every((r) => roleIdsOf(a.accessDetails).includes(r)),
      );
      if (have) {
        seen.push({
          securityGroupId: group.securityGroupId,
          assignmentId: have.id,
          status: have.status,
        });
        continue;
      }
      const made = await ctx.journaled(
        `gdap_assign:${id}:${group.securityGroupId}`,
        { relationshipId: id, securityGroupId: group.securityGroupId, roleIds: group.roleIds },
        {
          lookup: async () => {
            const found = (await client.listAccessAssignments(id)).find(
              (a) =>
                a.accessContainer.accessContainerId.toLowerCase() === group.securityGroupId &&
                !['deleted', 'deleting'].includes(a.status),
            );
            return found ? { id: found.id, status: found.status } : undefined;
          },
          call: async () => {
            const a = await client.createAccessAssignment(id, group.securityGroupId, group.roleIds);
            return { id: a.id, status: a.status };
          },
        },
      );
      seen.push({
        securityGroupId: group.securityGroupId,
        assignmentId: made.id,
        status: made.status,
      });
      await record(ctx, state, {
        operation: 'gdap_access_assigned',
        what: `assigned:${group.securityGroupId}`,
        details: `Assigned ${group.roleIds.length} GDAP roles of "${rel.displayName}" to security group ${group.securityGroupId}.`,
      });
    }
    state = { ...state, assignments: seen };
    const pending = seen.filter((a) => a.status !== 'active');
    if (pending.length > 0) {
      return {
        type: 'wait',
        reason: `Waiting for Graph to activate ${pending.length} GDAP access assignment(s) of ${state.companyName}.`,
        until: ctx.later(assignmentRecheckMs),
        data: toData({ ...state, phase: 'ASSIGNING' }),
      };
    }
    state = { ...state, phase: 'ACTIVE', error: null };
    ctx.emit({
      type: 'GDAP_ACTIVE',
      message: `GDAP access to ${state.companyName} is active (${seen.length} security group(s) assigned; relationship ends ${rel.endDateTime?.slice(0, 10) ?? 'unknown'}${autoExtends(rel) ? ', auto-extends' : ''}).`,
      partnerTenantId: state.partnerTenantId,
    });
    await record(ctx, state, {
      operation: 'gdap_access_active',
      what: 'active',
      details: `GDAP access of ${state.partnerTenantId} to ${state.companyName} is active through "${rel.displayName}".`,
    });
    return { type: 'next', step: state.afterActive, data: toData(state) };
  };

  return {
    gdap_request: request as unknown as StepHandler,
    gdap_await: awaitAccess as unknown as StepHandler,
  };
}
