import { type WorkflowItemRow } from '../../../workflows/engine/engine.types.js';
import { type StepHandler } from '../../../workflows/engine/step-context.js';
import {
  AZURE_PLAN_UPGRADE,
  type AzurePlanUpgradeData,
  type SubscriptionTransferData,
  TRANSFER_REQUEST,
  type TransferRequestData,
} from '../consolidation-paths.model.js';
import { type ConsolidationStepDeps, logActivity, step } from './common.js';

const parse = <T>(row: WorkflowItemRow) => JSON.parse(row.dataJson) as T;
const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : null);

/**
 * SUBSCRIPTION_TRANSFER (issue 15): waits for its customer's TRANSFER_REQUEST, then verifies the
 * move in Partner Center: same offer, seats, term end date and billing cycle at the target, the
 * source's copy no longer active. Old id → new id is kept; overlap is 0 days by construction (the
 * source ends when the target's copy starts, in one Microsoft operation).
 */
export function subscriptionTransferSteps(
  deps: ConsolidationStepDeps,
): Record<string, StepHandler> {
  const awaitTransfer = step<SubscriptionTransferData>(async (ctx) => {
    const parentId = ctx.item.parentItemId as string;
    const siblings = await ctx.children(parentId);
    const request = siblings.find(
      (i) =>
        i.kind === TRANSFER_REQUEST &&
        parse<TransferRequestData>(i).subscriptionItemIds.includes(ctx.item.id),
    );
    if (!request) {
      return {
        type: 'failed',
        code: 'NO_TRANSFER_REQUEST',
        message: `No transfer request carries ${ctx.data.sourceSubscriptionId} of ${ctx.data.companyName}.`,
      };
    }
    const r = parse<TransferRequestData>(request);
    if (['BLOCKED', 'FAILED', 'CANCELED', 'SKIPPED'].includes(request.status)) {
      return {
        type: 'blocked',
        code: 'TRANSFER_NOT_DONE',
        message: `The transfer of ${ctx.data.companyName} did not happen: ${request.lastError ?? request.status}. Nothing moved; the source subscription stays as it was.`,
        state: 'BLOCKED',
      };
    }
    if (request.status !== 'DONE') {
      return {
        type: 'wait',
        // The request's own reason (e.g. Partner Center refused the acceptance) shows here.
        reason:
          request.waitingReason ??
          `Waiting for transfer ${r.transferId ?? '(not created yet)'} of ${ctx.data.companyName} (${request.state.toLowerCase()}).`,
        until: ctx.later(deps.wakeFallbackMs),
        state: request.state === 'PLANNED' ? 'PLANNED' : 'IN_TRANSFER',
        quiet: true,
      };
    }
    const upgrade = siblings.find((i) => i.kind === AZURE_PLAN_UPGRADE);
    const lineId = (
      (upgrade ? parse<AzurePlanUpgradeData>(upgrade).upgraded : undefined)?.[
        ctx.data.sourceSubscriptionId
      ] ?? ctx.data.sourceSubscriptionId
    ).toLowerCase();
    const failed = Object.entries(r.failedLines ?? {}).find(([id]) => id.toLowerCase() === lineId);
    const newId = r.moved?.[lineId];
    if (failed || !newId) {
      return {
        type: 'failed',
        code: 'TRANSFER_LINE_FAILED',
        message: `Transfer ${r.transferId ?? '?'} did not move ${ctx.data.offerName ?? ctx.data.offerId} (${ctx.data.sourceSubscriptionId}) of ${ctx.data.companyName}: ${failed?.[1] ?? 'not among the completed line items'}.`,
      };
    }
    return {
      type: 'next',
      step: 'verify_transfer',
      state: 'TRANSFERRED',
      data: {
        transferId: r.transferId,
        targetSubscriptionId: newId,
        transferCompletedAt: r.completedAt,
      },
      quiet: true,
    };
  });

  const verifyTransfer = step<SubscriptionTransferData>(async (ctx) => {
    const wf = ctx.workflowData;
    const d = ctx.data;
    // The request verified every line with one read per side (transfer-completion.step.ts).
    const request = (await ctx.children(ctx.item.parentItemId as string)).find(
      (i) =>
        i.kind === TRANSFER_REQUEST &&
        parse<TransferRequestData>(i).subscriptionItemIds.includes(ctx.item.id),
    );
    const problems = request
      ? parse<TransferRequestData>(request).problems?.[ctx.item.id]
      : undefined;
    if (!problems || problems.length > 0) {
      return {
        type: 'failed',
        code: 'TRANSFER_VERIFICATION_FAILED',
        message: `Transfer ${d.transferId ?? '?'} of ${d.offerName ?? d.offerId} (${d.sourceSubscriptionId} → ${d.targetSubscriptionId ?? '?'}) of ${d.companyName} does not match the inventory: ${problems?.join('; ') ?? 'not verified'}.`,
      };
    }
    const moved = { id: d.targetSubscriptionId as string };
    const at = d.transferCompletedAt ?? ctx.now().toISOString();
    ctx.emit({
      type: 'SUBSCRIPTION_TRANSFERRED',
      message: `${d.offerName ?? d.offerId} × ${d.seats} of ${d.companyName} moved by transfer ${d.transferId ?? '?'}: ${d.sourceSubscriptionId} → ${moved.id} under ${wf.target.name} (term end ${day(d.commitmentEndDate) ?? 'none'}, no overlap).`,
      subscriptionId: moved.id,
      partnerTenantId: wf.target.tenantId,
    });
    await logActivity(ctx, {
      operation: 'subscription_transferred',
      details: `${d.offerName ?? d.offerId} × ${d.seats} of ${d.companyName} moved from ${d.sourceSubscriptionId} (source) to ${moved.id} under ${wf.target.name} by transfer ${d.transferId ?? '?'}.`,
      subscriptionId: moved.id,
      externalId: `${ctx.item.id}:transferred`,
      tenantId: wf.target.tenantId,
    });
    return {
      type: 'done',
      state: 'DONE',
      data: {
        targetActiveAt: at,
        sourceSuspendedAt: at,
        // The source ends as the target's copy starts, in one Microsoft operation (§11).
        overlapDays: 0,
        verifiedAt: ctx.now().toISOString(),
      },
    };
  });

  return { await_transfer: awaitTransfer, verify_transfer: verifyTransfer };
}
