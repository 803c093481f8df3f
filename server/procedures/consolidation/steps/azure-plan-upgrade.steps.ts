import {
  createProductUpgrade,
  getProductUpgradeEligibility,
  getProductUpgradeStatus,
} from '../../../partner-center/azure-plan.operations.js';
import { PartnerCenterError } from '../../../partner-center/errors.js';
import { AZURE_PLAN_PRODUCT_ID } from '../../../partner-center/mapping.js';
import { type StepHandler } from '../../../workflows/engine/step-context.js';
import {
  type AzurePlanUpgradeData,
  SUBSCRIPTION_TRANSFER,
  type SubscriptionTransferData,
  TRANSFER_REQUEST,
} from '../consolidation-paths.model.js';
import { type ConsolidationStepDeps, logActivity, step } from './common.js';
import { sourceGdapBlock } from './source-gdap.step.js';

const UPGRADE_RECHECK_MS = 30 * 60_000;

/**
 * AZURE_PLAN_UPGRADE (issue 15, plan option legacyAzure AZURE_PLAN_THEN_TRANSFER): the Azure plan
 * transition of the customer at its SOURCE tenant (product upgrade, R-AZP-3/4, as the azure-plan
 * procedure starts it), so that its Azure can then move by transfer: Partner Center refuses an
 * Azure transfer while legacy Azure is active (900131). The TRANSFER_REQUEST waits for it.
 */
export function azurePlanUpgradeSteps(deps: ConsolidationStepDeps): Record<string, StepHandler> {
  const { clients } = deps;

  const start = step<AzurePlanUpgradeData>(async (ctx) => {
    const d = ctx.data;
    const customerId = ctx.item.customerTenantId as string;
    const client = clients.forTenant(d.sourceTenantId);
    // The upgrade is a customer-scoped write of the source: with GDAP required it needs GDAP there.
    const noSourceGdap = await sourceGdapBlock(ctx, deps, {
      sourceTenantId: d.sourceTenantId,
      customerTenantId: customerId,
      companyName: d.companyName,
      writes: 'start the Azure plan upgrade',
      write: 'azure-plan-upgrade',
    });
    if (noSourceGdap) {
      return noSourceGdap;
    }
    if (!(await ctx.markIrreversible())) {
      return { type: 'wait', reason: 'The workflow was canceled.' };
    }
    const running = async () => {
      const e = await getProductUpgradeEligibility(client, customerId);
      return e.upgradeId ? { upgradeId: e.upgradeId } : undefined;
    };
    let result: { upgradeId: string };
    try {
      result = await ctx.journaled(
        'azure-plan-upgrade',
        { customerId, productFamily: 'azure' },
        {
          lookup: running,
          call: async (requestId) => {
            const e = await getProductUpgradeEligibility(client, customerId);
            if (e.upgradeId) {
              return { upgradeId: e.upgradeId };
            }
            if (!e.isEligible) {
              throw new PartnerCenterError({
                operation: 'POST /v1/productUpgrades/eligibility',
                status: 400,
                code: 'NOT_ELIGIBLE',
                description: e.reason ?? 'not eligible for the Azure plan',
                retryable: false,
                requestId: '',
                correlationId: '',
              });
            }
            return { upgradeId: await createProductUpgrade(client, customerId, requestId) };
          },
        },
      );
    } catch (error) {
      if (error instanceof PartnerCenterError && !error.retryable && error.status !== 0) {
        const message = `The Azure plan transition of ${d.companyName} at the source was refused: ${error.code} ${error.description}.`;
        ctx.block({ code: 'AZURE_PLAN_UPGRADE_REFUSED', message });
        return { type: 'blocked', code: 'AZURE_PLAN_UPGRADE_REFUSED', message, state: 'BLOCKED' };
      }
      throw error;
    }
    ctx.emit({
      type: 'UPGRADE_STARTED',
      message: `Product upgrade ${result.upgradeId} started: ${d.companyName}'s legacy Azure moves to the Azure plan before its transfer.`,
      partnerTenantId: d.sourceTenantId,
    });
    await logActivity(ctx, {
      operation: 'create_product_upgrade',
      details: `Started product upgrade ${result.upgradeId} of ${d.companyName} from Microsoft Azure (MS-AZR-0145P) to the Azure plan, before the consolidation transfer.`,
      externalId: `${ctx.item.id}:azure-plan-upgrade`,
      tenantId: d.sourceTenantId,
    });
    return {
      type: 'next',
      step: 'azure_plan_await',
      state: 'UPGRADING',
      data: { upgradeId: result.upgradeId },
      quiet: true,
    };
  });

  const awaitUpgrade = step<AzurePlanUpgradeData>(async (ctx) => {
    const d = ctx.data;
    const customerId = ctx.item.customerTenantId as string;
    const client = clients.forTenant(d.sourceTenantId);
    const status = await getProductUpgradeStatus(client, customerId, d.upgradeId as string);
    const s = (status.status ?? '').toLowerCase();
    if (s !== 'completed' && s !== 'failed') {
      return {
        type: 'wait',
        reason: `Product upgrade ${d.upgradeId ?? '?'} of ${d.companyName} is ${status.status ?? 'running'}.`,
        until: ctx.later(UPGRADE_RECHECK_MS),
        quiet: true,
      };
    }
    if (s === 'failed') {
      const message = `Product upgrade ${d.upgradeId ?? '?'} of ${d.companyName} failed; its Azure cannot be transferred (legacy Azure first).`;
      ctx.block({ code: 'AZURE_PLAN_UPGRADE_FAILED', message });
      return { type: 'blocked', code: 'AZURE_PLAN_UPGRADE_FAILED', message, state: 'BLOCKED' };
    }
    const plan = (await client.listSubscriptions(customerId)).find(
      (x) =>
        x.offerId.toUpperCase().startsWith(AZURE_PLAN_PRODUCT_ID) &&
        x.status.toLowerCase() === 'active',
    );
    if (!plan) {
      return {
        type: 'wait',
        reason: `Product upgrade ${d.upgradeId ?? '?'} of ${d.companyName} completed; waiting for its Azure plan to be active.`,
        until: ctx.later(UPGRADE_RECHECK_MS),
        quiet: true,
      };
    }
    const upgraded: Record<string, string> = {};
    const siblings = await ctx.children(ctx.item.parentItemId as string);
    for (const row of siblings) {
      const sd = JSON.parse(row.dataJson) as SubscriptionTransferData;
      if (row.kind === SUBSCRIPTION_TRANSFER && sd.path === 'AZURE_PLAN_THEN_TRANSFER') {
        upgraded[sd.sourceSubscriptionId] = plan.id;
      }
    }
    await ctx.wake(siblings.filter((i) => i.kind === TRANSFER_REQUEST).map((i) => i.id));
    ctx.emit({
      type: 'UPGRADE_COMPLETED',
      message: `${d.companyName}'s legacy Azure is on the Azure plan ${plan.id} at the source; its transfer follows.`,
      partnerTenantId: d.sourceTenantId,
    });
    return {
      type: 'done',
      state: 'UPGRADED',
      data: { upgraded, completedAt: ctx.now().toISOString() },
    };
  });

  return { azure_plan_upgrade: start, azure_plan_await: awaitUpgrade };
}
