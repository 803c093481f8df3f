import { type StepHandler } from '../../../workflows/engine/step-context.js';
import { consolidatedSourceBlock } from '../../shared/consolidated-source.step.js';
import { orderOnce, subscriptionIds } from '../../shared/order-once.js';
import { orderTag, type LineItemData } from '../channel-move.model.js';
import { type ChannelMoveStepDeps, day, logActivity, step } from './common.js';

/** LINE: one license, ordered from CSP on its cut-over date (R-CHN-2..6). */
export function lineSteps(deps: ChannelMoveStepDeps): Record<string, StepHandler> {
  const { db, clients } = deps;
  const awaitCutover = step<LineItemData>(async (ctx) => {
    const line = ctx.data;
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
    await logActivity(ctx, {
      operation: 'channel_move_cutover',
      details: message,
      what: 'cutover',
    });
    return { type: 'next', step: 'order', state: 'SCHEDULED' };
  });

  const order = step<LineItemData>(async (ctx) => {
    const wf = ctx.workflowData;
    const line = ctx.data;
    const customerId = wf.customerTenantId;
    const offerId = line.targetOfferId as string;
    // R-CON-7: never add subscriptions from a tenant the customer is consolidated away from.
    const refused = await consolidatedSourceBlock(ctx, db, {
      partner: wf.partner,
      customerTenantId: customerId,
      action: `order ${line.targetOfferName ?? offerId}`,
      write: 'order',
    });
    if (refused) {
      return refused;
    }
    // An order creates a billed subscription: from the first one on, the move cannot be canceled.
    if (!(await ctx.markIrreversible())) {
      return { type: 'wait', reason: 'The workflow was canceled.' };
    }
    const client = clients.forTenant(wf.partner.tenantId);
    const tag = orderTag(ctx.workflow.id, line.lineNumber);
    const friendlyName = `${(line.targetOfferName ?? offerId).slice(0, 60)} (${tag})`;
    const preexisting = await subscriptionIds(client, customerId, offerId);
    // R-CHN-2 / R-CHN-5: the target offer with the same seats as the existing license. Look before
    // create: after a crash the order may exist; its friendly name carries our tag.
    const result = await orderOnce(ctx, {
      client,
      customerId,
      offerId,
      quantity: line.seats,
      friendlyName,
      intent: { friendlyName },
      preexisting,
      matches: (s) => (s.friendlyName ?? '').includes(tag),
    });
    ctx.emit({
      type: 'ORDERED',
      message: `Line ${line.lineNumber}: ordered ${line.seats} × ${line.targetOfferName ?? offerId} for ${line.companyName} from ${wf.partner.name} (subscription ${result.subscriptionId}).`,
      subscriptionId: result.subscriptionId,
      partnerTenantId: wf.partner.tenantId,
    });
    await logActivity(ctx, {
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
  });

  const awaitActive = step<LineItemData>(async (ctx) => {
    const wf = ctx.workflowData;
    const line = ctx.data;
    const sub = await clients
      .forTenant(wf.partner.tenantId)
      .getSubscription(wf.customerTenantId, line.targetSubscriptionId as string);
    if (sub.status !== 'active') {
      return {
        type: 'wait',
        reason: `Subscription ${sub.id} is ${sub.status}; waiting for it to be active.`,
        until: ctx.later(deps.provisioningRecheckMs),
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
    await logActivity(ctx, {
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
      await logActivity(ctx, {
        operation: 'license_reassignment_reminder',
        details: reminder,
        subscriptionId: sub.id,
        what: 'reassign',
      });
    }
    return { type: 'done', state: 'DONE', data: { activeAt: ctx.now().toISOString() } };
  });

  return { await_cutover: awaitCutover, order, await_active: awaitActive };
}
