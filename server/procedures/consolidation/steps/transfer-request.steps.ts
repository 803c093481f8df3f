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
  type TransferProductType,
} from '../../../partner-center/nce-transfer.operations.js';
import { type StepHandler } from '../../../workflows/engine/step-context.js';
import {
  type SubscriptionTransferData,
  type TransferRequestData,
} from '../consolidation-paths.model.js';
import { type ConsolidationStepDeps, logActivity, step } from './common.js';
import { transferCompletionStep } from './transfer-completion.step.js';
import {
  parseItem,
  transferLines,
  type TransferRequestCtx,
  transferSiblings,
} from './transfer-lines.js';

/**
 * [guess] First completion check after the acceptance: Microsoft documents no completion time
 * (partner-center-api.md §9d, §11: Pending → InProgress → Complete); the emulator completes after
 * `autopilot.commerce.transferCompletion` (PT1H, its own guess). Reading before that only costs
 * calls (issue 20). Configurable: CONSOLIDATION_TRANSFER_FIRST_CHECK.
 */
export const DEFAULT_TRANSFER_FIRST_CHECK_MS = 60 * 60_000;
/** Recheck of an acceptance Partner Center refused (a role fixed, a fault gone) until expiry. */
const ACCEPT_RETRY_MS = 6 * 60 * 60_000;

function refusal(error: unknown): PartnerCenterError | undefined {
  return error instanceof PartnerCenterError && !error.retryable && error.status !== 0
    ? error
    : undefined;
}

/**
 * TRANSFER_REQUEST (issue 15, §11): one partner-to-partner transfer per customer and source tenant.
 * Both sides are tenants of the organization, so the product creates it as the target and accepts
 * it as the source, then follows it to completion. An expired request is re-created once; a
 * second expiry is a blocker of this customer only.
 */
