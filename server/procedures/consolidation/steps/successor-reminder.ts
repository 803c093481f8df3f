import { type StepContext } from '../../../workflows/engine/step-context.js';
import { type ConsolidationData, type SubscriptionItemData } from '../consolidation.model.js';
import { logActivity } from './common.js';

/**
 * R-CHN-6: an item moved to its catalog successor leaves the users without licenses until they are
 * reassigned to the new subscription; said once the replacement is active and the source
 * suspended, as an event and an activity entry (the channel move's reminder, for the consolidation).
 */
export async function reassignmentReminder(
  ctx: StepContext<ConsolidationData, SubscriptionItemData>,
): Promise<void> {
  const sub = ctx.data;
  if (!sub.proposedOfferId) {
    return;
  }
  const message = `Reminder: ${sub.companyName}'s ${sub.offerName ?? sub.offerId} (${sub.sourceSubscriptionId}) moved to its successor ${sub.proposedOfferName ?? sub.proposedOfferId} (${sub.targetSubscriptionId ?? '?'}) under ${ctx.workflowData.target.name}; reassign the ${sub.seats} users' licenses to the new subscription (R-CHN-6).`;
  ctx.emit({
    type: 'LICENSE_REASSIGNMENT_REQUIRED',
    message,
    ...(sub.targetSubscriptionId ? { subscriptionId: sub.targetSubscriptionId } : {}),
  });
  await logActivity(ctx, {
    operation: 'license_reassignment_reminder',
    details: message,
    subscriptionId: sub.targetSubscriptionId ?? null,
    externalId: `${ctx.item.id}:reassign`,
    tenantId: ctx.workflowData.target.tenantId,
  });
}
