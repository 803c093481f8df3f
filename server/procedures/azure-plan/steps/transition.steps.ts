import {
  createProductUpgrade,
  getProductUpgradeEligibility,
  getUsageBudget,
  setUsageBudget,
} from '../../../partner-center/azure-plan.operations.js';
import { PartnerCenterError } from '../../../partner-center/errors.js';
import { type StepContext, type StepHandler } from '../../../workflows/engine/step-context.js';
import { consolidatedSourceBlock } from '../../shared/consolidated-source.step.js';
import {
  AZURE_MAPPING,
  blockerCodeOf,
  reasonCode,
  type AzurePlanData,
  type MappingItemData,
  type TransitionItemData,
} from '../azure-plan.model.js';
import {
  type AzurePlanStepDeps,
  logActivity,
  parse,
  REMINDER_EVENT,
  step,
  terminal,
  upgradeRounds,
} from './common.js';

/** TRANSITION: eligibility, the product upgrade (again for failed lines after a retry), the budget, the report. */
export function transitionSteps(deps: AzurePlanStepDeps): Record<string, StepHandler> {
  const { clients } = deps;
  const clientOf = <I>(ctx: StepContext<AzurePlanData, I>) =>
    clients.forTenant(ctx.workflowData.partnerTenantId);
  const customerOf = <I>(ctx: StepContext<AzurePlanData, I>) => ctx.workflowData.customerTenantId;

  const startRound = async (
    ctx: StepContext<AzurePlanData, TransitionItemData>,
    round: number,
  ): Promise<string | null> => {
    const client = clientOf(ctx);
    const customerId = customerOf(ctx);
    const runningUpgrade = async () => {
      const eligibility = await getProductUpgradeEligibility(client, customerId);
      if (eligibility.upgradeId) {
        return { upgradeId: eligibility.upgradeId };
      }
      if (!eligibility.isEligible && reasonCode(eligibility.reason) === '900108') {
        return { upgradeId: null };
      }
      return undefined;
    };
    const result = await ctx.journaled<{ upgradeId: string | null }>(
      `upgrade-${round}`,
      { customerId, productFamily: 'azure', round },
      {
        lookup: runningUpgrade,
        call: async (requestId) => {
          try {
            return { upgradeId: await createProductUpgrade(client, customerId, requestId) };
          } catch (error) {
            // 900109: an upgrade is already running for the customer (e.g. started in the portal):
            // follow it rather than fail; it moves the same subscriptions.
            if (error instanceof PartnerCenterError && error.code === '900109') {
              const running = await runningUpgrade();
              if (running?.upgradeId) {
                return running;
              }
            }
            throw error;
          }
        },
      },
    );
    return result.upgradeId;
  };

  const check = step<TransitionItemData>(async (ctx) => {
    const wf = ctx.workflowData;
    // R-AZP-1/2 and Partner Center's own checks, again at start: things may have changed since
    // the dry run (a subscription suspended, the MCA withdrawn, an upgrade started elsewhere).
    const eligibility = await getProductUpgradeEligibility(clientOf(ctx), customerOf(ctx));
    if (!eligibility.isEligible) {
      const code = reasonCode(eligibility.reason);
      return {
        type: 'failed',
        code: blockerCodeOf(eligibility.upgradeId ? '900109' : code),
        message: `Partner Center refuses the transition of ${wf.companyName}: ${eligibility.reason ?? 'not eligible'}${eligibility.upgradeId ? ` (upgrade ${eligibility.upgradeId} in progress)` : ''}.`,
      };
    }
    await logActivity(ctx, {
      operation: 'check_azure_plan_eligibility',
      details: `Partner Center confirmed ${wf.companyName} is eligible for the Azure plan (reseller relationship and MCA, R-AZP-1/2).`,
      key: 'check',
    });
    // R-CON-7/8 at run time: a consolidation of this customer away from the tenant may have
    // started since the dry run; the upgrade would buy an Azure plan from that tenant.
    const refused = await consolidatedSourceBlock(ctx, deps.db, {
      partner: { tenantId: wf.partnerTenantId, name: wf.partnerTenantName },
      customerTenantId: wf.customerTenantId,
      customerName: wf.companyName,
      action: 'transition to the Azure plan',
    });
    if (refused) {
      return refused;
    }
    // A product upgrade cannot be undone: from here on the workflow cannot be canceled.
    if (!(await ctx.markIrreversible())) {
      return { type: 'wait', reason: 'The workflow was canceled.' };
    }
    return { type: 'next', step: 'upgrade', state: 'ELIGIBLE' };
  });

  const upgrade = step<TransitionItemData>(async (ctx) => {
    const wf = ctx.workflowData;
    const upgradeId = await startRound(ctx, 1);
    ctx.releaseChildren();
    ctx.emit({
      type: 'UPGRADE_STARTED',
      message: upgradeId
        ? `Product upgrade ${upgradeId} started: ${wf.companyName}'s legacy Azure subscriptions move to the Azure plan (R-AZP-3/4).`
        : `The product upgrade of ${wf.companyName} already finished; verifying its result.`,
      partnerTenantId: wf.partnerTenantId,
      data: { upgradeId },
    });
    await logActivity(ctx, {
      operation: 'create_product_upgrade',
      details: `Started product upgrade ${upgradeId ?? '(already finished)'} of ${wf.companyName} from Microsoft Azure (MS-AZR-0145P) to the Azure plan.`,
      key: 'upgrade-1',
    });
    return {
      type: 'next',
      step: 'await_lines',
      state: 'UPGRADING',
      data: { upgradeIds: upgradeId ? [upgradeId] : [] },
    };
  });

  const awaitLines = step<TransitionItemData>(async (ctx) => {
    const wf = ctx.workflowData;
    const children = await ctx.children(ctx.item.id);
    const mappings = children.filter((c) => c.kind === AZURE_MAPPING);
    const rounds = await upgradeRounds(ctx, ctx.item.id);
    const latest = rounds.at(-1);
    // R-AZP-9: lines retried after a failure need a new product upgrade; lines that succeeded are
    // not part of it (Partner Center only upgrades what is still on 0145P).
    const retried = mappings.filter(
      (m) =>
        !terminal(m) &&
        latest?.upgradeId &&
        parse<MappingItemData>(m).failedInUpgradeId === latest.upgradeId,
    );
    if (retried.length > 0 && latest) {
      const round = latest.round + 1;
      const upgradeId = await startRound(ctx, round);
      await ctx.wake(retried.map((m) => m.id));
      ctx.emit({
        type: 'UPGRADE_RETRIED',
        message: `Product upgrade ${upgradeId ?? '(already finished)'} started again for ${retried.length} failed Azure subscription(s) of ${wf.companyName}; the ones already moved are not touched.`,
        partnerTenantId: wf.partnerTenantId,
        data: { upgradeId, round },
      });
      await logActivity(ctx, {
        operation: 'create_product_upgrade',
        details: `Retried the product upgrade of ${wf.companyName} (${upgradeId ?? 'already finished'}) for ${retried.map((m) => parse<MappingItemData>(m).azureSubscriptionId).join(', ')}.`,
        key: `upgrade-${round}`,
      });
      const known = ctx.data.upgradeIds ?? [];
      return {
        type: 'next',
        step: 'await_lines',
        state: 'UPGRADING',
        data: { upgradeIds: upgradeId ? [...known, upgradeId] : known },
      };
    }
    const done = mappings.filter((m) => m.status === 'DONE').length;
    if (children.every(terminal)) {
      const failed = children.filter((c) => c.status === 'FAILED');
      if (failed.length > 0) {
        return {
          type: 'failed',
          code: 'LINE_FAILED',
          message: `${failed.length} line(s) of ${wf.companyName}'s transition failed (retry the workflow to run them again; Azure use is not disrupted, R-AZP-9): ${failed.map((f) => f.lastError).join('; ')}`,
        };
      }
      ctx.emit({
        type: 'MAPPING_DONE',
        message: `All ${mappings.length} Azure subscription(s) of ${wf.companyName} are attached to their Azure plan and their commerce subscriptions are suspended (R-AZP-4/8).`,
      });
      return { type: 'next', step: 'budget', state: 'MAPPED' };
    }
    // Children wake this item as they progress; the fallback recheck only covers a missed wake.
    return {
      type: 'wait',
      reason: `Product upgrade in progress: ${done} of ${mappings.length} Azure subscription(s) of ${wf.companyName} mapped.`,
      until: ctx.later(deps.wakeFallbackMs),
      state: 'UPGRADING',
    };
  });

  const budget = step<TransitionItemData>(async (ctx) => {
    const wf = ctx.workflowData;
    if (!wf.budget) {
      return { type: 'next', step: 'finish' };
    }
    const { amount, currency } = wf.budget;
    const client = clientOf(ctx);
    const customerId = customerOf(ctx);
    // R-AZP-5: the budget limit, in the customer's local currency (checked at planning).
    await ctx.journaled<{ amount: string }>(
      'budget',
      { amount, currency },
      {
        lookup: async () => {
          const current = await getUsageBudget(client, customerId);
          return current.amount !== null &&
            current.amount !== undefined &&
            Number(current.amount).toFixed(2) === Number(amount).toFixed(2)
            ? { amount }
            : undefined;
        },
        call: async (requestId) => {
          await setUsageBudget(client, customerId, amount, requestId);
          return { amount };
        },
      },
    );
    ctx.emit({
      type: 'BUDGET_SET',
      message: `Usage budget of ${wf.companyName} set to ${amount} ${currency} in Partner Center (R-AZP-5).`,
      data: { amount, currency },
    });
    await logActivity(ctx, {
      operation: 'update_customer_spending_budget',
      details: `Set the usage budget of ${wf.companyName} to ${amount} ${currency}.`,
      key: 'budget',
    });
    return {
      type: 'next',
      step: 'finish',
      state: 'BUDGET_SET',
      data: { budgetSetAt: ctx.now().toISOString() },
    };
  });

  const finish = step<TransitionItemData>(async (ctx) => {
    const wf = ctx.workflowData;
    const mappings = (await ctx.children(ctx.item.id))
      .filter((c) => c.kind === AZURE_MAPPING)
      .map((c) => parse<MappingItemData>(c));
    // R-AZP-7: consumption up to the end of the original subscription stays on the CSP invoice.
    const lines = mappings.map((m) => ({
      commerceSubscriptionId: m.commerceSubscriptionId,
      azureSubscriptionId: m.azureSubscriptionId,
      planSubscriptionId: m.planSubscriptionId ?? null,
      oldInvoiceUntil: m.upgradedAt ?? m.verifiedAt ?? null,
    }));
    ctx.emit({
      type: 'BILLING_IMPACT',
      message: lines
        .map(
          (l) =>
            `Azure subscription ${l.azureSubscriptionId}: consumption up to ${l.oldInvoiceUntil ?? 'the transition'} is billed on the existing CSP invoice under commerce subscription ${l.commerceSubscriptionId}; from then on under Azure plan ${l.planSubscriptionId ?? '?'} (R-AZP-7). Admin access to the old subscription is kept.`,
        )
        .join(' '),
      data: { lines },
    });
    await logActivity(ctx, {
      operation: 'azure_plan_transition_completed',
      details: `${wf.companyName} moved to the Azure plan: ${lines.length} Azure subscription(s) mapped; legacy Azure (MS-AZR-0145P) can no longer be ordered for this customer (R-AZP-6).`,
      key: 'finish',
    });
    ctx.emit({
      type: REMINDER_EVENT,
      message: `Transition of ${wf.companyName} to the Azure plan is complete. Reminder (R-AZP-5): ${wf.budget ? `the Partner Center budget (${wf.budget.amount} ${wf.budget.currency})` : 'a Partner Center budget'} is not carried to the Azure portal; set budgets and alerts in the Azure portal (Cost Management) as well. New Azure subscriptions are created under the Azure plan in the Azure portal (R-AZP-6).`,
    });
    return { type: 'done', state: 'DONE', data: { completedAt: ctx.now().toISOString() } };
  });

  return { check, upgrade, await_lines: awaitLines, budget, finish };
}
