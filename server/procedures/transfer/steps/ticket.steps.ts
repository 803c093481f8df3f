import {
  createServiceRequest,
  listServiceRequests,
  listSupportTopics,
} from '../../../partner-center/operations.js';
import { type StepHandler } from '../../../workflows/engine/step-context.js';
import { consolidatedSourceBlock } from '../../shared/consolidated-source.step.js';
import { type TransferItemData } from '../transfer.model.js';
import { logActivity, step, tagOf, type TransferStepDeps } from './common.js';

/** Phase 1: the Azure service ticket, opened by the current partner (R-TRF-3). */
export function ticketSteps(deps: TransferStepDeps): Record<string, StepHandler> {
  const { clients } = deps;

  // R-TRF-3: the Azure service ticket, opened by the current partner.
  const openTicket = step<TransferItemData>(async (ctx) => {
    const data = ctx.workflowData;
    const client = clients.forTenant(data.currentPartner.tenantId);
    const sub = data.subscription;
    // R-CON-7/8 at run time: a consolidation away from the current partner may have started since
    // planning; the customer's subscriptions then live under the consolidation's target.
    const refused = await consolidatedSourceBlock(ctx, deps.db, {
      partner: data.currentPartner,
      customerTenantId: data.customer.tenantId,
      customerName: data.customer.companyName,
      action: `transfer ${sub.offerName ?? sub.offerId} from ${data.currentPartner.name}`,
      write: 'ticket',
    });
    if (refused) {
      return refused;
    }
    const tag = tagOf(ctx.workflow.id);
    const description = [
      'Problem type: Subscription management. Support plan: Cloud Solution Provider. Severity: C - Minimal impact. Problem sub-type: Other general questions.',
      `Please transfer Azure subscription ID ${sub.azureSubscriptionId} (Partner Center subscription ${sub.subscriptionId}, ${sub.offerName ?? sub.offerId}) of customer ${data.customer.companyName} (Microsoft ID ${data.customer.tenantId}) from its current CSP partner ${data.currentPartner.organizationName} (Microsoft ID ${data.currentPartner.microsoftId}, Partner ID ${data.currentPartner.mpnId}) to the new CSP partner ${data.newPartner.name ?? ''} (Microsoft ID ${data.newPartner.tenantId}, Partner ID ${data.newPartner.mpnId}).`,
      `The customer requested the transfer in writing on ${data.customerRequest.receivedAt}${data.customerRequest.reference ? ` (${data.customerRequest.reference})` : ''}.`,
      `Partner administrators to contact: ${data.partnerAdmins.map((a) => `${a.name} <${a.email}>`).join(' and ')}.`,
      'The CSP Subscription Transfer form signed by the current partner, the customer and the new partner will be attached to this ticket.',
    ].join('\n');
    const created = await ctx.journaled<{ serviceRequestId: string }>(
      'ticket',
      { tag },
      {
        lookup: async () => {
          const existing = (await listServiceRequests(client)).find((sr) =>
            sr.title?.includes(tag),
          );
          return existing ? { serviceRequestId: existing.id } : undefined;
        },
        call: async (requestId) => {
          const topics = await listSupportTopics(client);
          const topic =
            topics.find((t) => /subscription management/i.test(t.name)) ??
            topics.find((t) => /azure/i.test(t.name)) ??
            topics[0];
          const sr = await createServiceRequest(
            client,
            {
              title: `Azure subscription transfer to another CSP partner: ${sub.azureSubscriptionId} ${tag}`,
              description,
              severity: 'minimal',
              supportTopicId: topic?.id ?? '0',
              ...(topic ? { supportTopicName: topic.name } : {}),
              productName: 'Microsoft Azure',
              countryCode: data.currentPartner.country,
            },
            requestId,
          );
          return { serviceRequestId: sr.id };
        },
      },
    );
    ctx.emit({
      type: 'TICKET_OPENED',
      message: `Service request ${created.serviceRequestId} asks Microsoft support to transfer Azure subscription ${sub.azureSubscriptionId} (R-TRF-3).`,
      subscriptionId: sub.subscriptionId,
      partnerTenantId: data.currentPartner.tenantId,
    });
    await logActivity(ctx, {
      operation: 'create_service_request',
      details: `Opened service request ${created.serviceRequestId}: transfer of Azure subscription ${sub.azureSubscriptionId} of ${data.customer.companyName} to partner ${data.newPartner.tenantId}.`,
      what: 'ticket',
    });
    return {
      type: 'next',
      step: 'await_form',
      state: 'TICKET_OPENED',
      data: { serviceRequestId: created.serviceRequestId },
    };
  });

  return { open_ticket: openTicket };
}
