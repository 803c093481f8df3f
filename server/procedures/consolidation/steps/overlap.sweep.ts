import { type SweepContext } from '../../../workflows/engine/step-context.js';
import { LICENSE_REPROVISION, type SubscriptionItemData } from '../consolidation.model.js';
import { utcDay } from './common.js';

/**
 * R-CON-4: a source subscription must never stay active past the end of the UTC day on which its
 * replacement became active. A license item whose replacement is active but whose source is not
 * suspended by then is flagged as a blocker at once (once per item).
 */
export async function overlapSweep(ctx: SweepContext): Promise<string[]> {
  const { now } = ctx;
  const today = now.toISOString().slice(0, 10);
  const pending = await ctx.itemsInState(LICENSE_REPROVISION, 'TARGET_ACTIVE');
  const changed: string[] = [];
  for (const item of pending) {
    const d = JSON.parse(item.dataJson) as SubscriptionItemData & { overlapFlagged?: boolean };
    if (!d.targetActiveAt || d.overlapFlagged || utcDay(d.targetActiveAt) >= today) {
      continue;
    }
    const flagged = await ctx.flagItemOnce(item, {
      code: 'OVERLAP_EXCEEDS_SAME_DAY',
      message: `Source subscription ${d.sourceSubscriptionId} of ${d.companyName} is still active on ${today}, after its replacement became active on ${utcDay(d.targetActiveAt)}: double billing Microsoft will not credit (R-CON-4).`,
      subject: d.sourceSubscriptionId,
      customerTenantId: item.customerTenantId,
      itemId: item.id,
    });
    if (flagged) {
      changed.push(item.workflowId);
    }
  }
  return changed;
}
