import { insertActivityEntries } from '../../../modules/activity-log/activity.repository.js';
import {
  createProductUpgrade,
  getProductUpgradeEligibility,
  getProductUpgradeStatus,
  getUsageBudget,
  setUsageBudget,
} from '../../../partner-center/azure-plan.operations.js';
import { type PartnerCenterClientFactory } from '../../../partner-center/client-factory.js';
import { type PcSubscription } from '../../../partner-center/contracts/subscriptions.js';
import { PartnerCenterError } from '../../../partner-center/errors.js';
import { mapProductFamily } from '../../../partner-center/mapping.js';
import { ProductFamily } from '../../../shared/enums.js';
import { type EngineDb } from '../../../workflows/engine/db.types.js';
import { type StepOutcome, type WorkflowItemRow } from '../../../workflows/engine/engine.types.js';
import {
  type StepContext,
  type WorkflowDefinition,
} from '../../../workflows/engine/workflow-runner.js';
import * as engineRepo from '../../../workflows/engine/workflow.repository.js';
import {
  AZURE_MAPPING,
  blockerCodeOf,
  reasonCode,
  type AzurePlanData,
  type MappingItemData,
  type PlanItemData,
  type TransitionItemData,
} from '../azure-plan.model.js';

export interface AzurePlanDeps {
  db: EngineDb;
  clients: PartnerCenterClientFactory;
  /** Recheck of a product upgrade line still in progress (business time). */
  upgradeRecheckMs?: number;
  /** Recheck of a mapping Partner Center does not show yet (business time). */
  verifyRecheckMs?: number;
  /** Verification rechecks before a mapping that never shows is reported as failed. */
  maxVerifyChecks?: number;
  /** Fallback recheck for items that other items wake (business time). */
  wakeFallbackMs?: number;
}

const TERMINAL = new Set(['DONE', 'FAILED', 'BLOCKED', 'SKIPPED', 'CANCELED']);
const terminal = (item: WorkflowItemRow) => TERMINAL.has(item.status);
const parse = <T>(item: WorkflowItemRow) => JSON.parse(item.dataJson) as T;
const data = <T>(ctx: StepContext) => ctx.data as unknown as T;
const workflowData = (ctx: StepContext) => ctx.workflowData as unknown as AzurePlanData;
const lower = (v: string | null | undefined) => (v ?? '').toLowerCase();
const isAzurePlan = (s: PcSubscription) =>
  mapProductFamily(s.offerId, s.offerName) === ProductFamily.AZURE_PLAN;

export const REMINDER_EVENT = 'AZURE_PORTAL_BUDGETS_REMINDER';

/** The product upgrades the transition item started, in order (from its step journal). */
export async function upgradeRounds(
  db: EngineDb,
  transitionItemId: string,
): Promise<Array<{ round: number; upgradeId: string | null }>> {
  const steps = await engineRepo.succeededSteps(db, transitionItemId);
  return steps
    .filter((s) => /^upgrade-\d+$/.test(s.step))
    .map((s) => ({
      round: Number(s.step.slice('upgrade-'.length)),
      upgradeId: (JSON.parse(s.resultJson ?? 'null') as { upgradeId: string | null } | null)
        ?.upgradeId as string | null,
    }))
    .sort((a, b) => a.round - b.round);
}

/**
 * The Azure plan transition's steps (R-AZP-1..9). The TRANSITION item checks eligibility, runs the
 * product upgrade (again for failed lines after a retry), sets the budget and reports; AZURE_PLAN
 * items follow the plans bought (R-AZP-3); AZURE_MAPPING items follow each 0145P subscription's
 * line and verify its mapping (R-AZP-4/8). Every Partner Center write is journalled.
 */
