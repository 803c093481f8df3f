import {
  createServiceRequest,
  listServiceRequests,
  listSupportTopics,
} from '../../../partner-center/operations.js';
import { type StepHandler } from '../../../workflows/engine/step-context.js';
import {
  AZURE_SUPPORT_MIGRATION,
  type SubscriptionItemData,
  type SupportBatchResult,
} from '../consolidation.model.js';
import { type ConsolidationStepDeps, step } from './common.js';

/** SUPPORT_REQUEST: one Microsoft support request per batch of ready Azure subscriptions (R-CON-6). */
export function supportRequestSteps(deps: ConsolidationStepDeps): Record<string, StepHandler> {
  const { clients } = deps;

  const collect = step(async (ctx) => {
    const wf = ctx.workflowData;
    const azure = await ctx.itemsOfKind(AZURE_SUPPORT_MIGRATION);
    const done = await ctx.succeededSteps(ctx.item.id);
    const assigned = new Set(
      done.flatMap(
        (s) => (JSON.parse(s.resultJson ?? 'null') as SupportBatchResult | null)?.itemIds ?? [],
      ),
    );
    const ready = azure.filter((i) => i.state === 'READY' && !assigned.has(i.id));
    if (ready.length > 0) {
      const batchNo = done.length + 1;
      const target = clients.forTenant(wf.target.tenantId);
      const items = ready.map((i) => ({
        id: i.id,
        ...(JSON.parse(i.dataJson) as SubscriptionItemData),
        customerTenantId: i.customerTenantId,
      }));
      const companyNames = [...new Set(items.map((i) => i.companyName))].sort();
      const tag = `[csp-migrations ${ctx.workflow.id.slice(0, 8)}-${batchNo}]`;
      const title = `Regional tenant consolidation: migrate Azure subscriptions ${tag}`;
      const sourceNames = wf.sources
        .map((s) => `${s.name} (tenant ${s.tenantId}, Partner ID ${s.mpnId})`)
        .join(', ');
      const description = [
        `Regional authorization tenant consolidation. Transition from: ${sourceNames}. Transition to: ${wf.target.name} (tenant ${wf.target.tenantId}, Partner ID ${wf.target.mpnId}).`,
        `The following customers have accepted the reseller relationship with the transition-to tenant; please migrate their Azure usage-based subscriptions with all deployed resources.`,
        `Customers (company names): ${companyNames.join('; ')}.`,
        ...items.map(
          (i) =>
            `- ${i.companyName} (customer tenant ${i.customerTenantId}): Azure subscription ${i.azureSubscriptionId}, Partner Center subscription ${i.sourceSubscriptionId}, from tenant ${i.sourceTenantId}.`,
        ),
      ].join('\n');
      const batch = await ctx.journaled<SupportBatchResult>(
        `request-${batchNo}`,
        { itemIds: items.map((i) => i.id), companyNames },
        {
          lookup: async () => {
            const existing = (await listServiceRequests(target)).find((sr) =>
              sr.title?.includes(tag),
            );
            return existing
              ? { serviceRequestId: existing.id, itemIds: items.map((i) => i.id), companyNames }
              : undefined;
          },
          call: async (requestId) => {
            const topics = await listSupportTopics(target);
            const topic =
              topics.find((t) => /subscription management/i.test(t.name)) ??
              topics.find((t) => /azure/i.test(t.name)) ??
              topics[0];
            const created = await createServiceRequest(
              target,
              {
                title,
                description,
                severity: 'minimal',
                supportTopicId: topic?.id ?? '0',
                ...(topic ? { supportTopicName: topic.name } : {}),
                productName: 'Microsoft Azure',
                countryCode: wf.target.country,
              },
              requestId,
            );
            return { serviceRequestId: created.id, itemIds: items.map((i) => i.id), companyNames };
          },
        },
      );
      await ctx.wake(batch.itemIds);
      ctx.emit({
        type: 'SUPPORT_REQUESTED',
        message: `Service request ${batch.serviceRequestId} asks Microsoft support to migrate the Azure subscriptions of: ${batch.companyNames.join(', ')}.`,
        partnerTenantId: wf.target.tenantId,
      });
      await ctx.activity.record({
        operation: 'create_service_request',
        partnerTenantId: wf.target.tenantId,
        customerTenantId: null,
        customerName: batch.companyNames.join(', '),
        details: `Service request ${batch.serviceRequestId}: migrate Azure subscriptions of ${batch.companyNames.join(', ')}.`,
        externalId: `wf:${ctx.item.id}:request-${batchNo}`,
      });
      return { type: 'next', step: 'collect', state: 'REQUESTED' };
    }
    const open = azure.filter(
      (i) => !assigned.has(i.id) && ['PENDING', 'RUNNING', 'WAITING'].includes(i.status),
    );
    if (open.length === 0) {
      return { type: 'done', state: 'DONE' };
    }
    return {
      type: 'wait',
      reason: `${open.length} Azure subscription(s) wait for their customer to accept before support can be asked.`,
      until: ctx.later(deps.wakeFallbackMs),
    };
  });

  return { collect };
}