export function transferRequestSteps(deps: ConsolidationStepDeps): Record<string, StepHandler> {
  const { clients } = deps;
  const firstCheckMs = deps.transferFirstCheckMs ?? DEFAULT_TRANSFER_FIRST_CHECK_MS;

  const blockedBy = (ctx: TransferRequestCtx, code: BlockerCode, message: string) => {
    ctx.block({ code, message, subject: ctx.data.transferId ?? null });
    ctx.emit({ type: 'BLOCKER', message });
    return { type: 'blocked' as const, code, message, state: 'BLOCKED' };
  };

  const afterUpgrade = step<TransferRequestData>(async (ctx) => {
    const { upgrade } = await transferSiblings(ctx);
    if (!upgrade || upgrade.status === 'DONE') {
      return { type: 'next', step: 'transfer_create', state: 'UPGRADED' };
    }
    if (['FAILED', 'BLOCKED', 'CANCELED', 'SKIPPED'].includes(upgrade.status)) {
      return blockedBy(
        ctx,
        'AZURE_PLAN_UPGRADE_FAILED',
        `The Azure plan transition of ${ctx.data.companyName} did not finish (${upgrade.lastError ?? upgrade.status}); its transfer is not created (legacy Azure first, 900131).`,
      );
    }
    return {
      type: 'wait',
      reason: `Waiting for ${ctx.data.companyName}'s legacy Azure to move to the Azure plan before the transfer (legacy Azure first, 900131).`,
      until: ctx.later(deps.wakeFallbackMs),
      state: 'AWAITING_UPGRADE',
    };
  });

  const create = step<TransferRequestData>(async (ctx) => {
    const wf = ctx.workflowData;
    const d = ctx.data;
    const customerId = ctx.item.customerTenantId as string;
    const target = clients.forTenant(wf.target.tenantId);
    // R-CON-8: a transfer request is the consolidation's first write for this customer.
    if (!(await ctx.markIrreversible())) {
      return { type: 'wait', reason: 'The workflow was canceled.' };
    }
    const attempt = d.attempt ?? 1;
    const { subs } = await transferSiblings(ctx);
    const types = [
      ...new Set(subs.map((s) => parseItem<SubscriptionTransferData>(s).productType)),
    ].sort() as TransferProductType[];
    const expired = new Set(d.expiredTransferIds ?? []);
    const ours = (list: PcTransfer[]) =>
      list.find(
        (t) =>
          t.sourcePartnerTenantId?.toLowerCase() === d.sourceTenantId.toLowerCase() &&
          OPEN_TRANSFER_STATUSES.has(transferStatus(t)) &&
          !expired.has(t.id),
      );
    let created: { transferId: string; expiresAt: string | null; status?: string };
    try {
      created = await ctx.journaled(
        `transfer-create-${attempt}`,
        { customerId, source: d.sourceTenantId, types },
        {
          // After a crash between the create and its journal entry: our open request is the effect.
          lookup: async () => {
            const found = ours(await listTransfers(target, customerId));
            return found
              ? {
                  transferId: found.id,
                  expiresAt: found.expirationTime ?? null,
                  status: transferStatus(found),
                }
              : undefined;
          },
          call: async (requestId) => {
            try {
              const t = await createNceTransfer(
                target,
                customerId,
                {
                  sourcePartnerTenantId: d.sourceTenantId,
                  sourcePartnerName: d.sourceName,
                  customerEmailId: d.customerEmail,
                  customerName: d.companyName,
                  targetProductTypes: types,
                },
                requestId,
              );
              return {
                transferId: t.id,
                expiresAt: t.expirationTime ?? null,
                status: transferStatus(t),
              };
            } catch (error) {
              // 409/900101: a request between these partners is already open (ours, re-sent).
              if (error instanceof PartnerCenterError && error.code === '900101') {
                const found = ours(await listTransfers(target, customerId));
                if (found) {
                  return {
                    transferId: found.id,
                    expiresAt: found.expirationTime ?? null,
                    status: transferStatus(found),
                  };
                }
              }
              throw error;
            }
          },
        },
      );
    } catch (error) {
      const refused = refusal(error);
      if (!refused) {
        throw error;
      }
      return blockedBy(
        ctx,
        'TRANSFER_REFUSED',
        `Partner Center refused the transfer request of ${d.companyName} from ${d.sourceName} to ${wf.target.name}: ${refused.status} ${refused.code} ${refused.description}`,
      );
    }
    ctx.emit({
      type: 'TRANSFER_CREATED',
      message: `${wf.target.name} requested the transfer of ${subs.length} subscription(s) of ${d.companyName} from ${d.sourceName} (transfer ${created.transferId}${attempt > 1 ? `, re-created after expiry` : ''}).`,
      partnerTenantId: wf.target.tenantId,
    });
    await logActivity(ctx, {
      operation: 'create_transfer',
      details: `Requested the transfer of ${subs.length} subscription(s) (${types.join(', ')}) of ${d.companyName} from ${d.sourceName} to ${wf.target.name} (transfer ${created.transferId}).`,
      externalId: `${ctx.item.id}:transfer-create-${attempt}`,
      tenantId: wf.target.tenantId,
    });
    return {
      type: 'next',
      step: 'transfer_accept',
      state: 'REQUESTED',
      data: {
        attempt,
        transferId: created.transferId,
        expiresAt: created.expiresAt,
        // What the create (or the lookup of our own request) answered: the accept needs no read.
        knownStatus: created.status ?? null,
      },
      quiet: true,
    };
  });

  const accept = step<TransferRequestData>(async (ctx) => {
    const d = ctx.data;
    const customerId = ctx.item.customerTenantId as string;
    const source = clients.forTenant(d.sourceTenantId);
    const transferId = d.transferId as string;
    // Right after our own create the request is Pending (a certain outcome): no read. A retry
    // after a refusal, or a request past its expiry, reads it first.
    const fresh =
      d.knownStatus === 'pending' &&
      !(d.expiresAt && Date.parse(d.expiresAt) <= ctx.now().getTime());
    const current = fresh
      ? { id: transferId, status: 'Pending' }
      : await getTransfer(source, customerId, transferId);
    const status = transferStatus(current);
    if (status === 'expired') {
      const expiredIds = [...(d.expiredTransferIds ?? []), transferId];
      if ((d.attempt ?? 1) >= 2) {
        return blockedBy(
          ctx,
          'TRANSFER_EXPIRED',
          `The transfer request of ${d.companyName} from ${d.sourceName} expired again (${expiredIds.join(', ')}) without being accepted; it was re-created once. Nothing moved; fix what refused the acceptance, then plan this customer again.`,
        );
      }
      ctx.emit({
        type: 'TRANSFER_EXPIRED',
        message: `Transfer ${transferId} of ${d.companyName} expired before it was accepted; creating it once more.`,
      });
      return {
        type: 'next',
        step: 'transfer_create',
        state: 'EXPIRED',
        data: { attempt: 2, expiredTransferIds: expiredIds, transferId: undefined },
      };
    }
    if (['cancel', 'reject', 'failed'].includes(status)) {
      return blockedBy(
        ctx,
        'TRANSFER_CANCELED',
        `Transfer ${transferId} of ${d.companyName} is ${current.status}; nothing moved. Plan this customer again.`,
      );
    }
    if (status === 'pending') {
      const { subs, upgrade } = await transferSiblings(ctx);
      const lines = new Map(
        [...transferLines(subs, upgrade)].map(([id, l]) => [
          id,
          {
            subscriptionId: l.subscriptionId,
            quantity: l.quantity,
            billingCycle: l.billingCycle ?? null,
            productType: l.productType,
          },
        ]),
      );
      try {
        await ctx.journaled(
          `transfer-accept-${transferId}`,
          { transferId, lines: [...lines.values()] },
          {
            // After a crash between the PATCH and its journal entry. When this run has just read
            // the request (Pending: this branch), that read answers; otherwise read it now.
            lookup: async () => {
              const seen = fresh
                ? transferStatus(await getTransfer(source, customerId, transferId))
                : status;
              return seen === 'pending' || seen === 'expired' ? undefined : { accepted: true };
            },
            call: async (requestId) => {
              await acceptNceTransfer(
                source,
                customerId,
                transferId,
                [...lines.values()],
                requestId,
              );
              return { accepted: true };
            },
          },
        );
      } catch (error) {
        const refused = refusal(error);
        if (!refused) {
          throw error;
        }
        // Visible and retried until the request expires; then re-created once, then a blocker.
        const retryAt = ctx.later(ACCEPT_RETRY_MS);
        const expiry = d.expiresAt ? new Date(d.expiresAt) : null;
        if (fresh && (refused.code === '900104' || refused.code === '900400')) {
          // Not pending after all (processed, canceled or expired meanwhile): read it now.
          return { type: 'next', step: 'transfer_accept', data: { knownStatus: null } };
        }
        return {
          type: 'wait',
          data: { knownStatus: null },
          reason: `Partner Center refused ${d.sourceName}'s acceptance of transfer ${transferId} of ${d.companyName} (${refused.status} ${refused.code} ${refused.description}); trying again until the request expires${d.expiresAt ? ` on ${d.expiresAt}` : ''}.`,
          until: expiry && expiry < retryAt ? new Date(expiry.getTime() + 60_000) : retryAt,
          state: 'ACCEPT_REFUSED',
        };
      }
      ctx.emit({
        type: 'TRANSFER_ACCEPTED',
        message: `${d.sourceName} accepted transfer ${transferId} of ${d.companyName} with ${lines.size} line item(s).`,
        partnerTenantId: d.sourceTenantId,
      });
      await logActivity(ctx, {
        operation: 'accept_transfer',
        details: `Accepted transfer ${transferId} of ${d.companyName} as ${d.sourceName} with ${lines.size} line item(s).`,
        externalId: `${ctx.item.id}:transfer-accept-${transferId}`,
        tenantId: d.sourceTenantId,
      });
    }
    const acceptedAt = d.acceptedAt ?? ctx.now().toISOString();
    // Issue 20: the first completion check when Microsoft may have completed it, not at once.
    const firstCheck = new Date(Date.parse(acceptedAt) + firstCheckMs);
    return {
      type: 'wait',
      step: 'transfer_await',
      reason: `Microsoft is completing transfer ${transferId} of ${d.companyName}; first check at ${firstCheck.toISOString()}.`,
      until: firstCheck > ctx.now() ? firstCheck : ctx.now(),
      state: 'ACCEPTED',
      data: { acceptedAt, knownStatus: null },
      quiet: true,
    };
  });

  return {
    transfer_after_upgrade: afterUpgrade,
    transfer_create: create,
    transfer_accept: accept,
    transfer_await: transferCompletionStep(deps),
  };
}
