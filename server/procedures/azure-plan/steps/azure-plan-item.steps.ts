import { type StepContext, type StepHandler } from '../../../workflows/engine/step-context.js';
import { AZURE_MAPPING, type AzurePlanData, type PlanItemData } from '../azure-plan.model.js';
import { type AzurePlanStepDeps, isAzurePlan, logActivity, lower, step } from './common.js';

/** AZURE_PLAN: follows an Azure plan bought for a reseller of record (R-AZP-3). */
export function azurePlanItemSteps(deps: AzurePlanStepDeps): Record<string, StepHandler> {
  const { clients } = deps;
  const clientOf = <I>(ctx: StepContext<AzurePlanData, I>) =>
    clients.forTenant(ctx.workflowData.partnerTenantId);
  const customerOf = <I>(ctx: StepContext<AzurePlanData, I>) => ctx.workflowData.customerTenantId;

  const awaitPlan = step<PlanItemData>(async (ctx) => {
    const plan = ctx.data;
    const subs = await clientOf(ctx).listSubscriptions(customerOf(ctx));
    // R-AZP-3: the plan of this reseller of record (or the customer's only plan, direct).
    const found = subs.find(
      (s) =>
        isAzurePlan(s) &&
        s.status !== 'deleted' &&
        lower(s.partnerId || null) === lower(plan.resellerMpnId),
    );
    if (found) {
      const who = plan.resellerMpnId ? ` for reseller ${plan.resellerMpnId}` : '';
      ctx.emit({
        type: 'PLAN_PURCHASED',
        message: `Azure plan ${found.id}${who} bought for ${plan.companyName} (${found.status}); it receives ${plan.commerceSubscriptionIds.length} Azure subscription(s) (R-AZP-3).`,
        subscriptionId: found.id,
      });
      await logActivity(ctx, {
        operation: 'purchase_azure_plan',
        details: `Azure plan ${found.id}${who} for ${plan.companyName}.`,
        subscriptionId: found.id,
        key: 'plan',
      });
      return {
        type: 'done',
        state: 'PURCHASED',
        data: { planSubscriptionId: found.id, purchasedAt: ctx.now().toISOString() },
      };
    }
    // A plan that never comes because all its lines failed is reported with them (R-AZP-9).
    const siblings = (await ctx.children(ctx.item.parentItemId ?? '')).filter(
      (c) => c.kind === AZURE_MAPPING && plan.commerceSubscriptionIds.includes(c.subject ?? ''),
    );
    if (siblings.length > 0 && siblings.every((s) => s.status === 'FAILED')) {
      return {
        type: 'failed',
        code: 'PLAN_NOT_PURCHASED',
        message: `No Azure plan${plan.resellerMpnId ? ` for reseller ${plan.resellerMpnId}` : ''} exists for ${plan.companyName}: every line meant for it failed.`,
      };
    }
    return {
      type: 'wait',
      reason: `Waiting for Partner Center to create the Azure plan${plan.resellerMpnId ? ` of reseller ${plan.resellerMpnId}` : ''} for ${plan.companyName}.`,
      until: ctx.later(deps.upgradeRecheckMs),
    };
  });

  return { await_plan: awaitPlan };
}
