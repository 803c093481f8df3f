import { getTransfer, transferStatus } from '../../../partner-center/nce-transfer.operations.js';
import { type PcSubscription } from '../../../partner-center/contracts/subscriptions.js';
import { type StepHandler } from '../../../workflows/engine/step-context.js';
import {
  type AzurePlanUpgradeData,
  type SubscriptionTransferData,
  type TransferRequestData,
} from '../consolidation-paths.model.js';
import { type ConsolidationStepDeps, step } from './common.js';
import {
  assignTransferCopies,
  type CopyWanted,
  lineSubscriptionId,
  matchTransferCopies,
  parseItem,
  type TransferCopy,
  transferLines,
  transferSiblings,
  verifyCopy,
} from './transfer-lines.js';

/** Recheck of a transfer Microsoft is still completing after the first check (business time). */
const COMPLETION_RECHECK_MS = 30 * 60_000;

const copiesOf = (list: PcSubscription[], transferId: string) =>
  (list as TransferCopy[]).filter((s) => s.transferId?.toLowerCase() === transferId.toLowerCase());

/**
 * transfer_await (issue 15, §11; issue 20 for the calls): the target's subscription list is read
 * first. When a copy of every line is there with the transfer id, the transfer is complete for
 * this request and is not read at all (the list is needed anyway to verify the copies); only an
 * incomplete list reads the transfer, for its status and its failed line items. Later checks of
 * a transfer still in progress read the transfer alone until it completes.
 */
export function transferCompletionStep(deps: ConsolidationStepDeps): StepHandler {
  const { clients, reads } = deps;
  return step<TransferRequestData>(async (ctx) => {
    const wf = ctx.workflowData;
    const d = ctx.data;
    const customerId = ctx.item.customerTenantId as string;
    const transferId = d.transferId as string;
    const { subs, upgrade } = await transferSiblings(ctx);
    const lines = [...transferLines(subs, upgrade).values()];
    const listFor = (tenantId: string, notBefore: number) =>
      reads.subscriptions(ctx.workflow.id, tenantId, customerId, notBefore);

    let targetList: PcSubscription[] = [];
    let moved: Record<string, string> | undefined;
    let completedAt: string | undefined;
    if (!d.completionListRead) {
      targetList = await listFor(wf.target.tenantId, reads.freshSince(ctx.item.id));
      const copies = copiesOf(targetList, transferId);
      moved = matchTransferCopies(lines, copies);
      if (moved) {
        // The copies are created at completion: the latest one is when Microsoft completed it.
        completedAt = copies
          .map((c) => c.creationDate)
          .filter((x): x is string => !!x)
          .sort()
          .at(-1);
      }
    }
    const failedLines: Record<string, string> = {};
    let status = 'complete';
    let shown = 'Complete';
    if (!moved) {
      // Decided on that list: what is read after the transfer must not be served from it.
      reads.decided(ctx.item.id);
      const t = await getTransfer(clients.forTenant(wf.target.tenantId), customerId, transferId);
      status = transferStatus(t);
      shown = t.status;
      if (status !== 'complete' && status !== 'failed') {
        return {
          type: 'wait',
          reason: `Microsoft is completing transfer ${t.id} of ${d.companyName} (${t.status}).`,
          until: ctx.later(COMPLETION_RECHECK_MS),
          state: 'ACCEPTED',
          data: { completionListRead: true },
          quiet: true,
        };
      }
      completedAt = t.completedTime ?? undefined;
      // Read after the completion was seen (a list read before it may predate the copies).
      targetList = await listFor(wf.target.tenantId, reads.freshSince(ctx.item.id));
      const completed: CopyWanted[] = [];
      for (const li of t.lineItems ?? []) {
        const liStatus = (li.status ?? '').toLowerCase();
        if (liStatus && liStatus !== 'complete' && liStatus !== 'completed') {
          failedLines[li.subscriptionId] =
            `${li.status}: ${li.transferError?.description ?? 'no reason given'}`;
        } else {
          completed.push(li);
        }
      }
      const assigned = assignTransferCopies(completed, copiesOf(targetList, transferId));
      moved = assigned.moved;
      for (const id of assigned.missing) {
        failedLines[id] = 'no subscription of this transfer at the target';
      }
    }
    // R-CON-4: the source's copies are gone. One list per side for every line at once (instead
    // of two reads per subscription), shared with the customer's other items at that moment.
    const sourceList = await listFor(d.sourceTenantId, reads.freshSince(ctx.item.id));
    const upgraded = upgrade ? parseItem<AzurePlanUpgradeData>(upgrade) : undefined;
    const problems: Record<string, string[]> = {};
    for (const row of subs) {
      const sd = parseItem<SubscriptionTransferData>(row);
      const lineId = lineSubscriptionId(sd, upgraded).toLowerCase();
      const copy = targetList.find((c) => c.id === moved[lineId]);
      if (!copy) {
        continue;
      }
      const src = sourceList.find((x) => x.id.toLowerCase() === lineId);
      problems[row.id] = verifyCopy(sd, copy, src);
    }
    reads.forget(ctx.item.id);
    await ctx.wake(d.subscriptionItemIds);
    ctx.emit({
      type: 'TRANSFER_COMPLETED',
      message: `Transfer ${transferId} of ${d.companyName} is ${shown}: ${Object.keys(moved).length} subscription(s) now under ${wf.target.name}${Object.keys(failedLines).length ? `, ${Object.keys(failedLines).length} failed` : ''}.`,
      partnerTenantId: wf.target.tenantId,
    });
    return {
      type: 'done',
      state: status === 'complete' ? 'COMPLETED' : 'FAILED_LINES',
      data: {
        completedAt: completedAt ?? ctx.now().toISOString(),
        moved,
        failedLines,
        problems,
      },
    };
  });
}
