import { PartnerCenterError } from '../../../partner-center/errors.js';
import { getServiceRequest } from '../../../partner-center/operations.js';
import { updateServiceRequest } from '../../../partner-center/transfer.operations.js';
import { type StepHandler } from '../../../workflows/engine/step-context.js';
import { addBusinessHours, businessCalendar } from '../business-hours.js';
import { TRANSFER_PARTIES, type TransferItemData } from '../transfer.model.js';
import { signaturesOf } from '../transfer.repository.js';
import { formFileName, logActivity, pdfUrl, step, toRef, type TransferStepDeps } from './common.js';

/** Phase 2: the signed form (R-TRF-4/5), attached to the ticket once complete. */
export function formSteps(deps: TransferStepDeps): Record<string, StepHandler> {
  const { db, clients, arm, signatureRecheckMs, responseHours } = deps;

  // R-TRF-7: the form goes to support only with all three signatures.
  const awaitForm = step<TransferItemData>(async (ctx) => {
    const signed = new Set((await signaturesOf(db, ctx.workflow.id)).map((s) => s.party));
    const missing = TRANSFER_PARTIES.filter((p) => !signed.has(p));
    if (missing.length > 0) {
      return {
        type: 'wait',
        reason: `Waiting for the transfer form to be signed by: ${missing.map((p) => p.toLowerCase().replace('_', ' ')).join(', ')}.`,
        until: ctx.later(signatureRecheckMs),
      };
    }
    return { type: 'next', step: 'attach' };
  });

  const attach = step<TransferItemData>(async (ctx) => {
    const data = ctx.workflowData;
    const progress = ctx.data;
    const client = clients.forTenant(data.currentPartner.tenantId);
    const srId = progress.serviceRequestId as string;
    // R-TRF-8 needs to know the old partner's access: record it while it still bills the subscription.
    let assignmentsBefore = progress.assignmentsBefore;
    if (!assignmentsBefore) {
      try {
        assignmentsBefore = (
          await arm
            .forTenant(data.currentPartner.tenantId)
            .listRoleAssignments(data.subscription.azureSubscriptionId)
        ).map(toRef);
      } catch (error) {
        if (!(error instanceof PartnerCenterError) || error.retryable) {
          throw error;
        }
        ctx.emit({
          type: 'ROLE_ASSIGNMENTS_UNREADABLE',
          message: `The role assignments of Azure subscription ${data.subscription.azureSubscriptionId} could not be read before the transfer (${error.code}: ${error.description}); the clean-up will treat every foreign partner group as the old partner's.`,
        });
        assignmentsBefore = [];
      }
    }
    const fileName = formFileName(ctx.workflow.id);
    const attached = await ctx.journaled<{ attachedAt: string; ourAuthor?: string | null }>(
      'attach',
      { serviceRequestId: srId, fileName },
      {
        lookup: async () => {
          const sr = await getServiceRequest(client, srId);
          return (sr.fileLinks ?? []).some(
            (f) => (f as { fileName?: string }).fileName === fileName || f.name === fileName,
          )
            ? { attachedAt: ctx.now().toISOString() }
            : undefined;
        },
        call: async (requestId) => {
          const updated = await updateServiceRequest(
            client,
            srId,
            {
              note: `Attached the CSP Subscription Transfer form (${fileName}) signed by all three parties. Partner administrators: ${data.partnerAdmins.map((a) => `${a.name} <${a.email}>`).join(', ')}.`,
              fileLinks: [{ fileName, fileLink: pdfUrl(deps, ctx) }],
            },
            requestId,
          );
          // Our own notes carry our user's name: never mistake them for support's answer.
          return {
            attachedAt: ctx.now().toISOString(),
            ourAuthor: updated.notes?.at(-1)?.createdByName ?? null,
          };
        },
      },
    );
    // R-TRF-7: a support engineer answers within 8 business hours of the partner's country.
    const responseDueAt = addBusinessHours(
      new Date(attached.attachedAt),
      responseHours,
      businessCalendar(data.currentPartner.country, deps.calendar),
    ).toISOString();
    ctx.emit({
      type: 'FORM_ATTACHED',
      message: `The signed transfer form is attached to service request ${srId}; support is due to answer by ${responseDueAt} (${responseHours} business hours, ${data.currentPartner.country}).`,
      subscriptionId: data.subscription.subscriptionId,
    });
    await logActivity(ctx, {
      operation: 'attach_transfer_form',
      details: `Attached the signed CSP Subscription Transfer form to service request ${srId}.`,
      what: 'attach',
    });
    return {
      type: 'next',
      step: 'await_support',
      state: 'FORM_ATTACHED',
      data: {
        attachedAt: attached.attachedAt,
        responseDueAt,
        assignmentsBefore,
        replies: 0,
        ourAuthor: attached.ourAuthor ?? null,
      },
    };
  });

  return { await_form: awaitForm, attach };
}
