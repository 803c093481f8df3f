import { type PartnerCenterClient } from '../../../partner-center/client.js';
import { type PartnerCenterClientFactory } from '../../../partner-center/client-factory.js';
import { PartnerCenterError } from '../../../partner-center/errors.js';
import { getServiceRequest, listServiceRequests } from '../../../partner-center/operations.js';
import { updateServiceRequest } from '../../../partner-center/transfer.operations.js';
import { type EngineDb } from '../../../workflows/engine/db.types.js';
import { type WorkflowItemRow, type WorkflowRow } from '../../../workflows/engine/engine.types.js';
import { type SweepContext } from '../../../workflows/engine/step-context.js';
import { TRANSFER, type TransferData, type TransferItemData } from '../transfer.model.js';
import {
  addWorkflowEvent,
  canceledTransfers,
  updateCanceledItemData,
} from '../transfer-actions.repository.js';
import { tagOf } from './common.js';

/** The sweep that closes the support ticket of a canceled transfer (R-TRF-3). */
export function ticketClosureSweep(
  db: EngineDb,
  clients: PartnerCenterClientFactory,
): (ctx: SweepContext) => Promise<string[]> {
  // The ticket of a canceled transfer: from the item, else from the journal of the create (the
  // create may have run while the cancel happened). `undefined` = look again on a later pass.
  const ticketOf = async (
    ctx: SweepContext,
    workflow: WorkflowRow,
    row: WorkflowItemRow,
    progress: TransferItemData,
    client: PartnerCenterClient,
    now: Date,
  ): Promise<string | null | undefined> => {
    if (progress.serviceRequestId) {
      return progress.serviceRequestId;
    }
    const step = await ctx.step(row.id, 'ticket');
    if (!step) {
      return null;
    }
    if (step.phase === 'SUCCEEDED') {
      return (JSON.parse(step.resultJson ?? '{}') as { serviceRequestId?: string })
        .serviceRequestId;
    }
    const tag = tagOf(workflow.id);
    const found = (await listServiceRequests(client)).find((sr) => sr.title?.includes(tag));
    // A create still in flight when the cancel came: give it a few minutes to show up.
    return (
      found?.id ?? (now.getTime() - Date.parse(step.startedAt) < 10 * 60_000 ? undefined : null)
    );
  };

  // Cancel after the ticket was opened (R-TRF-3): close it in Partner Center with a note, so
  // support does not act on a transfer the partner withdrew. A canceled workflow runs no steps, so
  // this is the engine's sweep: a failed close is retried on the next pass, and the ticket is
  // looked at before the PATCH (an already closed ticket is only recorded), so it runs once.
  return async (ctx: SweepContext): Promise<string[]> => {
    const { now } = ctx;
    const changed: string[] = [];
    const at = now.toISOString();
    const since = new Date(now.getTime() - 30 * 86_400_000).toISOString();
    for (const { workflow, item: row } of await canceledTransfers(db, TRANSFER, since)) {
      const progress = JSON.parse(row.dataJson) as TransferItemData;
      if (progress.ticketClosure) {
        continue;
      }
      const data = JSON.parse(workflow.dataJson) as TransferData;
      const client = clients.forTenant(data.currentPartner.tenantId);
      try {
        const srId = await ticketOf(ctx, workflow, row, progress, client, now);
        if (srId === undefined) {
          continue;
        }
        if (srId === null) {
          await updateCanceledItemData(db, row, { ticketClosure: { status: 'NO_TICKET', at } }, at);
          continue;
        }
        const sr = await getServiceRequest(client, srId);
        if (sr.status !== 'closed') {
          await updateServiceRequest(
            client,
            srId,
            {
              status: 'closed',
              note: `The current partner canceled this transfer request (Azure subscription ${data.subscription.azureSubscriptionId} of ${data.customer.companyName}); please do not transfer the subscription. Closing the ticket.`,
            },
            ctx.requestId(workflow.id, row.id, 'close-ticket'),
          );
        }
        await updateCanceledItemData(
          db,
          row,
          { ticketClosure: { status: 'CLOSED', at, serviceRequestId: srId } },
          at,
        );
        await addWorkflowEvent(db, {
          workflowId: workflow.id,
          itemId: row.id,
          at,
          type: 'TICKET_CLOSED',
          message: `Service request ${srId} ${sr.status === 'closed' ? 'was already closed' : 'closed in Partner Center'} after the transfer was canceled.`,
        });
        await ctx.activity.record({
          organizationId: workflow.organizationId,
          at,
          actor: data.startedBy ?? workflow.createdBy,
          operation: 'close_service_request',
          source: 'PRODUCT',
          partnerTenantId: data.currentPartner.tenantId,
          customerTenantId: data.customer.tenantId,
          customerName: data.customer.companyName,
          workflowId: workflow.id,
          subscriptionId: data.subscription.subscriptionId,
          details: `Closed service request ${srId}: the transfer of Azure subscription ${data.subscription.azureSubscriptionId} was canceled.`,
          externalId: `wf:${row.id}:close-ticket`,
        });
        changed.push(workflow.id);
      } catch (error) {
        if (!(error instanceof PartnerCenterError) || error.retryable) {
          continue; // transport trouble: the next pass tries again
        }
        await updateCanceledItemData(
          db,
          row,
          { ticketClosure: { status: 'FAILED', at, error: `${error.code}: ${error.description}` } },
          at,
        );
        await addWorkflowEvent(db, {
          workflowId: workflow.id,
          itemId: row.id,
          at,
          type: 'TICKET_CLOSE_FAILED',
          message: `The support ticket of the canceled transfer could not be closed (${error.code}: ${error.description}); close it in Partner Center.`,
        });
        changed.push(workflow.id);
      }
    }
    return changed;
  };
}
