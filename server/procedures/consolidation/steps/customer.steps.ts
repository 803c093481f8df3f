import { customerActor } from '../../shared/customer-actor.js';
import { type WorkflowItemRow } from '../../../workflows/engine/engine.types.js';
import { type StepHandler } from '../../../workflows/engine/step-context.js';
import {
  AZURE_SUPPORT_MIGRATION,
  LICENSE_REPROVISION,
  type CustomerItemData,
} from '../consolidation.model.js';
import { type ConsolidationStepDeps, isNotFound, logActivity, step } from './common.js';

/** CUSTOMER: invite to the target (R-CON-2), wait for acceptance, then for its subscriptions. */
export function customerSteps(deps: ConsolidationStepDeps): Record<string, StepHandler> {
  const { clients, reads } = deps;

  const invite = step<CustomerItemData>(async (ctx) => {
    const wf = ctx.workflowData;
    const customer = ctx.data;
    // R-CON-2: the invitation URL carries the target partner's id; the customer's admin accepts it.
    // It is the partner's, not the customer's: one read per workflow serves every customer.
    const invitationUrl = await reads.invitationUrl(ctx.workflow.id, wf.target.tenantId);
    ctx.emit({
      type: 'CUSTOMER_INVITED',
      message: `Reseller relationship invitation for ${customer.companyName} from ${wf.target.name}: ${invitationUrl}`,
      partnerTenantId: wf.target.tenantId,
    });
    await logActivity(ctx, {
      operation: 'invite_customer',
      details: `Invited ${customer.companyName} to a reseller relationship with ${wf.target.name} (${invitationUrl}).`,
      externalId: `${ctx.item.id}:invite`,
      tenantId: wf.target.tenantId,
    });
    // With GDAP on, the GDAP request goes out beside the invitation (steps/gdap.steps.ts).
    const next = customer.gdap ? 'gdap_request' : 'await_acceptance';
    return { type: 'next', step: next, state: 'INVITED', data: { invitationUrl } };
  });

  const awaitAcceptance = step<CustomerItemData>(async (ctx) => {
    const wf = ctx.workflowData;
    const customer = ctx.data;
    const customerId = ctx.item.customerTenantId as string;
    let seen;
    try {
      seen = await clients.forTenant(wf.target.tenantId).getCustomer(customerId);
    } catch (error) {
      if (isNotFound(error)) {
        return {
          type: 'wait',
          reason: `Waiting for ${customer.companyName} to accept the reseller invitation of ${wf.target.name}.`,
        };
      }
      throw error;
    }
    if (seen.relationshipToPartner !== 'reseller') {
      return {
        type: 'wait',
        reason: `Waiting for ${customer.companyName} to accept the reseller invitation of ${wf.target.name}.`,
      };
    }
    if (seen.allowDelegatedAccess === false) {
      return {
        type: 'wait',
        reason: `${customer.companyName} accepted but has not granted delegated admin privileges to ${wf.target.name} yet.`,
      };
    }
    // What the target already had before we order anything: one read here serves every license
    // item's look-before-create (instead of one read per item on the target's rate budget). A
    // customer that only transfers orders nothing: no read (issue 20).
    const orders = (await ctx.children()).some((c) => c.kind === LICENSE_REPROVISION);
    const targetSubscriptionsAtAcceptance = orders
      ? (await clients.forTenant(wf.target.tenantId).listSubscriptions(customerId)).map((s) => s.id)
      : undefined;
    ctx.releaseChildren();
    ctx.emit({
      type: 'CUSTOMER_ACCEPTED',
      message: `${customer.companyName} accepted the reseller relationship with ${wf.target.name} and granted delegated admin.`,
      partnerTenantId: wf.target.tenantId,
    });
    await logActivity(ctx, {
      operation: 'customer_accepted_relationship',
      details: `${customer.companyName} accepted the reseller relationship with ${wf.target.name}.`,
      externalId: `${ctx.item.id}:accepted`,
      tenantId: wf.target.tenantId,
      // The customer accepted (in its own tenant), not the partner user who started the workflow.
      actor: customerActor(customer.companyName),
    });
    return {
      type: 'next',
      step: 'await_children',
      state: 'ACCEPTED',
      data: {
        acceptedAt: ctx.now().toISOString(),
        ...(targetSubscriptionsAtAcceptance ? { targetSubscriptionsAtAcceptance } : {}),
      },
    };
  });

  const awaitChildren = step<CustomerItemData>(async (ctx) => {
    const children = await ctx.children();
    const licenses = children.filter((c) => c.kind === LICENSE_REPROVISION);
    const azure = children.filter((c) => c.kind === AZURE_SUPPORT_MIGRATION);
    const terminal = (c: WorkflowItemRow) =>
      ['DONE', 'FAILED', 'BLOCKED', 'SKIPPED', 'CANCELED'].includes(c.status);
    const customer = ctx.data;
    const failed = children.filter((c) => c.status === 'FAILED');
    if (children.every(terminal)) {
      if (failed.length > 0) {
        return {
          type: 'failed',
          code: 'ITEM_FAILED',
          message: `${failed.length} subscription(s) of ${customer.companyName} failed: ${failed.map((f) => f.lastError).join('; ')}`,
        };
      }
      // A transfer blocked at run time (expired twice, refused): this customer only, visible.
      const blocked = children.filter((c) => c.status === 'BLOCKED');
      if (blocked.length > 0) {
        return {
          type: 'blocked',
          code: 'ITEM_BLOCKED',
          message: `${blocked.length} subscription(s) of ${customer.companyName} did not move: ${[...new Set(blocked.map((b) => b.lastError))].join('; ')}`,
          state: 'BLOCKED',
        };
      }
      ctx.emit({ type: 'CUSTOMER_DONE', message: `${customer.companyName} is consolidated.` });
      return { type: 'done', state: 'DONE' };
    }
    const licensesDone = licenses.every((c) => c.status === 'DONE');
    const requested = azure.some((c) => ['REQUESTED', 'MIGRATED'].includes(c.state));
    const state =
      requested && licensesDone
        ? 'AZURE_MIGRATION_REQUESTED'
        : licensesDone && licenses.length > 0
          ? 'REPROVISIONED'
          : ctx.item.state;
    // Children wake this item as they progress; the fallback recheck only covers a missed wake.
    return {
      type: 'wait',
      reason: `Waiting for ${customer.companyName}'s subscriptions to move.`,
      until: ctx.later(deps.wakeFallbackMs),
      state,
    };
  });

  return { invite, await_acceptance: awaitAcceptance, await_children: awaitChildren };
}
