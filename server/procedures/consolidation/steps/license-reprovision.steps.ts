import { setSubscriptionStatus } from '../../../partner-center/operations.js';
import { type StepHandler } from '../../../workflows/engine/step-context.js';
import { consolidatedSourceBlock } from '../../shared/consolidated-source.step.js';
import { orderOnce, subscriptionIds } from '../../shared/order-once.js';
import { type CustomerItemData, type SubscriptionItemData } from '../consolidation.model.js';
import { suspensionOf, targetBillingStart } from './billing-dates.js';
import { reassignmentReminder } from './successor-reminder.js';
import { type ConsolidationStepDeps, logActivity, overlapDays, step, utcDay } from './common.js';

/** LICENSE_REPROVISION: order in the target (R-CON-3/7), wait until active, suspend the source (R-CON-4). */
export function licenseReprovisionSteps(deps: ConsolidationStepDeps): Record<string, StepHandler> {
  const { clients } = deps;

  const order = step<SubscriptionItemData>(async (ctx) => {
    const wf = ctx.workflowData;
    const sub = ctx.data;
    const customerId = ctx.item.customerTenantId as string;
    const target = clients.forTenant(wf.target.tenantId);
    // R-CON-7/8 at run time: the target may have become the source of another consolidation of
    // this customer since planning (the customer took hours or days to accept).
    const refused = await consolidatedSourceBlock(ctx, deps.db, {
      partner: wf.target,
      customerTenantId: customerId,
      customerName: sub.companyName,
      action: `re-provision ${sub.offerName ?? sub.offerId} for ${sub.companyName} under ${wf.target.name}`,
      write: 'order',
    });
    if (refused) {
      return refused;
    }
    // R-CON-8: from the first re-provisioning on, the consolidation cannot be canceled.
    if (!(await ctx.markIrreversible())) {
      return { type: 'wait', reason: 'The workflow was canceled.' };
    }
    const parent = await ctx.parent();
    const preexisting =
      (JSON.parse(parent?.dataJson ?? '{}') as Partial<CustomerItemData>)
        .targetSubscriptionsAtAcceptance ?? (await subscriptionIds(target, customerId));
    // R-CON-3 / R-CON-7: same offer and seats, ordered from the TARGET tenant only. After a crash
    // between the order and its journal entry: a target subscription of this offer and seats that
    // existed neither at acceptance nor as another item's journalled order.
    // R-CHN-6 per item: the catalog successor when the target no longer sells the offer.
    const offerId = sub.proposedOfferId ?? sub.offerId;
    const offerName = sub.proposedOfferId
      ? (sub.proposedOfferName ?? offerId)
      : (sub.offerName ?? sub.offerId);
    const result = await orderOnce(ctx, {
      client: target,
      customerId,
      offerId,
      quantity: sub.seats,
      billingCycle: sub.billingCycle,
      friendlyName: sub.friendlyName,
      partnerIdOnRecord: sub.partnerIdOnRecord,
      preexisting,
      matches: (s) => s.quantity === sub.seats,
      notOurs: () => ctx.journal.resultIdsOfOthers('order'),
    });
    ctx.emit({
      type: 'TARGET_ORDERED',
      message: `Ordered ${sub.seats} × ${offerName} for ${sub.companyName} under ${wf.target.name} (subscription ${result.subscriptionId}).${sub.successorReason ? ` ${sub.successorReason}` : ''}`,
      subscriptionId: result.subscriptionId,
      partnerTenantId: wf.target.tenantId,
    });
    await logActivity(ctx, {
      operation: 'create_order',
      details: `Re-provisioned ${offerName} × ${sub.seats} for ${sub.companyName} in ${wf.target.name} (replaces ${sub.sourceSubscriptionId}${sub.proposedOfferId ? `, ${sub.offerName ?? sub.offerId}, no longer available: its catalog successor, R-CHN-6` : ''}).`,
      subscriptionId: result.subscriptionId,
      externalId: `${ctx.item.id}:order`,
      tenantId: wf.target.tenantId,
    });
    // The customer item only looks at finished subscriptions (and Azure requests): not woken for
    // intermediate license progress.
    return {
      type: 'next',
      step: 'await_active',
      state: 'ORDERED',
      data: { orderId: result.orderId ?? undefined, targetSubscriptionId: result.subscriptionId },
      quiet: true,
    };
  });

  const awaitActive = step<SubscriptionItemData>(async (ctx) => {
    const wf = ctx.workflowData;
    const sub = ctx.data;
    const target = await clients
      .forTenant(wf.target.tenantId)
      .getSubscription(ctx.item.customerTenantId as string, sub.targetSubscriptionId as string);
    if (target.status !== 'active') {
      return {
        type: 'wait',
        reason: `Target subscription ${target.id} is ${target.status}; waiting for it to be active.`,
        until: ctx.later(deps.provisioningRecheckMs),
        quiet: true,
      };
    }
    // R-CON-4/5: the overlap runs from when Partner Center started billing the target, not from
    // when we happened to see it active (hours later with slow provisioning and a coarse clock).
    const observedAt = ctx.now();
    const start = targetBillingStart(target, observedAt);
    const targetActiveAt = start.at;
    ctx.emit({
      type: 'TARGET_ACTIVE',
      message: `${sub.offerName ?? sub.offerId} for ${sub.companyName} is active under ${wf.target.name}.`,
      subscriptionId: target.id,
    });
    return {
      type: 'next',
      step: 'suspend_source',
      state: 'TARGET_ACTIVE',
      data: {
        targetActiveAt,
        targetActiveAtSource: start.source,
        targetActiveObservedAt: observedAt.toISOString(),
      },
      quiet: true,
    };
  });

  const suspendSource = step<SubscriptionItemData>(async (ctx) => {
    const sub = ctx.data;
    if (!sub.targetActiveAt) {
      // R-CON-4: never suspend before the replacement is active.
      return { type: 'next', step: 'await_active' };
    }
    const now = ctx.now().toISOString();
    if (
      utcDay(now) !== utcDay(sub.targetActiveAt) &&
      !(ctx.data as { overlapFlagged?: boolean }).overlapFlagged
    ) {
      // R-CON-4: flagged at once, not discovered later; the suspension still happens now.
      ctx.block({
        code: 'OVERLAP_EXCEEDS_SAME_DAY',
        message: `Source subscription ${sub.sourceSubscriptionId} of ${sub.companyName} is still active on ${utcDay(now)}, after its replacement became active on ${utcDay(sub.targetActiveAt)}: double billing Microsoft will not credit.`,
        subject: sub.sourceSubscriptionId,
      });
      ctx.emit({
        type: 'BLOCKER',
        message: `Billing overlap beyond the same day for ${sub.companyName} (${sub.sourceSubscriptionId}).`,
        subscriptionId: sub.sourceSubscriptionId,
      });
    }
    const source = clients.forTenant(sub.sourceTenantId);
    const customerId = ctx.item.customerTenantId as string;
    const result = await ctx.journaled<{ suspendedAt: string }>(
      'suspend',
      { sourceSubscriptionId: sub.sourceSubscriptionId },
      {
        lookup: async () => {
          const current = await source.getSubscription(customerId, sub.sourceSubscriptionId);
          return current.status === 'suspended' ? { suspendedAt: now } : undefined;
        },
        call: async (requestId) => {
          await setSubscriptionStatus(
            source,
            customerId,
            sub.sourceSubscriptionId,
            'suspended',
            requestId,
          );
          return { suspendedAt: ctx.now().toISOString() };
        },
      },
    );
    // R-CON-5: billing of the source ends when Partner Center suspended it (its audit record),
    // which after a crash or a suspension by hand is earlier than when we saw it.
    const suspended = await suspensionOf(ctx, source, customerId, result.suspendedAt);
    const days = overlapDays(sub.targetActiveAt, suspended.at);
    ctx.emit({
      type: 'SOURCE_SUSPENDED',
      message: `Suspended source subscription ${sub.sourceSubscriptionId} of ${sub.companyName} (overlap ${days} day(s)).`,
      subscriptionId: sub.sourceSubscriptionId,
      partnerTenantId: sub.sourceTenantId,
    });
    await logActivity(ctx, {
      operation: 'suspend_subscription',
      details: `Suspended ${sub.offerName ?? sub.offerId} (${sub.sourceSubscriptionId}) of ${sub.companyName} in the source tenant the day its replacement became active.`,
      subscriptionId: sub.sourceSubscriptionId,
      externalId: `${ctx.item.id}:suspend`,
      tenantId: sub.sourceTenantId,
    });
    await reassignmentReminder(ctx);
    return {
      type: 'done',
      state: 'DONE',
      data: {
        sourceSuspendedAt: suspended.at,
        sourceSuspendedAtSource: suspended.source,
        overlapDays: days,
      },
    };
  });

  return { order, await_active: awaitActive, suspend_source: suspendSource };
}
