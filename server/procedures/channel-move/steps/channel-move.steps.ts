import { insertActivityEntries } from '../../../modules/activity-log/activity.repository.js';
import { type PartnerCenterClientFactory } from '../../../partner-center/client-factory.js';
import { PartnerCenterError } from '../../../partner-center/errors.js';
import { createOrder, getRelationshipRequestUrl } from '../../../partner-center/operations.js';
import { type EngineDb } from '../../../workflows/engine/db.types.js';
import {
  TERMINAL_ITEM_STATUSES,
  type ItemStatus,
  type StepOutcome,
} from '../../../workflows/engine/engine.types.js';
import {
  type StepContext,
  type WorkflowDefinition,
} from '../../../workflows/engine/workflow-runner.js';
import * as engineRepo from '../../../workflows/engine/workflow.repository.js';
import {
  orderTag,
  type ChannelMoveData,
  type LineItemData,
  type RelationshipItemData,
} from '../channel-move.model.js';
import { consolidationsFromTenant } from '../../consolidation/consolidation.repository.js';

export interface ChannelMoveDeps {
  db: EngineDb;
  clients: PartnerCenterClientFactory;
  /** Fallback recheck of the relationship item while its lines run (children wake it anyway). */
  wakeFallbackMs?: number;
  /** Recheck of an ordered subscription still provisioning (business time). */
  provisioningRecheckMs?: number;
}

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : 'unknown');
const data = <T>(ctx: StepContext) => ctx.data as unknown as T;
const workflowData = (ctx: StepContext) => ctx.workflowData as unknown as ChannelMoveData;

function isNotFound(error: unknown): boolean {
  return error instanceof PartnerCenterError && error.status === 404;
}

