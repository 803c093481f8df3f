import { setSubscriptionStatus } from '../../../partner-center/operations.js';
import { type StepHandler } from '../../../workflows/engine/step-context.js';
import { consolidatedSourceBlock } from '../../shared/consolidated-source.step.js';
import { orderOnce, subscriptionIds } from '../../shared/order-once.js';
import {
  type CustomerItemData,
  LICENSE_REPROVISION,
  type SubscriptionItemData,
} from '../consolidation.model.js';
import { type SuspendOutcome, suspensionOf, targetBillingStart } from './billing-dates.js';
import { reassignmentReminder } from './successor-reminder.js';
import { sourceGdapBlock } from './source-gdap.step.js';
import { type ConsolidationStepDeps, logActivity, overlapDays, step, utcDay } from './common.js';

/** LICENSE_REPROVISION: order in the target (R-CON-3/7), wait until active, suspend the source (R-CON-4). */
export function licenseReprovisionSteps(deps: ConsolidationStepDeps): Record<string, StepHandler> {
  const { clients, reads } = deps;

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
    // R-CON-4 with GDAP required: the source must still be able to suspend once this is ordered.
    const noSourceGdap = await sourceGdapBlock(ctx, deps, {
      sourceTenantId: sub.sourceTenantId,
      customerTenantId: customerId,
      companyName: sub.companyName,
      writes: `suspend ${sub.offerName ?? sub.offerId} (${sub.sourceSubscriptionId}) once it is re-provisioned`,
      write: 'order',
    });
    if (noSourceGdap) {
      return noSourceGdap;
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
    // The next read of this customer's target subscriptions must be newer than this order.
    reads.wrote(ctx.item.id);
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
    const customerId = ctx.item.customerTenantId as string;
    const targetId = sub.targetSubscriptionId as string;
    // Issue 20: while a sibling still orders, wait without a call; the last one to order wakes
    // the others after its read, which they reuse (it started after their orders finished). The
    // limiter spaces one customer's orders seconds apart, beyond the read-sharing window.
    const siblings = ctx.item.parentItemId ? await ctx.children(ctx.item.parentItemId) : [];
    const others = siblings.filter((s) => s.id !== ctx.item.id && s.kind === LICENSE_REPROVISION);
    const ordering = (s: (typeof others)[number]) =>
      // A held item (PENDING without a run time) is not on its way: never wait for one.
      s.step === 'order' &&
      (s.status === 'RUNNING' || (s.status === 'PENDING' && s.nextRunAt !== null));
    if (others.some(ordering)) {
      return {
        type: 'wait',
        reason: `Waiting for the other subscriptions of ${sub.companyName} to be ordered.`,
        // Woken by the last sibling to order; the fallback covers one that fails instead.
        until: ctx.later(deps.provisioningRecheckMs),
        quiet: true,
      };
    }
    // One list of the customer's target subscriptions, read after this item's order, serves all
    // of its items (issue 20); one GET when the list does not show it (yet).
    const listed = await reads.subscriptions(
      ctx.workflow.id,
      wf.target.tenantId,
      customerId,
      reads.freshSince(ctx.item.id),
    );
    const waiting = others.filter((s) => s.step === 'await_active' && s.status === 'WAITING');
    if (waiting.length > 0) {
      await ctx.wake(waiting.map((s) => s.id));
    }
    const target =
      listed.find((s) => s.id.toLowerCase() === targetId.toLowerCase()) ??
      (await clients.forTenant(wf.target.tenantId).getSubscription(customerId, targetId));
    if (target.status !== 'active') {
      reads.decided(ctx.item.id);
      return {
        type: 'wait',
        reason: `Target subscription ${target.id} is ${target.status}; waiting for it to be active.`,
        until: ctx.later(deps.provisioningRecheckMs),
        quiet: true,
      };
    }
    reads.forget(ctx.item.id);
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
    const result = await ctx.journaled<SuspendOutcome>(
      'suspend',
      { sourceSubscriptionId: sub.sourceSubscriptionId },
      {
        lookup: async () => {
          const current = await source.getSubscription(customerId, sub.sourceSubscriptionId);
          return current.status === 'suspended' ? { suspendedAt: now } : undefined;
        },
        call: async (requestId) => {
          // The body and etag of the PATCH come from one list of the customer's source
          // subscriptions shared by its items (issue 20). The PATCH carries If-Match, so a list
          // read before this step is safe to write from: a changed subscription answers 412 and
          // is re-read alone. Only an `active` entry is used (one that already shows `suspended`
          // is re-read, not trusted).
          const listed = await reads.subscriptions(
            ctx.workflow.id,
            sub.sourceTenantId,
            customerId,
            Number.NEGATIVE_INFINITY,
          );
          const known = listed.find(
            (s) => s.id.toLowerCase() === sub.sourceSubscriptionId.toLowerCase(),
          );
          const requestedAt = ctx.now().toISOString();
          const outcome = { changed: false };
          await setSubscriptionStatus(
            source,
            customerId,
            sub.sourceSubscriptionId,
            'suspended',
            requestId,
            known?.status === 'active' && known.attributes?.etag ? known : undefined,
            outcome,
          );
          const suspendedAt = ctx.now().toISOString();
          // Our PATCH suspended it: Partner Center's time lies in this request (billing-dates.ts).
          // Already suspended (by hand, a concurrent change after a 412): when is unknown.
          return outcome.changed ? { suspendedAt, requestedAt } : { suspendedAt };
        },
      },
    );
    // R-CON-5: billing of the source ends when Partner Center suspended it (its audit record),
    // which after a crash or a suspension by hand is earlier than when we saw it. The audit read
    // is shared by the customer's items of this source tenant (issue 20), and only one that
    // started after this item's suspension was journalled serves it (its record is in it).
    reads.wrote(ctx.item.id);
    const suspended = await suspensionOf(ctx, result, (startDate) =>
      reads.auditRecords(
        ctx.workflow.id,
        sub.sourceTenantId,
        customerId,
        startDate,
        reads.freshSince(ctx.item.id),
      ),
    );
    reads.forget(ctx.item.id);
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
