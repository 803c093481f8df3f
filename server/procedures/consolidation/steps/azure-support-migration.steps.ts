import { getServiceRequest } from '../../../partner-center/operations.js';
import { type EngineDb } from '../../../workflows/engine/db.types.js';
import { resolveSupportBlockers } from '../../shared/support-answers.repository.js';
import { type StepOutcome } from '../../../workflows/engine/engine.types.js';
import { type StepContext, type StepHandler } from '../../../workflows/engine/step-context.js';
import {
  SUPPORT_NEEDS_ATTENTION,
  supportAnswerBlocker,
  supportAnswerNeedingAttention,
} from '../../shared/support-answers.js';
import {
  type ConsolidationData,
  SUPPORT_REQUEST,
  type SubscriptionItemData,
  type SupportBatchResult,
} from '../consolidation.model.js';
import { consolidatedSourceBlock } from '../../shared/consolidated-source.step.js';
import { type ConsolidationStepDeps, logActivity, step } from './common.js';

/** AZURE_SUPPORT_MIGRATION: ready once the customer accepted, then Microsoft support migrates it (R-CON-6). */
export function azureSupportMigrationSteps(
  deps: ConsolidationStepDeps & { db: EngineDb },
): Record<string, StepHandler> {
  const { clients } = deps;
  // A workflow's support item never changes: looked up once per workflow, not per Azure item.
  const supportItems = new Map<string, string | undefined>();
  const supportItemId = async (ctx: StepContext<ConsolidationData, SubscriptionItemData>) => {
    if (!supportItems.has(ctx.workflow.id)) {
      const [row] = await ctx.itemsOfKind(SUPPORT_REQUEST);
      if (supportItems.size >= 1_000) {
        supportItems.clear();
      }
      supportItems.set(ctx.workflow.id, row?.id);
    }
    return supportItems.get(ctx.workflow.id);
  };

  const azureReady = step<SubscriptionItemData>(async (ctx) => {
    // R-CON-7/8 at run time: support is never asked to move Azure into a tenant the customer has
    // been consolidated away from since planning.
    const refused = await consolidatedSourceBlock(ctx, deps.db, {
      partner: ctx.workflowData.target,
      customerTenantId: ctx.item.customerTenantId as string,
      customerName: ctx.data.companyName,
      action: `migrate Azure subscription ${ctx.data.azureSubscriptionId ?? ctx.data.sourceSubscriptionId} of ${ctx.data.companyName} to ${ctx.workflowData.target.name}`,
    });
    if (refused) {
      return refused;
    }
    // R-CON-6: ready for Microsoft support once the customer accepted the target.
    const supportId = await supportItemId(ctx);
    if (supportId) {
      await ctx.wake([supportId]);
    }
    return {
      type: 'wait',
      step: 'await_request',
      reason: 'Ready for the Microsoft support request.',
      state: 'READY',
      until: ctx.later(0),
      quiet: true,
    };
  });

  const azureAwaitRequest = step<SubscriptionItemData>(async (ctx) => {
    const supportId = await supportItemId(ctx);
    const batches = supportId ? await ctx.succeededSteps(supportId) : [];
    for (const step of batches) {
      const batch = JSON.parse(step.resultJson ?? 'null') as SupportBatchResult | null;
      if (batch?.itemIds.includes(ctx.item.id)) {
        return {
          type: 'next',
          step: 'await_migration',
          state: 'REQUESTED',
          data: { serviceRequestId: batch.serviceRequestId },
        };
      }
    }
    return {
      type: 'wait',
      reason: 'Waiting for the Microsoft support request to be filed.',
      until: ctx.later(deps.wakeFallbackMs),
      state: 'READY',
      quiet: true,
    };
  });

  /**
   * Issue 16 item 11: support's answer on the batch's ticket, read while the subscription is not
   * migrated. An answer that asks for something (attention_needed) or refuses (closed) becomes a
   * blocker on this customer's item with support's text, once per answer; a closed ticket fails
   * the item (nothing more will happen on it; retryWorkflow re-checks).
   */
  const supportAnswer = async (
    ctx: StepContext<ConsolidationData, SubscriptionItemData>,
  ): Promise<StepOutcome | null> => {
    const sub = ctx.data;
    if (!sub.serviceRequestId) {
      return null;
    }
    const target = clients.forTenant(ctx.workflowData.target.tenantId);
    const sr = await getServiceRequest(target, sub.serviceRequestId);
    const answer = supportAnswerNeedingAttention(sr, { since: sub.supportAnswerAt });
    const closed = (sr.status ?? '').toLowerCase() === 'closed';
    if (!answer && !closed) {
      return null;
    }
    if (answer) {
      ctx.block({ ...supportAnswerBlocker(answer), subject: sub.sourceSubscriptionId });
      ctx.emit({
        type: SUPPORT_NEEDS_ATTENTION,
        message: `Microsoft support on service request ${sr.id} about ${sub.companyName}: ${answer.text}`,
        subscriptionId: sub.sourceSubscriptionId,
      });
    }
    const at = answer?.at || ctx.now().toISOString();
    if (closed) {
      return {
        type: 'failed',
        code: 'SUPPORT_CLOSED_WITHOUT_MIGRATION',
        message: `Microsoft support closed service request ${sr.id} but Azure subscription ${sub.azureSubscriptionId} of ${sub.companyName} is not migrated${answer ? `; support wrote: ${answer.text}` : ''}.`,
        data: { supportAnswerAt: at },
      };
    }
    return {
      type: 'wait',
      reason: `Microsoft support needs something on service request ${sr.id} before it migrates Azure subscription ${sub.azureSubscriptionId} of ${sub.companyName} (see the blockers).`,
      data: { supportAnswerAt: at },
    };
  };

  const azureAwaitMigration = step<SubscriptionItemData>(async (ctx) => {
    const wf = ctx.workflowData;
    const sub = ctx.data;
    const customerId = ctx.item.customerTenantId as string;
    const targetSubs = await clients.forTenant(wf.target.tenantId).listSubscriptions(customerId);
    const azureId = (sub.azureSubscriptionId ?? '').toLowerCase();
    // The moved subscription keeps its Azure subscription id (legacy Azure) or names its origin
    // (`migratedFromSubscriptionId`, e.g. an Azure plan, whose own id changes).
    const moved = targetSubs.find(
      (s) =>
        s.status === 'active' &&
        ((s.entitlementId ?? '').toLowerCase() === azureId ||
          s.migratedFromSubscriptionId?.toLowerCase() === sub.sourceSubscriptionId.toLowerCase()),
    );
    // R-CON-6: verified only when the source shows Suspended and the target Active. The source
    // is read only once the target shows the move: while Microsoft works, a poll costs one call.
    const source = moved
      ? await clients
          .forTenant(sub.sourceTenantId)
          .getSubscription(customerId, sub.sourceSubscriptionId)
      : undefined;
    if (!moved || source?.status !== 'suspended') {
      const answered = await supportAnswer(ctx);
      if (answered) {
        return answered;
      }
      return {
        type: 'wait',
        reason: `Waiting for Microsoft support to migrate Azure subscription ${sub.azureSubscriptionId} of ${sub.companyName} (service request ${sub.serviceRequestId ?? '?'}).`,
        quiet: true,
      };
    }
    const now = ctx.now().toISOString();
    if (sub.supportAnswerAt) {
      // Support asked for something earlier and migrated after all: that blocker is history.
      await resolveSupportBlockers(deps.db, ctx.workflow.id, ctx.item.id, now);
    }
    ctx.emit({
      type: 'AZURE_MIGRATED',
      message: `Azure subscription ${sub.azureSubscriptionId} of ${sub.companyName} is active under ${wf.target.name} and suspended at the source.`,
      subscriptionId: moved.id,
    });
    await logActivity(ctx, {
      operation: 'azure_subscription_migrated',
      details: `Microsoft support migrated Azure subscription ${sub.azureSubscriptionId} of ${sub.companyName} to ${wf.target.name} (service request ${sub.serviceRequestId ?? '?'}).`,
      subscriptionId: moved.id,
      externalId: `${ctx.item.id}:migrated`,
      tenantId: wf.target.tenantId,
    });
    return {
      type: 'done',
      state: 'MIGRATED',
      data: {
        targetSubscriptionId: moved.id,
        targetActiveAt: now,
        sourceSuspendedAt: now,
        overlapDays: 0,
      },
    };
  });

  return {
    ready: azureReady,
    await_request: azureAwaitRequest,
    await_migration: azureAwaitMigration,
  };
}
