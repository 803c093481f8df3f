import { type PcSubscription } from '../../../partner-center/contracts/subscriptions.js';
import { getProductUpgradeStatus } from '../../../partner-center/azure-plan.operations.js';
import { type StepContext, type StepHandler } from '../../../workflows/engine/step-context.js';
import { type AzurePlanData, type MappingItemData } from '../azure-plan.model.js';
import {
  type AzurePlanStepDeps,
  isAzurePlan,
  logActivity,
  lower,
  step,
  upgradeRounds,
} from './common.js';

/** AZURE_MAPPING: follows a 0145P subscription's upgrade line and verifies its mapping (R-AZP-4/8). */
export function mappingSteps(deps: AzurePlanStepDeps): Record<string, StepHandler> {
  const { clients } = deps;
  const clientOf = <I>(ctx: StepContext<AzurePlanData, I>) =>
    clients.forTenant(ctx.workflowData.partnerTenantId);
  const customerOf = <I>(ctx: StepContext<AzurePlanData, I>) => ctx.workflowData.customerTenantId;

  const track = step<MappingItemData>(async (ctx) => {
    const line = ctx.data;
    const parentId = ctx.item.parentItemId as string;
    const latest = (await upgradeRounds(ctx, parentId)).at(-1);
    if (!latest) {
      return {
        type: 'wait',
        reason: 'Waiting for the product upgrade to start.',
        until: ctx.later(deps.wakeFallbackMs),
      };
    }
    if (line.failedInUpgradeId && latest.upgradeId === line.failedInUpgradeId) {
      // Retried: the transition item starts a new product upgrade, then wakes this line.
      await ctx.wake([parentId]);
      return {
        type: 'wait',
        reason: `Waiting for a new product upgrade for Azure subscription ${line.azureSubscriptionId} (retry).`,
        until: ctx.later(deps.wakeFallbackMs),
        state: 'UPGRADING',
      };
    }
    if (!latest.upgradeId) {
      return { type: 'next', step: 'verify', state: 'VERIFYING' };
    }
    const status = await getProductUpgradeStatus(clientOf(ctx), customerOf(ctx), latest.upgradeId);
    const ids = new Set([lower(line.azureSubscriptionId), lower(line.commerceSubscriptionId)]);
    const item = status.lineItems.find((li) => ids.has(lower(li.sourceProduct?.id)));
    if (!item) {
      // Not part of this upgrade: an earlier one already moved it. Partner Center decides.
      return {
        type: 'next',
        step: 'verify',
        state: 'VERIFYING',
        data: { upgradeId: latest.upgradeId },
      };
    }
    const lineStatus = lower(item.status);
    if (lineStatus === 'completed') {
      return {
        type: 'next',
        step: 'verify',
        state: 'VERIFYING',
        data: {
          upgradeId: latest.upgradeId,
          planSubscriptionId: item.targetProduct?.id ?? undefined,
          upgradedAt: item.upgradedDate ?? ctx.now().toISOString(),
          errorCode: undefined,
          errorMessage: undefined,
        },
      };
    }
    if (lineStatus === 'failed') {
      // R-AZP-9: shown on the workflow with Partner Center's own error; retryWorkflow runs it again.
      const code = String(item.errorDetails?.code ?? status.errorDetails?.code ?? 'UPGRADE_FAILED');
      const description =
        item.errorDetails?.description ?? status.errorDetails?.description ?? 'no description';
      ctx.emit({
        type: 'LINE_FAILED',
        message: `Partner Center could not move Azure subscription ${line.azureSubscriptionId} of ${line.companyName} (product upgrade ${latest.upgradeId}): ${code} ${description}. Azure use is not disrupted.`,
        subscriptionId: line.commerceSubscriptionId,
        data: { code, upgradeId: latest.upgradeId },
      });
      return {
        type: 'failed',
        code,
        message: `Azure subscription ${line.azureSubscriptionId}: ${description}`,
        data: {
          upgradeId: latest.upgradeId,
          failedInUpgradeId: latest.upgradeId,
          errorCode: code,
          errorMessage: description,
        },
      };
    }
    // R-AZP-4: progress is visible per line while Partner Center works.
    return {
      type: 'wait',
      reason: `Product upgrade ${latest.upgradeId}: Azure subscription ${line.azureSubscriptionId} is ${item.status ?? 'in progress'}.`,
      until: ctx.later(deps.upgradeRecheckMs),
      state: 'UPGRADING',
      data: { upgradeId: latest.upgradeId },
    };
  });

  const verify = step<MappingItemData>(async (ctx) => {
    const line = ctx.data;
    const client = clientOf(ctx);
    const customerId = customerOf(ctx);
    const azureId = lower(line.azureSubscriptionId);
    const [commerce, subs] = await Promise.all([
      client.getSubscription(customerId, line.commerceSubscriptionId),
      client.listSubscriptions(customerId),
    ]);
    const plans = subs.filter((s) => isAzurePlan(s) && s.status !== 'deleted');
    let plan: PcSubscription | undefined;
    let attached = false;
    for (const candidate of [
      ...plans.filter((p) => p.id === line.planSubscriptionId),
      ...plans.filter((p) => p.id !== line.planSubscriptionId),
    ]) {
      const entitlements = await client.listAzureEntitlements(customerId, candidate.id);
      const found = entitlements.find((e) => lower(e.id) === azureId);
      if (found) {
        plan = candidate;
        attached = found.status === 'active';
        break;
      }
    }
    // R-AZP-3: attached to the plan of its reseller of record (direct: the customer's plan).
    if (plan && lower(plan.partnerId || null) !== lower(line.planResellerMpnId)) {
      return {
        type: 'failed',
        code: 'WRONG_PLAN',
        message: `Azure subscription ${line.azureSubscriptionId} is attached to Azure plan ${plan.id} of reseller ${plan.partnerId ?? '(none)'}, not to the plan of ${line.planResellerMpnId ?? 'the customer'} (R-AZP-3).`,
        data: { planSubscriptionId: plan.id },
      };
    }
    // R-AZP-8: the Azure subscription is on the plan and the commerce subscription is suspended.
    const mapped = plan && attached && plan.status === 'active' && commerce.status === 'suspended';
    if (!plan || !mapped) {
      const checks = (line.verifyChecks ?? 0) + 1;
      const what = !plan
        ? 'is not attached to an Azure plan yet'
        : !attached || plan.status !== 'active'
          ? `is not active on Azure plan ${plan.id} yet`
          : `still has an active commerce subscription ${line.commerceSubscriptionId}`;
      if (checks > deps.maxVerifyChecks) {
        return {
          type: 'failed',
          code: 'MAPPING_NOT_VERIFIED',
          message: `Azure subscription ${line.azureSubscriptionId} ${what} after the product upgrade reported it done (R-AZP-8).`,
          data: { verifyChecks: checks },
        };
      }
      return {
        type: 'wait',
        reason: `Verifying: Azure subscription ${line.azureSubscriptionId} ${what}.`,
        until: ctx.later(deps.verifyRecheckMs),
        state: 'VERIFYING',
        data: { verifyChecks: checks },
      };
    }
    const now = ctx.now().toISOString();
    ctx.emit({
      type: 'ENTITLEMENT_MAPPED',
      message: `Azure subscription ${line.azureSubscriptionId} of ${line.companyName} is attached to Azure plan ${plan.id}${line.planResellerMpnId ? ` (reseller ${line.planResellerMpnId})` : ''}; commerce subscription ${line.commerceSubscriptionId} is suspended (R-AZP-8).`,
      subscriptionId: line.commerceSubscriptionId,
    });
    await logActivity(ctx, {
      operation: 'map_azure_subscription',
      details: `Azure subscription ${line.azureSubscriptionId} attached to Azure plan ${plan.id}; commerce subscription ${line.commerceSubscriptionId} suspended so no further consumption is reported on it.`,
      subscriptionId: line.commerceSubscriptionId,
      key: 'mapped',
    });
    return {
      type: 'done',
      state: 'MAPPED',
      data: {
        planSubscriptionId: plan.id,
        upgradedAt: line.upgradedAt ?? now,
        verifiedAt: now,
        failedInUpgradeId: undefined,
      },
    };
  });

  return { track, verify };
}
