import { type BlockerCode } from '../../../shared/error-codes.js';
import { PartnerCenterError } from '../../../partner-center/errors.js';
import {
  acceptNceTransfer,
  createNceTransfer,
  getTransfer,
  listTransfers,
  OPEN_TRANSFER_STATUSES,
  type PcTransfer,
  transferStatus,
} from '../../../partner-center/nce-transfer.operations.js';
import { type StepContext, type StepHandler } from '../../../workflows/engine/step-context.js';
import { type TransferData, type TransferItemData } from '../transfer.model.js';
import { isDenied, logActivity, step, toRef, type TransferStepDeps } from './common.js';

/** Progress of the partner-to-partner path of an Azure plan transfer (issue 15 item 3). */
interface P2pItemData extends TransferItemData {
  transferId?: string;
  /** We created the request (the new partner is served here): re-created once after an expiry. */
  createdHere?: boolean;
  attempt?: number;
  expiredTransferIds?: string[];
  expiresAt?: string | null;
  azureSubscriptionId?: string;
}

const RECHECK_MS = 30 * 60_000;

/**
 * The Azure plan's partner-to-partner transfer (§11): the new partner creates the request (here,
 * when this server serves it), the current partner accepts it with the plan as its line item,
 * Microsoft completes it; then each Azure subscription's R-TRF-8 clean-up (ROLE_CLEANUP items,
 * step `cleanup`). An expired request we created is re-created once, then it is a blocker.
 */
