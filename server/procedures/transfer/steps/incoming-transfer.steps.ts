import { type BlockerCode } from '../../../shared/error-codes.js';
import { PartnerCenterError } from '../../../partner-center/errors.js';
import {
  createNceTransfer,
  getTransfer,
  listTransfers,
  OPEN_TRANSFER_STATUSES,
  type PcTransfer,
  transferStatus,
} from '../../../partner-center/nce-transfer.operations.js';
import { type StepContext, type StepHandler } from '../../../workflows/engine/step-context.js';
import {
  type RoleAssignmentRef,
  type TransferData,
  type TransferItemData,
} from '../transfer.model.js';
import { cleanupSteps } from './cleanup.steps.js';
import { isDenied, logActivity, step, toRef, type TransferStepDeps } from './common.js';

/** Progress of an incoming Azure plan transfer (we are the new partner; issue 15 item 3). */
interface IncomingItemData extends TransferItemData {
  transferId?: string;
  expiresAt?: string | null;
  /** The Azure plan's id at the old partner (the transfer's line item) and ours after it. */
  oldSubscriptionId?: string | null;
  /** The Azure subscriptions of the transferred plan, cleaned up one after the other (R-TRF-8). */
  azureQueue?: string[];
  azureDone?: string[];
}

const COMPLETION_RECHECK_MS = 30 * 60_000;

/**
 * Steps of the incoming path (planIncomingAzurePlanTransfer): we create the request as the target
 * (§11), the other partner (not served here) accepts it in its Partner Center, Microsoft completes
 * it, then R-TRF-8 with our access on each Azure subscription of the plan (cleanup.steps.ts).
 * Expiry, rejection/cancel and a refused create are blockers: nothing moved, nothing to undo.
 */