/** The channel move's steps (R-CHN-1..6). Every Partner Center write is journalled. */
export function channelMoveDefinition(deps: ChannelMoveDeps): WorkflowDefinition {
  const { db, clients } = deps;
  const wakeFallbackMs = deps.wakeFallbackMs ?? 24 * 60 * 60_000;
  const provisioningRecheckMs = deps.provisioningRecheckMs ?? 2 * 60_000;
  const later = (ctx: StepContext, ms: number) => new Date(ctx.now().getTime() + ms);

  const activity = async (
    ctx: StepContext,
    entry: { operation: string; details: string; subscriptionId?: string | null; what: string },
  ) => {
    const wf = workflowData(ctx);
    await insertActivityEntries(db, [
      {
        organizationId: ctx.workflow.organizationId,
        at: ctx.now().toISOString(),
        actor: wf.startedBy ?? ctx.workflow.createdBy,
        operation: entry.operation,
        source: 'PRODUCT',
        partnerTenantId: wf.partner.tenantId,
        customerTenantId: wf.customerTenantId,
        customerName: (ctx.data as { companyName?: string }).companyName ?? null,
        workflowId: ctx.workflow.id,
        subscriptionId: entry.subscriptionId ?? null,
        details: entry.details,
        // A resumed step never writes the same entry twice.
        externalId: `wf:${ctx.item.id}:${entry.what}`,
      },
    ]);
  };

  // ---- RELATIONSHIP -------------------------------------------------------------------------

  const request = async (ctx: StepContext): Promise<StepOutcome> => {
    const wf = workflowData(ctx);
    const rel = data<RelationshipItemData>(ctx);
    // R-CHN-1: the partner's reseller invitation URL; the customer's global admin accepts it.
    const invitationUrl = await getRelationshipRequestUrl(clients.forTenant(wf.partner.tenantId));
    ctx.emit({
      type: 'RELATIONSHIP_REQUESTED',
      message: `Reseller relationship requested for ${rel.companyName} with ${wf.partner.name}: send ${invitationUrl} to the customer's global admin (R-CHN-1).`,
      partnerTenantId: wf.partner.tenantId,
    });
    await activity(ctx, {
      operation: 'request_reseller_relationship',
      details: `Requested a reseller relationship of ${rel.companyName} with ${wf.partner.name} (${invitationUrl}).`,
      what: 'request',
    });
    return { type: 'next', step: 'await_acceptance', state: 'REQUESTED', data: { invitationUrl } };
  };

  const awaitAcceptance = async (ctx: StepContext): Promise<StepOutcome> => {
    const wf = workflowData(ctx);
    const rel = data<RelationshipItemData>(ctx);
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
    await activity(ctx, {
      operation: 'customer_accepted_relationship',
      details: `${companyName} accepted the reseller relationship with ${wf.partner.name}.`,
      what: 'accepted',
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
  };

  const awaitLines = async (ctx: StepContext): Promise<StepOutcome> => {
    const rel = data<RelationshipItemData>(ctx);
    const lines = await engineRepo.childItems(db, ctx.item.id);
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
      until: later(ctx, wakeFallbackMs),
    };
  };

  // ---- LINE ---------------------------------------------------------------------------------

  const awaitCutover = async (ctx: StepContext): Promise<StepOutcome> => {
    const line = data<LineItemData>(ctx);
    const now = ctx.now();
    if (line.cutoverAt && Date.parse(line.cutoverAt) > now.getTime()) {
      // R-CHN-3: the replacement starts just before the original's natural expiry.
      return {
        type: 'wait',
        reason: `Cut-over on ${day(line.cutoverAt)}, before ${line.sourceOfferName ?? line.offerId} expires on ${day(line.expiresOn)} (R-CHN-3).`,
        until: new Date(line.cutoverAt),
        state: 'SCHEDULED',
      };
    }
    const original = line.sourceOfferName ?? line.offerId;
    const message =
      line.action === 'CANCEL'
        ? `Line ${line.lineNumber}: cut-over now; the customer cancels the original ${original}. ${line.warnings.join(' ')}`
        : `Line ${line.lineNumber}: cut-over; the customer lets the original ${original} expire on ${day(line.expiresOn)} and does not renew it (R-CHN-3).`;
    ctx.emit({ type: 'CUTOVER', message });
    await activity(ctx, { operation: 'channel_move_cutover', details: message, what: 'cutover' });
    return { type: 'next', step: 'order', state: 'SCHEDULED' };
  };

  const order = async (ctx: StepContext): Promise<StepOutcome> => {
    const wf = workflowData(ctx);
    const line = data<LineItemData>(ctx);
    const customerId = wf.customerTenantId;
    const offerId = line.targetOfferId as string;
    const consolidations = await consolidationsFromTenant(
      db,
      ctx.workflow.organizationId,
      wf.partner.tenantId,
      customerId,
    );
    if (consolidations.length > 0) {
      // R-CON-7: never add subscriptions from a tenant the customer is consolidated away from.
      const message = `${wf.partner.name} became the source of a consolidation of this customer; no new subscription is ordered from it (R-CON-7).`;
      ctx.block({ code: 'SOURCE_OF_CONSOLIDATION', message, subject: ctx.item.subject });
      return { type: 'blocked', code: 'SOURCE_OF_CONSOLIDATION', message, state: 'BLOCKED' };
    }
    // An order creates a billed subscription: from the first one on, the move cannot be canceled.
    if (!(await ctx.markIrreversible())) {
      return { type: 'wait', reason: 'The workflow was canceled.' };
    }
    const client = clients.forTenant(wf.partner.tenantId);
    const tag = orderTag(ctx.workflow.id, line.lineNumber);
    const friendlyName = `${(line.targetOfferName ?? offerId).slice(0, 60)} (${tag})`;
    const preexisting = (
      await client
        .listSubscriptions(customerId)
        .catch((e: unknown) => (isNotFound(e) ? [] : Promise.reject(e)))
    )
      .filter((s) => s.offerId.toUpperCase() === offerId.toUpperCase())
      .map((s) => s.id);
    // R-CHN-2 / R-CHN-5: the target offer with the same seats as the existing license.
    const result = await ctx.journaled<{ orderId: string | null; subscriptionId: string }>(
      'order',
      { offerId, quantity: line.seats, friendlyName, preexisting },
      {
        // Look before create: after a crash the order may exist; its friendly name carries our tag.
        lookup: async (intent) => {
          const known = new Set((intent as { preexisting?: string[] } | null)?.preexisting ?? []);
          const found = (await client.listSubscriptions(customerId)).find(
            (s) =>
              s.offerId.toUpperCase() === offerId.toUpperCase() &&
              !known.has(s.id) &&
              (s.friendlyName ?? '').includes(tag),
          );
          return found ? { orderId: found.orderId ?? null, subscriptionId: found.id } : undefined;
        },
        call: async (requestId) => {
          const created = await createOrder(
            client,
            customerId,
            {
              referenceCustomerId: customerId,
              lineItems: [{ lineItemNumber: 0, offerId, quantity: line.seats, friendlyName }],
              attributes: { objectType: 'Order' },
            },
            requestId,
          );
          const subscriptionId = created.lineItems[0]?.subscriptionId;
          if (!subscriptionId) {
            throw new PartnerCenterError({
              operation: 'POST orders',
              status: 500,
              code: 'NO_SUBSCRIPTION_ID',
              description: 'the order has no subscription id on its line item',
              retryable: false,
              requestId,
              correlationId: '',
            });
          }
          return { orderId: created.id, subscriptionId };
        },
      },
    );
    ctx.emit({
      type: 'ORDERED',
      message: `Line ${line.lineNumber}: ordered ${line.seats} × ${line.targetOfferName ?? offerId} for ${line.companyName} from ${wf.partner.name} (subscription ${result.subscriptionId}).`,
      subscriptionId: result.subscriptionId,
      partnerTenantId: wf.partner.tenantId,
    });
    await activity(ctx, {
      operation: 'create_order',
      details: `Ordered ${line.targetOfferName ?? offerId} × ${line.seats} for ${line.companyName} (replaces ${line.sourceOfferName ?? line.offerId} from ${wf.sourceChannel.toLowerCase().replace(/_/g, ' ')}).`,
      subscriptionId: result.subscriptionId,
      what: 'order',
    });
    return {
      type: 'next',
      step: 'await_active',
      state: 'ORDERED',
      data: {
        orderId: result.orderId ?? undefined,
        targetSubscriptionId: result.subscriptionId,
        orderedAt: ctx.now().toISOString(),
      },
    };
  };

  const awaitActive = async (ctx: StepContext): Promise<StepOutcome> => {
    const wf = workflowData(ctx);
    const line = data<LineItemData>(ctx);
    const sub = await clients
      .forTenant(wf.partner.tenantId)
      .getSubscription(wf.customerTenantId, line.targetSubscriptionId as string);
    if (sub.status !== 'active') {
      return {
        type: 'wait',
        reason: `Subscription ${sub.id} is ${sub.status}; waiting for it to be active.`,
        until: later(ctx, provisioningRecheckMs),
      };
    }
    if (sub.quantity !== line.seats) {
      return {
        type: 'failed',
        code: 'SEAT_MISMATCH',
        message: `Subscription ${sub.id} has ${sub.quantity} seats, not the ${line.seats} of line ${line.lineNumber} (R-CHN-5).`,
      };
    }
    ctx.emit({
      type: 'LINE_ACTIVE',
      message: `Line ${line.lineNumber}: ${line.targetOfferName ?? line.targetOfferId} × ${line.seats} is active for ${line.companyName}; the customer continues without interruption (R-CHN-4).`,
      subscriptionId: sub.id,
    });
    await activity(ctx, {
      operation: 'subscription_verified_active',
      details: `Verified ${line.targetOfferName ?? line.targetOfferId} × ${line.seats} active for ${line.companyName} (line ${line.lineNumber}).`,
      subscriptionId: sub.id,
      what: 'active',
    });
    if (line.licenseReassignmentRequired) {
      // R-CHN-6: a different offer means updating the users' license assignments.
      const reminder = `Reminder: line ${line.lineNumber} moved from ${line.sourceOfferName ?? line.offerId} to the equivalent ${line.targetOfferName ?? line.targetOfferId}; reassign the ${line.seats} users' licenses to the new subscription before the original ends (R-CHN-6).`;
      ctx.emit({
        type: 'LICENSE_REASSIGNMENT_REQUIRED',
        message: reminder,
        subscriptionId: sub.id,
      });
      await activity(ctx, {
        operation: 'license_reassignment_reminder',
        details: reminder,
        subscriptionId: sub.id,
        what: 'reassign',
      });
    }
    return { type: 'done', state: 'DONE', data: { activeAt: ctx.now().toISOString() } };
  };

  return {
    kind: 'CHANNEL_MOVE',
    steps: {
      request,
      await_acceptance: awaitAcceptance,
      await_lines: awaitLines,
      await_cutover: awaitCutover,
      order,
      await_active: awaitActive,
    },
  };
}