export function p2pTransferSteps(deps: TransferStepDeps): Record<string, StepHandler> {
  const { clients, arm } = deps;
  type Ctx = StepContext<TransferData, P2pItemData>;
  const sourceOf = (ctx: Ctx) => clients.forTenant(ctx.workflowData.currentPartner.tenantId);
  const customerOf = (ctx: Ctx) => ctx.workflowData.customer.tenantId;
  const fromNewPartner = (ctx: Ctx, list: PcTransfer[]) => {
    const expired = new Set(ctx.data.expiredTransferIds ?? []);
    return list.find(
      (t) =>
        t.targetPartnerTenantId?.toLowerCase() === ctx.workflowData.newPartner.tenantId &&
        OPEN_TRANSFER_STATUSES.has(transferStatus(t)) &&
        !expired.has(t.id),
    );
  };
  const blocked = (ctx: Ctx, code: BlockerCode, message: string) => {
    ctx.block({ code, message });
    return { type: 'blocked' as const, code, message, state: 'BLOCKED' };
  };

  const prepare = step<P2pItemData>(async (ctx) => {
    const data = ctx.workflowData;
    // A transfer changes partner for good: from here on it cannot be canceled.
    if (!(await ctx.markIrreversible())) {
      return { type: 'wait', reason: 'The workflow was canceled.' };
    }
    return data.newPartner.organizationId
      ? { type: 'next', step: 'p2p_create', state: 'PLANNED' }
      : { type: 'next', step: 'p2p_await_request', state: 'PLANNED' };
  });

  const create = step<P2pItemData>(async (ctx) => {
    const data = ctx.workflowData;
    const attempt = ctx.data.attempt ?? 1;
    const target = clients.forTenant(data.newPartner.tenantId);
    const customerId = customerOf(ctx);
    let created: { transferId: string; expiresAt: string | null };
    try {
      created = await ctx.journaled(
        `p2p-create-${attempt}`,
        { customerId, target: data.newPartner.tenantId },
        {
          lookup: async () => {
            const t = fromNewPartner(ctx, await listTransfers(target, customerId));
            return t ? { transferId: t.id, expiresAt: t.expirationTime ?? null } : undefined;
          },
          call: async (requestId) => {
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
          },
        },
      );
    } catch (error) {
      if (error instanceof PartnerCenterError && !error.retryable && error.status !== 0) {
        return blocked(
          ctx,
          error.code === '900131' ? 'LEGACY_AZURE_FIRST' : 'TRANSFER_REFUSED',
          `Partner Center refused ${data.newPartner.name ?? data.newPartner.tenantId}'s transfer request: ${error.status} ${error.code} ${error.description}`,
        );
      }
      throw error;
    }
    ctx.emit({
      type: 'TRANSFER_CREATED',
      message: `${data.newPartner.name ?? data.newPartner.tenantId} requested the transfer of Azure plan ${data.subscription.subscriptionId} of ${data.customer.companyName} (transfer ${created.transferId}).`,
      partnerTenantId: data.newPartner.tenantId,
    });
    await logActivity(ctx, {
      operation: 'create_transfer',
      details: `Created transfer ${created.transferId} as ${data.newPartner.name ?? data.newPartner.tenantId} for the Azure plan of ${data.customer.companyName}.`,
      what: `p2p-create-${attempt}`,
      tenantId: data.newPartner.tenantId,
    });
    return {
      type: 'next',
      step: 'p2p_accept',
      state: 'REQUESTED',
      data: {
        transferId: created.transferId,
        expiresAt: created.expiresAt,
        createdHere: true,
        attempt,
      },
    };
  });

  const awaitRequest = step<P2pItemData>(async (ctx) => {
    const data = ctx.workflowData;
    const t = fromNewPartner(ctx, await listTransfers(sourceOf(ctx), customerOf(ctx)));
    if (!t) {
      return {
        type: 'wait',
        reason: `Waiting for ${data.newPartner.name ?? `partner ${data.newPartner.tenantId}`} to create the transfer request for ${data.customer.companyName} in Partner Center (it is accepted as soon as it appears).`,
        until: ctx.later(deps.recheckMs),
        state: 'AWAITING_REQUEST',
      };
    }
    return {
      type: 'next',
      step: 'p2p_accept',
      state: 'REQUESTED',
      data: { transferId: t.id, expiresAt: t.expirationTime ?? null, createdHere: false },
    };
  });

  const accept = step<P2pItemData>(async (ctx) => {
    const data = ctx.workflowData;
    const d = ctx.data;
    const source = sourceOf(ctx);
    const customerId = customerOf(ctx);
    const transferId = d.transferId as string;
    const current = await getTransfer(source, customerId, transferId);
    const status = transferStatus(current);
    if (status === 'expired') {
      const expiredTransferIds = [...(d.expiredTransferIds ?? []), transferId];
      if (d.createdHere && (d.attempt ?? 1) < 2) {
        return {
          type: 'next',
          step: 'p2p_create',
          state: 'EXPIRED',
          data: { attempt: 2, expiredTransferIds, transferId: undefined },
        };
      }
      if (!d.createdHere) {
        return {
          type: 'next',
          step: 'p2p_await_request',
          state: 'EXPIRED',
          data: { expiredTransferIds, transferId: undefined },
        };
      }
      return blocked(
        ctx,
        'TRANSFER_EXPIRED',
        `Transfer request(s) ${expiredTransferIds.join(', ')} for the Azure plan of ${data.customer.companyName} expired without being accepted (re-created once).`,
      );
    }
    if (['cancel', 'reject', 'failed'].includes(status)) {
      return blocked(
        ctx,
        'TRANSFER_CANCELED',
        `Transfer ${transferId} is ${current.status}; the Azure plan did not move.`,
      );
    }
    if (status === 'pending') {
      await ctx.journaled(
        `p2p-accept-${transferId}`,
        { transferId, subscriptionId: data.subscription.subscriptionId },
        {
          lookup: async () =>
            transferStatus(await getTransfer(source, customerId, transferId)) === 'pending'
              ? undefined
              : { accepted: true },
          call: async (requestId) => {
            await acceptNceTransfer(
              source,
              customerId,
              transferId,
              [
                {
                  subscriptionId: data.subscription.subscriptionId,
                  quantity: 1,
                  billingCycle: null,
                  productType: 'AzureSubscription',
                },
              ],
              requestId,
            );
            return { accepted: true };
          },
        },
      );
      ctx.emit({
        type: 'TRANSFER_ACCEPTED',
        message: `${data.currentPartner.name} accepted transfer ${transferId} of the Azure plan of ${data.customer.companyName}.`,
        partnerTenantId: data.currentPartner.tenantId,
      });
      await logActivity(ctx, {
        operation: 'accept_transfer',
        details: `Accepted transfer ${transferId} of Azure plan ${data.subscription.subscriptionId} as ${data.currentPartner.name}.`,
        what: `p2p-accept-${transferId}`,
      });
    }
    return { type: 'next', step: 'p2p_await', state: 'ACCEPTED' };
  });

  const awaitCompletion = step<P2pItemData>(async (ctx) => {
    const data = ctx.workflowData;
    const t = await getTransfer(sourceOf(ctx), customerOf(ctx), ctx.data.transferId as string);
    const status = transferStatus(t);
    if (status !== 'complete' && status !== 'failed') {
      return {
        type: 'wait',
        reason: `Microsoft is completing transfer ${t.id} (${t.status}).`,
        until: ctx.later(RECHECK_MS),
      };
    }
    const line = t.lineItems?.[0];
    if (status === 'failed' || (line?.status && !/^complete/i.test(line.status))) {
      return {
        type: 'failed',
        code: 'TRANSFER_FAILED',
        message: `Transfer ${t.id} of the Azure plan of ${data.customer.companyName} failed: ${line?.transferError?.description ?? t.status}.`,
      };
    }
    const moved = (
      await clients
        .forTenant(data.newPartner.tenantId)
        .listSubscriptions(customerOf(ctx))
        .catch(() => [])
    ).find(
      (s) => (s as { transferId?: string | null }).transferId?.toLowerCase() === t.id.toLowerCase(),
    );
    ctx.releaseChildren();
    ctx.emit({
      type: 'TRANSFERRED',
      message: `The Azure plan of ${data.customer.companyName} now bills through ${data.newPartner.name ?? data.newPartner.tenantId} (transfer ${t.id}); the old partner's access is removed next (R-TRF-8).`,
    });
    await logActivity(ctx, {
      operation: 'subscription_transferred',
      details: `Azure plan ${data.subscription.subscriptionId} of ${data.customer.companyName} moved to ${data.newPartner.name ?? data.newPartner.tenantId} by transfer ${t.id}${moved ? ` (now ${moved.id})` : ''}.`,
      what: 'p2p-transferred',
    });
    return {
      type: 'done',
      state: 'TRANSFERRED',
      data: {
        transferredAt: t.completedTime ?? ctx.now().toISOString(),
        newSubscriptionId: moved?.id ?? null,
      },
    };
  });

  // ROLE_CLEANUP: what the old partner holds on the Azure subscription (it keeps its RBAC after an
  // Azure plan transfer, §11), read as the old partner, then the shared `cleanup` step.
  const cleanupPrepare = step<P2pItemData>(async (ctx) => {
    const azureId = ctx.data.azureSubscriptionId as string;
    let assignmentsBefore: ReturnType<typeof toRef>[];
    try {
      assignmentsBefore = (
        await arm.forTenant(ctx.workflowData.currentPartner.tenantId).listRoleAssignments(azureId)
      ).map(toRef);
    } catch (error) {
      if (!isDenied(error) && !(error instanceof PartnerCenterError && !error.retryable)) {
        throw error;
      }
      assignmentsBefore = [];
    }
    return { type: 'next', step: 'cleanup', state: 'CLEANUP', data: { assignmentsBefore } };
  });

  return {
    p2p_prepare: prepare,
    p2p_create: create,
    p2p_await_request: awaitRequest,
    p2p_accept: accept,
    p2p_await: awaitCompletion,
    p2p_cleanup_prepare: cleanupPrepare,
  };
}