export function incomingTransferSteps(deps: TransferStepDeps): Record<string, StepHandler> {
  const { clients, arm } = deps;
  type Ctx = StepContext<TransferData, IncomingItemData>;
  const us = (ctx: Ctx) => clients.forTenant(ctx.workflowData.newPartner.tenantId);
  const customerOf = (ctx: Ctx) => ctx.workflowData.customer.tenantId;
  const theirs = (ctx: Ctx) => ctx.workflowData.currentPartner.name;
  const ours = (ctx: Ctx) =>
    ctx.workflowData.newPartner.name ?? ctx.workflowData.newPartner.tenantId;
  const fromThem = (ctx: Ctx, list: PcTransfer[]) =>
    list.find(
      (t) =>
        t.sourcePartnerTenantId?.toLowerCase() === ctx.workflowData.currentPartner.tenantId &&
        OPEN_TRANSFER_STATUSES.has(transferStatus(t)),
    );
  const blocked = (ctx: Ctx, code: BlockerCode, message: string) => {
    ctx.block({ code, message, subject: ctx.data.transferId ?? null });
    ctx.emit({ type: 'BLOCKER', message });
    return { type: 'blocked' as const, code, message, state: 'BLOCKED' };
  };
  const shared = cleanupSteps(deps).cleanup as unknown as StepHandler<
    TransferData,
    IncomingItemData
  >;

  const create = step<IncomingItemData>(async (ctx) => {
    const data = ctx.workflowData;
    // From the first write on, the transfer runs to its end (it expires if nobody accepts it).
    if (!(await ctx.markIrreversible())) {
      return { type: 'wait', reason: 'The workflow was canceled.' };
    }
    const target = us(ctx);
    const customerId = customerOf(ctx);
    const lookup = async () => {
      const t = fromThem(ctx, await listTransfers(target, customerId));
      return t ? { transferId: t.id, expiresAt: t.expirationTime ?? null } : undefined;
    };
    let created: { transferId: string; expiresAt: string | null };
    try {
      created = await ctx.journaled(
        'in-create',
        { customerId, source: data.currentPartner.tenantId },
        {
          // After a crash between the create and its journal entry: the open request is the effect.
          lookup,
          call: async (requestId) => {
            try {
              const t = await createNceTransfer(
                target,
                customerId,
                {
                  sourcePartnerTenantId: data.currentPartner.tenantId,
                  sourcePartnerName: data.currentPartner.name,
                  customerEmailId: `admin@${data.customer.domain}`,
                  customerName: data.customer.companyName,
                  targetProductTypes: ['AzureSubscription'],
                },
                requestId,
              );
              return { transferId: t.id, expiresAt: t.expirationTime ?? null };
            } catch (error) {
              // 409/900101: a request between the two partners is open already (ours, re-sent).
              if (error instanceof PartnerCenterError && error.code === '900101') {
                const found = await lookup();
                if (found) {
                  return found;
                }
              }
              throw error;
            }
          },
        },
      );
    } catch (error) {
      if (error instanceof PartnerCenterError && !error.retryable && error.status !== 0) {
        return blocked(
          ctx,
          error.code === '900131' ? 'LEGACY_AZURE_FIRST' : 'TRANSFER_REFUSED',
          `Partner Center refused ${ours(ctx)}'s transfer request for the Azure plan of ${data.customer.companyName} from ${theirs(ctx)}: ${error.status} ${error.code} ${error.description}`,
        );
      }
      throw error;
    }
    ctx.emit({
      type: 'TRANSFER_CREATED',
      message: `${ours(ctx)} requested the transfer of the Azure plan of ${data.customer.companyName} from ${theirs(ctx)} (transfer ${created.transferId}).`,
      partnerTenantId: data.newPartner.tenantId,
    });
    await logActivity(ctx, {
      operation: 'create_transfer',
      details: `Created transfer ${created.transferId} as ${ours(ctx)} for the Azure plan of ${data.customer.companyName} at ${theirs(ctx)}.`,
      what: 'in-create',
      tenantId: data.newPartner.tenantId,
    });
    return {
      type: 'next',
      step: 'in_await_accept',
      state: 'REQUESTED',
      data: { transferId: created.transferId, expiresAt: created.expiresAt },
    };
  });

  const awaitAccept = step<IncomingItemData>(async (ctx) => {
    const data = ctx.workflowData;
    const transferId = ctx.data.transferId as string;
    const t = await getTransfer(us(ctx), customerOf(ctx), transferId);
    const status = transferStatus(t);
    if (status === 'pending') {
      return {
        type: 'wait',
        reason: `Waiting for ${theirs(ctx)} to accept transfer ${transferId} of the Azure plan of ${data.customer.companyName} in its Partner Center${t.expirationTime ? ` (the request expires ${t.expirationTime})` : ''}.`,
        until: ctx.later(deps.recheckMs),
        state: 'AWAITING_ACCEPTANCE',
      };
    }
    if (status === 'expired') {
      return blocked(
        ctx,
        'INCOMING_TRANSFER_EXPIRED',
        `${theirs(ctx)} did not accept transfer ${transferId} of the Azure plan of ${data.customer.companyName} before it expired${t.expirationTime ? ` (${t.expirationTime})` : ''}; nothing moved. Ask ${theirs(ctx)} to accept, then plan again.`,
      );
    }
    if (['cancel', 'reject', 'rejected', 'declined', 'failed'].includes(status)) {
      return blocked(
        ctx,
        'TRANSFER_CANCELED',
        `Transfer ${transferId} of the Azure plan of ${data.customer.companyName} is ${t.status} (${status === 'cancel' ? 'canceled' : `not accepted by ${theirs(ctx)}`}); nothing moved.`,
      );
    }
    ctx.emit({
      type: 'TRANSFER_ACCEPTED',
      message: `${theirs(ctx)} accepted transfer ${transferId} of the Azure plan of ${data.customer.companyName} (${t.status}).`,
      partnerTenantId: data.currentPartner.tenantId,
    });
    return { type: 'next', step: 'in_await', state: 'ACCEPTED' };
  });

  const awaitCompletion = step<IncomingItemData>(async (ctx) => {
    const data = ctx.workflowData;
    const t = await getTransfer(us(ctx), customerOf(ctx), ctx.data.transferId as string);
    const status = transferStatus(t);
    if (status !== 'complete' && status !== 'failed') {
      return {
        type: 'wait',
        reason: `Microsoft is completing transfer ${t.id} (${t.status}).`,
        until: ctx.later(COMPLETION_RECHECK_MS),
      };
    }
    const line =
      t.lineItems?.find((l) => /azure/i.test(l.productType ?? 'azure')) ?? t.lineItems?.[0];
    if (status === 'failed' || (line?.status && !/^complete/i.test(line.status))) {
      return {
        type: 'failed',
        code: 'TRANSFER_FAILED',
        message: `Transfer ${t.id} of the Azure plan of ${data.customer.companyName} failed: ${line?.transferError?.description ?? t.status}.`,
      };
    }
    const client = us(ctx);
    const moved = (await client.listSubscriptions(customerOf(ctx))).find(
      (s) => (s as { transferId?: string | null }).transferId?.toLowerCase() === t.id.toLowerCase(),
    );
    if (!moved) {
      return {
        type: 'wait',
        reason: `Transfer ${t.id} is complete; waiting for the Azure plan to appear under ${ours(ctx)}.`,
        until: ctx.later(COMPLETION_RECHECK_MS),
      };
    }
    const azureQueue = (await client.listAzureEntitlements(customerOf(ctx), moved.id))
      .filter((e) => e.status.toLowerCase() === 'active')
      .map((e) => e.id);
    const oldId = line?.subscriptionId ?? null;
    ctx.emit({
      type: 'TRANSFERRED',
      message: `The Azure plan of ${data.customer.companyName} now bills through ${ours(ctx)}: ${oldId ?? '?'} at ${theirs(ctx)} → ${moved.id} (transfer ${t.id}, ${azureQueue.length} Azure subscription(s)); ${theirs(ctx)}'s access is removed next (R-TRF-8).`,
      partnerTenantId: data.newPartner.tenantId,
    });
    await logActivity(ctx, {
      operation: 'subscription_transferred',
      details: `Azure plan ${oldId ?? '?'} of ${data.customer.companyName} moved from ${theirs(ctx)} to ${ours(ctx)} by transfer ${t.id} (now ${moved.id}).`,
      what: 'in-transferred',
      tenantId: data.newPartner.tenantId,
      subscriptionId: moved.id,
    });
    return {
      type: 'next',
      step: 'in_cleanup',
      state: 'TRANSFERRED',
      data: {
        transferredAt: t.completedTime ?? ctx.now().toISOString(),
        oldSubscriptionId: oldId,
        newSubscriptionId: moved.id,
        azureQueue,
        azureDone: [],
        removedRoleAssignments: [],
        notRemovedRoleAssignments: [],
      },
    };
  });

  // R-TRF-8 per Azure subscription, with our access (ARM lets the billing partner in): what the
  // old partner holds is read first, then the shared `cleanup` step adds our Admin Agents as Owner
  // and removes the old partner's foreign groups; what cannot be removed stays a blocker.
  const cleanup = step<IncomingItemData>(async (ctx) => {
    const d = ctx.data;
    const done = new Set(d.azureDone ?? []);
    const azureId = (d.azureQueue ?? []).find((id) => !done.has(id));
    if (!azureId) {
      return { type: 'done', state: 'DONE' };
    }
    let assignmentsBefore: RoleAssignmentRef[];
    try {
      assignmentsBefore = (
        await arm.forTenant(ctx.workflowData.newPartner.tenantId).listRoleAssignments(azureId)
      ).map(toRef);
    } catch (error) {
      if (!isDenied(error)) {
        throw error;
      }
      assignmentsBefore = [];
    }
    const outcome = await shared({
      ...ctx,
      data: {
        ...d,
        azureSubscriptionId: azureId,
        journalScope: azureId,
        assignmentsBefore,
        removedRoleAssignments: [],
      } as IncomingItemData,
    });
    if (outcome.type !== 'done') {
      return outcome;
    }
    const result = (outcome.data ?? {}) as TransferItemData;
    return {
      type: 'next',
      step: 'in_cleanup',
      state: 'CLEANUP',
      data: {
        azureDone: [...done, azureId],
        removedRoleAssignments: [
          ...(d.removedRoleAssignments ?? []),
          ...(result.removedRoleAssignments ?? []),
        ],
        notRemovedRoleAssignments: [
          ...(d.notRemovedRoleAssignments ?? []),
          ...(result.notRemovedRoleAssignments ?? []),
        ],
      },
    };
  });

  return {
    in_create: create,
    in_await_accept: awaitAccept,
    in_await: awaitCompletion,
    in_cleanup: cleanup,
  };
}
