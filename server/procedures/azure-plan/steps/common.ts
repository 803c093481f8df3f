import { type ProductOperation } from '../../../shared/activity-operations.js';
import { type PartnerCenterClientFactory } from '../../../partner-center/client-factory.js';
import { type PcSubscription } from '../../../partner-center/contracts/subscriptions.js';
import { mapProductFamily } from '../../../partner-center/mapping.js';
import { ProductFamily } from '../../../shared/enums.js';
import { type EngineDb } from '../../../workflows/engine/db.types.js';
import { type WorkflowItemRow } from '../../../workflows/engine/engine.types.js';
import { type StepContext, stepsOf } from '../../../workflows/engine/step-context.js';
import { type AzurePlanData } from '../azure-plan.model.js';

/** What the Azure plan transition's steps use besides their context (defaults applied). */
export interface AzurePlanStepDeps {
  /** The R-CON-7/8 guard's reads (consolidated-source.step.ts). */
  db: EngineDb;
  clients: PartnerCenterClientFactory;
  /** Recheck of a product upgrade line still in progress (business time). */
  upgradeRecheckMs: number;
  /** Recheck of a mapping Partner Center does not show yet (business time). */
  verifyRecheckMs: number;
  /** Verification rechecks before a mapping that never shows is reported as failed. */
  maxVerifyChecks: number;
  /** Fallback recheck for items that other items wake (business time). */
  wakeFallbackMs: number;
}

/** The transition's step handlers: typed workflow data, each item kind its own data. */
export const step = stepsOf<AzurePlanData>();

export const TERMINAL = new Set(['DONE', 'FAILED', 'BLOCKED', 'SKIPPED', 'CANCELED']);
export const terminal = (item: WorkflowItemRow) => TERMINAL.has(item.status);
export const parse = <T>(item: WorkflowItemRow) => JSON.parse(item.dataJson) as T;
export const lower = (v: string | null | undefined) => (v ?? '').toLowerCase();
export const isAzurePlan = (s: PcSubscription) =>
  mapProductFamily(s.offerId, s.offerName) === ProductFamily.AZURE_PLAN;

export const REMINDER_EVENT = 'AZURE_PORTAL_BUDGETS_REMINDER';

/** The product upgrades the transition item started, in order (from its step journal). */
export async function upgradeRounds(
  ctx: Pick<StepContext, 'succeededSteps'>,
  transitionItemId: string,
): Promise<Array<{ round: number; upgradeId: string | null }>> {
  const steps = await ctx.succeededSteps(transitionItemId);
  return steps
    .filter((s) => /^upgrade-\d+$/.test(s.step))
    .map((s) => ({
      round: Number(s.step.slice('upgrade-'.length)),
      upgradeId: (JSON.parse(s.resultJson ?? 'null') as { upgradeId: string | null } | null)
        ?.upgradeId as string | null,
    }))
    .sort((a, b) => a.round - b.round);
}

/** An activity entry of a step: once per item and `key`, for the customer in transition. */
export function logActivity<I>(
  ctx: StepContext<AzurePlanData, I>,
  entry: {
    operation: ProductOperation;
    details: string;
    subscriptionId?: string | null;
    key: string;
  },
): Promise<void> {
  const wf = ctx.workflowData;
  return ctx.activity.record({
    operation: entry.operation,
    details: entry.details,
    partnerTenantId: wf.partnerTenantId,
    customerTenantId: wf.customerTenantId,
    customerName: wf.companyName,
    subscriptionId: entry.subscriptionId ?? null,
    // A resumed step never writes an entry twice.
    externalId: `wf:${ctx.item.id}:${entry.key}`,
  });
}
