import { customerActor } from '../../shared/customer-actor.js';
import { getRelationshipRequestUrl } from '../../../partner-center/operations.js';
import { TERMINAL_ITEM_STATUSES, type ItemStatus } from '../../../workflows/engine/engine.types.js';
import { type StepHandler } from '../../../workflows/engine/step-context.js';
import { type RelationshipItemData } from '../channel-move.model.js';
import { type ChannelMoveStepDeps, isNotFound, logActivity, step } from './common.js';

/** RELATIONSHIP: the reseller relationship (R-CHN-1), then the lines it holds. */
export function relationshipSteps(deps: ChannelMoveStepDeps): Record<string, StepHandler> {
  const { clients } = deps;
  const request = step<RelationshipItemData>(async (ctx) => {
    const wf = ctx.workflowData;
    const rel = ctx.data;
    // R-CHN-1: the partner's reseller invitation URL; the customer's global admin accepts it.
    const invitationUrl = await getRelationshipRequestUrl(clients.forTenant(wf.partner.tenantId));
    ctx.emit({
      type: 'RELATIONSHIP_REQUESTED',
      message: `Reseller relationship requested for ${rel.companyName} with ${wf.partner.name}: send ${invitationUrl} to the customer's global admin (R-CHN-1).`,
      partnerTenantId: wf.partner.tenantId,
    });
    await logActivity(ctx, {
      operation: 'request_reseller_relationship',
      details: `Requested a reseller relationship of ${rel.companyName} with ${wf.partner.name} (${invitationUrl}).`,
      what: 'request',
    });
    // With GDAP on, the GDAP request goes out beside the invitation (steps/gdap.steps.ts).
    const next = rel.gdap ? 'gdap_request' : 'await_acceptance';
    return { type: 'next', step: next, state: 'REQUESTED', data: { invitationUrl } };
  });

  const awaitAcceptance = step<RelationshipItemData>(async (ctx) => {
    const wf = ctx.workflowData;
    const rel = ctx.data;
    const waiting = {
      type: 'wait' as const,
      reason: `Waiting for ${rel.companyName} to accept the reseller relationship with ${wf.partner.name} (R-CHN-1).`,
    };
    let seen;
    try {
      seen = await clients.forTenant(wf.partner.tenantId).getCustomer(wf.customerTenantId);
    } catch (error) {
      if (isNotFound(error)) {
        return waiting;
      }
      throw error;
    }
    if (seen.relationshipToPartner !== 'reseller') {
      return waiting;
    }
    const companyName = seen.companyProfile.companyName || rel.companyName;
    const country =
      seen.billingProfile?.defaultAddress?.country ?? seen.companyProfile.address?.country ?? null;
    if (country && country.toUpperCase() !== wf.customerCountry.toUpperCase()) {
      ctx.emit({
        type: 'COUNTRY_MISMATCH',
        message: `Partner Center shows ${companyName} in ${country}, not ${wf.customerCountry} as planned; orders follow Partner Center's country (R-CHN-7).`,
      });
    }
    // R-CHN-2: after the customer accepts, the lines are provisioned on their cut-over dates.
    ctx.releaseChildren();
    ctx.emit({
      type: 'RELATIONSHIP_ACCEPTED',
      message: `${companyName} has a reseller relationship with ${wf.partner.name}.`,
      partnerTenantId: wf.partner.tenantId,
    });
    await logActivity(ctx, {
      operation: 'customer_accepted_relationship',
      details: `${companyName} accepted the reseller relationship with ${wf.partner.name}.`,
      what: 'accepted',
      // The customer accepted (in its own tenant), not the partner user who started the workflow.
      actor: customerActor(companyName),
    });
    return {
      type: 'next',
      step: 'await_lines',
      state: 'ACCEPTED',
      data: {
        acceptedAt: ctx.now().toISOString(),
        companyName,
        domain: seen.companyProfile.domain || rel.domain,
      },
    };
  });

  const awaitLines = step<RelationshipItemData>(async (ctx) => {
    const rel = ctx.data;
    const lines = await ctx.children();
    if (lines.every((l) => TERMINAL_ITEM_STATUSES.has(l.status as ItemStatus))) {
      const failed = lines.filter((l) => l.status === 'FAILED');
      if (failed.length > 0) {
        return {
          type: 'failed',
          code: 'LINE_FAILED',
          message: `${failed.length} line(s) of ${rel.companyName} failed: ${failed.map((f) => f.lastError).join('; ')}`,
        };
      }
      ctx.emit({
        type: 'MOVE_DONE',
        message: `Every movable license of ${rel.companyName} is active in CSP.`,
      });
      return { type: 'done', state: 'DONE' };
    }
    // Lines wake this item as they progress; the fallback only covers a missed wake.
    return {
      type: 'wait',
      reason: `Waiting for the lines of ${rel.companyName} to reach their cut-over dates.`,
      until: ctx.later(deps.wakeFallbackMs),
    };
  });

  return { request, await_acceptance: awaitAcceptance, await_lines: awaitLines };
}