export function azurePlanDefinition(deps: AzurePlanDeps): WorkflowDefinition {
  const { db, clients } = deps;
  const upgradeRecheckMs = deps.upgradeRecheckMs ?? 5 * 60_000;
  const verifyRecheckMs = deps.verifyRecheckMs ?? 5 * 60_000;
  const maxVerifyChecks = deps.maxVerifyChecks ?? 24;
  const wakeFallbackMs = deps.wakeFallbackMs ?? 60 * 60_000;
  const later = (ctx: StepContext, ms: number) => new Date(ctx.now().getTime() + ms);
  const clientOf = (ctx: StepContext) => clients.forTenant(workflowData(ctx).partnerTenantId);
  const customerOf = (ctx: StepContext) => workflowData(ctx).customerTenantId;

  const activity = async (
    ctx: StepContext,
    entry: { operation: string; details: string; subscriptionId?: string | null; key: string },
  ) => {
    const wf = workflowData(ctx);
    await insertActivityEntries(db, [
      {
        organizationId: ctx.workflow.organizationId,
        at: ctx.now().toISOString(),
        actor: wf.startedBy ?? ctx.workflow.createdBy,
        operation: entry.operation,
        source: 'PRODUCT',
        partnerTenantId: wf.partnerTenantId,
        customerTenantId: wf.customerTenantId,
        customerName: wf.companyName,
        workflowId: ctx.workflow.id,
        subscriptionId: entry.subscriptionId ?? null,
        details: entry.details,
        // A resumed step never writes an entry twice.
        externalId: `wf:${ctx.item.id}:${entry.key}`,
      },
    ]);
  };

  const childrenOf = (_ctx: StepContext, parentId: string) => engineRepo.childItems(db, parentId);

  /**
   * Starts product upgrade number `round` once. After a crash between the call and its journal
   * entry, Partner Center is asked first: its eligibility answer names a running upgrade
   * (900109), and "nothing left to upgrade" (900108) means ours already finished.
   */
  const startRound = async (ctx: StepContext, round: number): Promise<string | null> => {
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

  // ---- TRANSITION ------------------------------------------------------------------------------

  const check = async (ctx: StepContext): Promise<StepOutcome> => {
    const wf = workflowData(ctx);
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
    await activity(ctx, {
      operation: 'check_azure_plan_eligibility',
      details: `Partner Center confirmed ${wf.companyName} is eligible for the Azure plan (reseller relationship and MCA, R-AZP-1/2).`,
      key: 'check',
    });
    // A product upgrade cannot be undone: from here on the workflow cannot be canceled.
    if (!(await ctx.markIrreversible())) {
      return { type: 'wait', reason: 'The workflow was canceled.' };
    }
    return { type: 'next', step: 'upgrade', state: 'ELIGIBLE' };
  };

  const upgrade = async (ctx: StepContext): Promise<StepOutcome> => {
    const wf = workflowData(ctx);
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
    await activity(ctx, {
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
  };

  const awaitLines = async (ctx: StepContext): Promise<StepOutcome> => {
    const wf = workflowData(ctx);
    const children = await childrenOf(ctx, ctx.item.id);
    const mappings = children.filter((c) => c.kind === AZURE_MAPPING);
    const rounds = await upgradeRounds(db, ctx.item.id);
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
      await engineRepo.wakeItems(
        db,
        retried.map((m) => m.id),
        ctx.now().toISOString(),
      );
      ctx.emit({
        type: 'UPGRADE_RETRIED',
        message: `Product upgrade ${upgradeId ?? '(already finished)'} started again for ${retried.length} failed Azure subscription(s) of ${wf.companyName}; the ones already moved are not touched.`,
        partnerTenantId: wf.partnerTenantId,
        data: { upgradeId, round },
      });
      await activity(ctx, {
        operation: 'create_product_upgrade',
        details: `Retried the product upgrade of ${wf.companyName} (${upgradeId ?? 'already finished'}) for ${retried.map((m) => parse<MappingItemData>(m).azureSubscriptionId).join(', ')}.`,
        key: `upgrade-${round}`,
      });
      const known = data<TransitionItemData>(ctx).upgradeIds ?? [];
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
      until: later(ctx, wakeFallbackMs),
      state: 'UPGRADING',
    };
  };

  const budget = async (ctx: StepContext): Promise<StepOutcome> => {
    const wf = workflowData(ctx);
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
    await activity(ctx, {
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
  };

  const finish = async (ctx: StepContext): Promise<StepOutcome> => {
    const wf = workflowData(ctx);
    const mappings = (await childrenOf(ctx, ctx.item.id))
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
    await activity(ctx, {
      operation: 'azure_plan_transition_completed',
      details: `${wf.companyName} moved to the Azure plan: ${lines.length} Azure subscription(s) mapped; legacy Azure (MS-AZR-0145P) can no longer be ordered for this customer (R-AZP-6).`,
      key: 'finish',
    });
    ctx.emit({
      type: REMINDER_EVENT,
      message: `Transition of ${wf.companyName} to the Azure plan is complete. Reminder (R-AZP-5): ${wf.budget ? `the Partner Center budget (${wf.budget.amount} ${wf.budget.currency})` : 'a Partner Center budget'} is not carried to the Azure portal; set budgets and alerts in the Azure portal (Cost Management) as well. New Azure subscriptions are created under the Azure plan in the Azure portal (R-AZP-6).`,
    });
    return { type: 'done', state: 'DONE', data: { completedAt: ctx.now().toISOString() } };
  };

  // ---- AZURE_PLAN ------------------------------------------------------------------------------

  const awaitPlan = async (ctx: StepContext): Promise<StepOutcome> => {
    const plan = data<PlanItemData>(ctx);
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
      await activity(ctx, {
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
    const siblings = (await childrenOf(ctx, ctx.item.parentItemId ?? '')).filter(
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
      until: later(ctx, upgradeRecheckMs),
    };
  };

  // ---- AZURE_MAPPING ---------------------------------------------------------------------------

  const track = async (ctx: StepContext): Promise<StepOutcome> => {
    const line = data<MappingItemData>(ctx);
    const parentId = ctx.item.parentItemId as string;
    const latest = (await upgradeRounds(db, parentId)).at(-1);
    if (!latest) {
      return {
        type: 'wait',
        reason: 'Waiting for the product upgrade to start.',
        until: later(ctx, wakeFallbackMs),
      };
    }
    if (line.failedInUpgradeId && latest.upgradeId === line.failedInUpgradeId) {
      // Retried: the transition item starts a new product upgrade, then wakes this line.
      await engineRepo.wakeItems(db, [parentId], ctx.now().toISOString());
      return {
        type: 'wait',
        reason: `Waiting for a new product upgrade for Azure subscription ${line.azureSubscriptionId} (retry).`,
        until: later(ctx, wakeFallbackMs),
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
      until: later(ctx, upgradeRecheckMs),
      state: 'UPGRADING',
      data: { upgradeId: latest.upgradeId },
    };
  };

  const verify = async (ctx: StepContext): Promise<StepOutcome> => {
    const line = data<MappingItemData>(ctx);
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
      if (checks > maxVerifyChecks) {
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
        until: later(ctx, verifyRecheckMs),
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
    await activity(ctx, {
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
  };

  return {
    kind: 'AZURE_PLAN_TRANSITION',
    steps: {
      check,
      upgrade,
      await_lines: awaitLines,
      budget,
      finish,
      await_plan: awaitPlan,
      track,
      verify,
    },
  };
}
