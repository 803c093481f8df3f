import { type PcServiceRequest } from '../../../partner-center/contracts/service-requests.js';
import { PartnerCenterError } from '../../../partner-center/errors.js';
import { getServiceRequest } from '../../../partner-center/operations.js';
import { updateServiceRequest } from '../../../partner-center/transfer.operations.js';
import { type StepHandler } from '../../../workflows/engine/step-context.js';
import { type TransferItemData } from '../transfer.model.js';
import {
  isSupportNote,
  supportAnswerBlocker,
  supportAnswerNeedingAttention,
} from '../../shared/support-answers.js';
import { resolveSupportBlockers } from '../../shared/support-answers.repository.js';
import { formFileName, logActivity, step, type TransferStepDeps } from './common.js';

/** Phase 3: Microsoft support answers and moves the subscription (R-TRF-7: 8 business hours). */
export function supportSteps(deps: TransferStepDeps): Record<string, StepHandler> {
  const { clients, recheckMs, maxReplies, responseHours, db } = deps;

  const bySupport = isSupportNote;
  const supportAnswered = (sr: PcServiceRequest, since: string, ours: string | null | undefined) =>
    sr.status === 'closed' ||
    sr.status === 'attention_needed' ||
    (sr.notes ?? []).some(
      (n) => (n.createdDate ?? '') >= since && bySupport(n.createdByName, ours),
    );

  const awaitSupport = step<TransferItemData>(async (ctx) => {
    const data = ctx.workflowData;
    const progress = ctx.data;
    const srId = progress.serviceRequestId as string;
    const current = clients.forTenant(data.currentPartner.tenantId);
    const [sr, old] = await Promise.all([
      getServiceRequest(current, srId),
      current.getSubscription(data.customer.tenantId, data.subscription.subscriptionId),
    ]);
    const now = ctx.now().toISOString();
    const changes: TransferItemData = {};
    const attachedAt = progress.attachedAt as string;
    if (!progress.firstResponseAt && supportAnswered(sr, attachedAt, progress.ourAuthor)) {
      changes.firstResponseAt = now;
      ctx.emit({
        type: 'SUPPORT_ANSWERED',
        message: `Microsoft support answered service request ${srId}.`,
      });
    }
    const answered = Boolean(progress.firstResponseAt ?? changes.firstResponseAt);

    // The move shows as the old subscription suspended; the new partner sees a new Partner Center
    // subscription with the same Azure subscription id (R-AZP-8 two-id mapping).
    if (old.status === 'suspended') {
      let newSubscriptionId: string | null = null;
      if (data.newPartner.organizationId) {
        const seen = await clients
          .forTenant(data.newPartner.tenantId)
          .listSubscriptions(data.customer.tenantId)
          .catch((e: unknown) =>
            e instanceof PartnerCenterError && e.isNotFound ? [] : Promise.reject(e),
          );
        const moved = seen.find(
          (s) =>
            (s.entitlementId ?? s.id).toLowerCase() ===
              data.subscription.azureSubscriptionId.toLowerCase() && s.status === 'active',
        );
        if (!moved) {
          return {
            type: 'wait',
            reason: `Subscription ${data.subscription.subscriptionId} is suspended; waiting for it to appear active under the new partner.`,
            until: ctx.later(recheckMs),
            data: { ...changes },
          };
        }
        newSubscriptionId = moved.id;
      }
      // Support has moved the subscription: nothing can be canceled from here on.
      if (!(await ctx.markIrreversible())) {
        return { type: 'wait', reason: 'The workflow was canceled.' };
      }
      // What support asked for on the way is settled: its blockers are history (events keep them).
      await resolveSupportBlockers(db, ctx.workflow.id, ctx.item.id, now);
      ctx.emit({
        type: 'TRANSFERRED',
        message: `Microsoft support transferred Azure subscription ${data.subscription.azureSubscriptionId} to ${data.newPartner.name ?? data.newPartner.tenantId}${newSubscriptionId ? ` (new Partner Center subscription ${newSubscriptionId}; was ${data.subscription.subscriptionId})` : ''}.`,
        subscriptionId: newSubscriptionId ?? data.subscription.subscriptionId,
        partnerTenantId: data.newPartner.tenantId,
      });
      await logActivity(ctx, {
        operation: 'subscription_transferred',
        details: `Azure subscription ${data.subscription.azureSubscriptionId} of ${data.customer.companyName} moved from ${data.subscription.subscriptionId} (${data.currentPartner.name}) to ${newSubscriptionId ?? 'a subscription of the new partner'} (partner ${data.newPartner.tenantId}).`,
        what: 'transferred',
      });
      return {
        type: 'next',
        // R-TRF-8 needs the new partner's admin access: with GDAP on, verified first.
        step: progress.gdap ? 'gdap_await' : 'cleanup',
        state: 'TRANSFERRED',
        data: {
          ...changes,
          firstResponseAt: progress.firstResponseAt ?? changes.firstResponseAt ?? now,
          transferredAt: now,
          newSubscriptionId,
        },
      };
    }
    if (sr.status === 'closed') {
      // Support closed the ticket without moving the subscription: its last word is the reason.
      const answer = supportAnswerNeedingAttention(sr, {
        since: attachedAt,
        ours: progress.ourAuthor,
      });
      if (answer) {
        ctx.block(supportAnswerBlocker(answer));
      }
      return {
        type: 'failed',
        code: 'TICKET_CLOSED_WITHOUT_TRANSFER',
        message: `Service request ${srId} was closed but subscription ${data.subscription.subscriptionId} is still ${old.status} under ${data.currentPartner.name}${answer ? `; support wrote: ${answer.text}` : "; see the ticket's notes"}.`,
        data: { ...changes },
      };
    }

    // Support asked for something: answer once per new support note, then leave it to a person.
    if (sr.status === 'attention_needed') {
      const supportNotes = (sr.notes ?? []).filter(
        (n) =>
          bySupport(n.createdByName, progress.ourAuthor) &&
          (n.createdDate ?? '') > (progress.lastHandledNoteAt ?? attachedAt),
      );
      const latest = supportNotes.at(-1);
      if (latest) {
        const replies = progress.replies ?? 0;
        ctx.emit({
          type: 'SUPPORT_NEEDS_ATTENTION',
          message: `Support on service request ${srId}: ${latest.text ?? ''}`,
        });
        // Issue 16: support refused or asked for something; a person must see it now, in
        // support's words, not after the automatic replies ran out.
        ctx.block(
          supportAnswerBlocker({
            serviceRequestId: srId,
            kind: 'ASKS',
            text: latest.text?.trim() || '(no text)',
            at: latest.createdDate ?? now,
          }),
        );
        if (replies < maxReplies) {
          await ctx.journaled(
            `reply-${replies + 1}`,
            { note: latest.createdDate },
            {
              call: async (requestId) => {
                await updateServiceRequest(
                  current,
                  srId,
                  {
                    note: `The CSP Subscription Transfer form (${formFileName(ctx.workflow.id)}) attached to this ticket carries all three signatures (current partner, customer, new partner) and names the partner administrators ${data.partnerAdmins.map((a) => `${a.name} <${a.email}>`).join(' and ')}. The new partner is Microsoft ID ${data.newPartner.tenantId}. Please proceed with the transfer.`,
                  },
                  requestId,
                );
                return { replied: true };
              },
            },
          );
          changes.replies = replies + 1;
        }
        changes.lastHandledNoteAt = latest.createdDate ?? now;
      }
    }

    // R-TRF-7: overdue once the 8 business hours passed without an answer.
    const due = progress.responseDueAt as string;
    if (!answered && !progress.overdue && now >= due) {
      changes.overdue = true;
      ctx.emit({
        type: 'OVERDUE',
        message: `Microsoft support has not answered service request ${srId} within ${responseHours} business hours (due ${due}).`,
      });
      await logActivity(ctx, {
        operation: 'transfer_support_overdue',
        details: `Service request ${srId} unanswered past its ${responseHours}-business-hour deadline (${due}).`,
        what: 'overdue',
      });
    }
    const next =
      !answered && now < due
        ? Math.min(Date.parse(due), ctx.later(recheckMs).getTime())
        : ctx.later(recheckMs).getTime();
    return {
      type: 'wait',
      reason:
        sr.status === 'attention_needed'
          ? `Microsoft support needs something on service request ${srId} (see the blockers); waiting for the ticket to be answered.`
          : answered
            ? `Support answered service request ${srId}; waiting for the transfer to complete.`
            : `Waiting for Microsoft support to answer service request ${srId} (due ${due}).`,
      until: new Date(next),
      data: { ...changes },
    };
  });

  return { await_support: awaitSupport };
}
