import {
  OWNER_ROLE_DEFINITION_GUID,
  ownerRoleDefinitionId,
  type ArmClient,
  type ArmClientFactory,
  type ArmRoleAssignment,
} from '../../../azure-rm/arm.client.js';
import { insertActivityEntries } from '../../../modules/activity-log/activity.repository.js';
import { type PartnerCenterClient } from '../../../partner-center/client.js';
import { type PartnerCenterClientFactory } from '../../../partner-center/client-factory.js';
import { type PcServiceRequest } from '../../../partner-center/contracts/service-requests.js';
import { PartnerCenterError } from '../../../partner-center/errors.js';
import {
  createServiceRequest,
  getServiceRequest,
  listServiceRequests,
  listSupportTopics,
} from '../../../partner-center/operations.js';
import { updateServiceRequest } from '../../../partner-center/transfer.operations.js';
import { type EngineDb } from '../../../workflows/engine/db.types.js';
import {
  type StepOutcome,
  type WorkflowItemRow,
  type WorkflowRow,
} from '../../../workflows/engine/engine.types.js';
import { stepRequestId } from '../../../workflows/engine/request-id.js';
import { getStep } from '../../../workflows/engine/workflow.repository.js';
import {
  type StepContext,
  type WorkflowDefinition,
} from '../../../workflows/engine/workflow-runner.js';
import { type AdminAgentsGroupLookup } from '../admin-agents.js';
import {
  addBusinessHours,
  businessCalendar,
  type BusinessCalendarOptions,
} from '../business-hours.js';
import {
  TRANSFER,
  TRANSFER_PARTIES,
  type RoleAssignmentRef,
  type TransferData,
  type TransferItemData,
} from '../transfer.model.js';
import {
  addWorkflowEvent,
  canceledTransfers,
  cleanupConfirmation,
  updateCanceledItemData,
} from '../transfer-actions.repository.js';
import { resolveBlockers, signaturesOf } from '../transfer.repository.js';

export interface TransferDeps {
  db: EngineDb;
  clients: PartnerCenterClientFactory;
  arm: ArmClientFactory;
  /** Absolute base URL of this API: the attached form's file link. */
  publicUrl: string;
  /** Support's calendar (R-TRF-7): public holidays of the partner's country, overrides. */
  calendar?: BusinessCalendarOptions;
  /** R-TRF-7: business hours support has to answer (default 8). */
  responseBusinessHours?: number;
  /** Recheck of the ticket and of a manual clean-up (business time). */
  recheckMs?: number;
  /** Fallback recheck while waiting for signatures (signing wakes the item at once). */
  signatureRecheckMs?: number;
  /** Replies to "attention needed" before a person has to look (blocker). */
  maxReplies?: number;
  /** Admin Agents group of a partner tenant, from the partner directory (R-TRF-8). */
  adminAgentsGroupOf?: AdminAgentsGroupLookup;
}

const FOREIGN_GROUP = /^foreigngroup$/i;
// Support's notes carry its name; a partner's notes carry the user's UPN (emulator and portal alike).
const SUPPORT_AUTHOR = /^microsoft\b|\bsupport\b/i;

const toRef = (a: ArmRoleAssignment): RoleAssignmentRef => ({
  id: a.id,
  name: a.name,
  principalId: a.properties.principalId,
  principalType: a.properties.principalType ?? null,
  roleDefinitionId: a.properties.roleDefinitionId,
});

const tagOf = (workflowId: string) => `[csp-migrations transfer ${workflowId.slice(0, 8)}]`;
export const formFileName = (workflowId: string) =>
  `CSP-Subscription-Transfer-Form-${workflowId.slice(0, 8)}.pdf`;

const isOwnerRole = (roleDefinitionId: string) =>
  roleDefinitionId.toLowerCase().endsWith(`/${OWNER_ROLE_DEFINITION_GUID}`);

function isDenied(error: unknown): boolean {
  return error instanceof PartnerCenterError && (error.status === 403 || error.status === 401);
}

/** The transfer's steps (R-TRF-3..8). Every Partner Center and ARM write is journalled. */
export function transferDefinition(deps: TransferDeps): WorkflowDefinition {
  const { db, clients, arm } = deps;
  const recheckMs = deps.recheckMs ?? 60 * 60_000;
  const signatureRecheckMs = deps.signatureRecheckMs ?? 6 * 60 * 60_000;
  const maxReplies = deps.maxReplies ?? 3;
  const responseHours = deps.responseBusinessHours ?? 8;
  const wf = (ctx: StepContext) => ctx.workflowData as unknown as TransferData;
  const item = (ctx: StepContext) => ctx.data as unknown as TransferItemData;
  const later = (ctx: StepContext, ms: number) => new Date(ctx.now().getTime() + ms);
  const pdfUrl = (ctx: StepContext) =>
    `${deps.publicUrl.replace(/\/+$/, '')}/transfer-forms/${ctx.workflow.id}.pdf`;

  const activity = async (
    ctx: StepContext,
    entry: {
      operation: string;
      details: string;
      what: string;
      tenantId?: string;
      subscriptionId?: string;
    },
  ) => {
    const data = wf(ctx);
    await insertActivityEntries(db, [
      {
        organizationId: ctx.workflow.organizationId,
        at: ctx.now().toISOString(),
        actor: data.startedBy ?? ctx.workflow.createdBy,
        operation: entry.operation,
        source: 'PRODUCT',
        partnerTenantId: entry.tenantId ?? data.currentPartner.tenantId,
        customerTenantId: data.customer.tenantId,
        customerName: data.customer.companyName,
        workflowId: ctx.workflow.id,
        subscriptionId: entry.subscriptionId ?? data.subscription.subscriptionId,
        details: entry.details,
        externalId: `wf:${ctx.item.id}:${entry.what}`,
      },
    ]);
  };

  // R-TRF-3: the Azure service ticket, opened by the current partner.
  const openTicket = async (ctx: StepContext): Promise<StepOutcome> => {
    const data = wf(ctx);
    const client = clients.forTenant(data.currentPartner.tenantId);
    const tag = tagOf(ctx.workflow.id);
    const sub = data.subscription;
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
    await activity(ctx, {
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
  };

  // R-TRF-7: the form goes to support only with all three signatures.
  const awaitForm = async (ctx: StepContext): Promise<StepOutcome> => {
    const signed = new Set((await signaturesOf(db, ctx.workflow.id)).map((s) => s.party));
    const missing = TRANSFER_PARTIES.filter((p) => !signed.has(p));
    if (missing.length > 0) {
      return {
        type: 'wait',
        reason: `Waiting for the transfer form to be signed by: ${missing.map((p) => p.toLowerCase().replace('_', ' ')).join(', ')}.`,
        until: later(ctx, signatureRecheckMs),
      };
    }
    return { type: 'next', step: 'attach' };
  };

  const attach = async (ctx: StepContext): Promise<StepOutcome> => {
    const data = wf(ctx);
    const progress = item(ctx);
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
              fileLinks: [{ fileName, fileLink: pdfUrl(ctx) }],
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
    await activity(ctx, {
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
  };

  const bySupport = (author: string | null | undefined, ours: string | null | undefined) =>
    Boolean(author) && author !== ours && SUPPORT_AUTHOR.test(author ?? '');
  const supportAnswered = (sr: PcServiceRequest, since: string, ours: string | null | undefined) =>
    sr.status === 'closed' ||
    sr.status === 'attention_needed' ||
    (sr.notes ?? []).some(
      (n) => (n.createdDate ?? '') >= since && bySupport(n.createdByName, ours),
    );

  const awaitSupport = async (ctx: StepContext): Promise<StepOutcome> => {
    const data = wf(ctx);
    const progress = item(ctx);
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
            until: later(ctx, recheckMs),
            data: { ...changes },
          };
        }
        newSubscriptionId = moved.id;
      }
      // Support has moved the subscription: nothing can be canceled from here on.
      if (!(await ctx.markIrreversible())) {
        return { type: 'wait', reason: 'The workflow was canceled.' };
      }
      ctx.emit({
        type: 'TRANSFERRED',
        message: `Microsoft support transferred Azure subscription ${data.subscription.azureSubscriptionId} to ${data.newPartner.name ?? data.newPartner.tenantId}${newSubscriptionId ? ` (new Partner Center subscription ${newSubscriptionId}; was ${data.subscription.subscriptionId})` : ''}.`,
        subscriptionId: newSubscriptionId ?? data.subscription.subscriptionId,
        partnerTenantId: data.newPartner.tenantId,
      });
      await activity(ctx, {
        operation: 'subscription_transferred',
        details: `Azure subscription ${data.subscription.azureSubscriptionId} of ${data.customer.companyName} moved from ${data.subscription.subscriptionId} (${data.currentPartner.name}) to ${newSubscriptionId ?? 'a subscription of the new partner'} (partner ${data.newPartner.tenantId}).`,
        what: 'transferred',
      });
      return {
        type: 'next',
        step: 'cleanup',
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
      return {
        type: 'failed',
        code: 'TICKET_CLOSED_WITHOUT_TRANSFER',
        message: `Service request ${srId} was closed but subscription ${data.subscription.subscriptionId} is still ${old.status} under ${data.currentPartner.name}; see the ticket's notes.`,
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
                    note: `The CSP Subscription Transfer form (${formFileName(ctx.workflow.id)}) attached to this ticket carries all three signatures (current partner, customer, new partner) and names the partner administrators ${data.partnerAdmins.map((a) => `${a.name} <${a.email}>`).join(' and ')}. The new partner (Microsoft ID ${data.newPartner.tenantId}) has a reseller relationship with the customer. Please proceed with the transfer.`,
                  },
                  requestId,
                );
                return { replied: true };
              },
            },
          );
          changes.replies = replies + 1;
        } else {
          ctx.block({
            code: 'SUPPORT_NEEDS_ATTENTION',
            message: `Microsoft support still needs something on service request ${srId} after ${replies} automatic replies: ${latest.text ?? ''}`,
          });
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
      await activity(ctx, {
        operation: 'transfer_support_overdue',
        details: `Service request ${srId} unanswered past its ${responseHours}-business-hour deadline (${due}).`,
        what: 'overdue',
      });
    }
    const next =
      !answered && now < due
        ? Math.min(Date.parse(due), later(ctx, recheckMs).getTime())
        : later(ctx, recheckMs).getTime();
    return {
      type: 'wait',
      reason: answered
        ? `Support answered service request ${srId}; waiting for the transfer to complete.`
        : `Waiting for Microsoft support to answer service request ${srId} (due ${due}).`,
      until: new Date(next),
      data: { ...changes },
    };
  };

  // R-TRF-8 first half: the new partner adds itself on the customer's Azure subscription (its
  // Admin Agents group as Owner, as CSP delegated access has it) before the old access goes, so the
  // subscription is never left without a partner able to manage it. Look before create.
  const addSelf = async (
    ctx: StepContext,
    client: ArmClient,
    azureId: string,
    group: string,
    listed: RoleAssignmentRef[],
  ): Promise<void> => {
    const data = wf(ctx);
    const own = (all: RoleAssignmentRef[]) =>
      all.find((a) => a.principalId === group && isOwnerRole(a.roleDefinitionId));
    if (own(listed)) {
      return;
    }
    const findAgain = async () => {
      const found = own((await client.listRoleAssignments(azureId)).map(toRef));
      return found ? { id: found.id, name: found.name } : undefined;
    };
    const added = await ctx.journaled<{ id: string; name: string }>(
      'add-self',
      { principalId: group, role: OWNER_ROLE_DEFINITION_GUID },
      {
        lookup: findAgain,
        call: async (requestId) => {
          try {
            const created = await client.createRoleAssignment(
              azureId,
              // ARM names an assignment by a GUID the caller picks: deterministic per transfer.
              ctx.requestId('add-self-assignment-name'),
              {
                roleDefinitionId: ownerRoleDefinitionId(azureId),
                principalId: group,
                principalType: 'ForeignGroup',
              },
              requestId,
            );
            return { id: created.id, name: created.name };
          } catch (error) {
            // 409 RoleAssignmentExists: someone (or our own earlier attempt) already added it.
            const existing =
              error instanceof PartnerCenterError && error.status === 409
                ? await findAgain()
                : undefined;
            if (existing) {
              return existing;
            }
            throw error;
          }
        },
      },
    );
    ctx.emit({
      type: 'ACCESS_ADDED',
      message: `${data.newPartner.name ?? data.newPartner.tenantId} added its Admin Agents group (${group}) as Owner of Azure subscription ${azureId} (R-TRF-8).`,
      partnerTenantId: data.newPartner.tenantId,
    });
    await activity(ctx, {
      operation: 'create_role_assignment',
      details: `Added role assignment ${added.id} (Owner for the Admin Agents group ${group} of ${data.newPartner.name ?? data.newPartner.tenantId}) on Azure subscription ${azureId}.`,
      what: 'add-self',
      tenantId: data.newPartner.tenantId,
    });
  };

  // R-TRF-8: the new partner removes the old partner's access to the subscription.
  const cleanup = async (ctx: StepContext): Promise<StepOutcome> => {
    const data = wf(ctx);
    const progress = item(ctx);
    const azureId = data.subscription.azureSubscriptionId;
    const before = progress.assignmentsBefore ?? [];
    const [currentGroup, newGroup] = await Promise.all([
      deps.adminAgentsGroupOf?.(data.currentPartner.tenantId) ?? null,
      data.newPartner.organizationId
        ? (deps.adminAgentsGroupOf?.(data.newPartner.tenantId) ?? null)
        : null,
    ]);
    // The old partner's principals: the foreign groups that held a role before the transfer, and
    // the current partner's own Admin Agents group when the directory knows it.
    const oldPrincipals = new Set([
      ...before.filter((a) => FOREIGN_GROUP.test(a.principalType ?? '')).map((a) => a.principalId),
      ...(currentGroup ? [currentGroup] : []),
    ]);
    oldPrincipals.delete(newGroup ?? '');
    const isOld = (a: RoleAssignmentRef) =>
      a.principalId !== newGroup &&
      (oldPrincipals.size > 0
        ? oldPrincipals.has(a.principalId)
        : FOREIGN_GROUP.test(a.principalType ?? ''));

    if (!data.newPartner.organizationId) {
      // Not served here: list what the new partner must remove, recheck until the access is gone.
      let remaining: RoleAssignmentRef[];
      try {
        remaining = (await arm.forTenant(data.currentPartner.tenantId).listRoleAssignments(azureId))
          .map(toRef)
          .filter(isOld);
      } catch (error) {
        if (!isDenied(error)) {
          throw error;
        }
        remaining = []; // our access is gone: the new partner removed it
      }
      // confirmTransferCleanup: an admin of the owning organization confirms the new partner did it.
      const confirmed = await cleanupConfirmation(db, ctx.workflow.id);
      if (remaining.length === 0 || confirmed) {
        await resolveBlockers(
          db,
          ctx.workflow.id,
          'MANUAL_CLEANUP_REQUIRED',
          ctx.now().toISOString(),
        );
        ctx.emit({
          type: 'CLEANED_UP',
          message:
            remaining.length === 0
              ? `The old partner's role assignments on Azure subscription ${azureId} are gone.`
              : `${confirmed?.by ?? 'An administrator'} confirmed that the new partner removed the old partner's access to Azure subscription ${azureId}${remaining.length ? ` (still listed to us: ${remaining.map((a) => a.id).join(', ')})` : ''}.`,
        });
        await activity(ctx, {
          operation: 'role_assignments_cleaned_up',
          details: `The new partner removed the old partner's access to Azure subscription ${azureId}.`,
          what: 'cleanup-manual',
        });
        return {
          type: 'done',
          state: 'DONE',
          data: {
            removedRoleAssignments: (progress.manualRemovals ?? []).map((a) => a.id),
            manualRemovals: [],
          },
        };
      }
      if (!progress.manualRemovals) {
        ctx.block({
          code: 'MANUAL_CLEANUP_REQUIRED',
          message: `The new partner must remove these role assignments of the old partner on Azure subscription ${azureId} (R-TRF-8): ${remaining.map((a) => a.id).join(', ')}.`,
        });
      }
      return {
        type: 'wait',
        state: 'CLEANUP_MANUAL',
        reason: `Waiting for the new partner to remove ${remaining.length} role assignment(s) of the old partner.`,
        until: later(ctx, recheckMs * 6),
        data: { manualRemovals: remaining },
      };
    }

    const client = arm.forTenant(data.newPartner.tenantId);
    if (!newGroup) {
      return {
        type: 'failed',
        code: 'ADMIN_AGENTS_GROUP_UNKNOWN',
        message: `The partner directory gives no Admin Agents group for ${data.newPartner.name ?? data.newPartner.tenantId} (tenant ${data.newPartner.tenantId}); set its adminAgentsGroupId in PARTNER_DIRECTORY and retry. The old partner's access was left in place so the subscription keeps a partner with access (R-TRF-8).`,
      };
    }
    const listed = (await client.listRoleAssignments(azureId)).map(toRef);
    await addSelf(ctx, client, azureId, newGroup, listed);
    const removed = new Set(progress.removedRoleAssignments ?? []);
    const notRemoved: string[] = [];
    for (const assignment of listed.filter(isOld)) {
      try {
        await ctx.journaled(`remove-${assignment.name}`, assignment, {
          call: async (requestId) => {
            await client.deleteRoleAssignment(azureId, assignment.name, requestId);
            return { removed: assignment.id };
          },
        });
        removed.add(assignment.id);
        await activity(ctx, {
          operation: 'delete_role_assignment',
          details: `Removed the old partner's role assignment ${assignment.id} (principal ${assignment.principalId}) from Azure subscription ${azureId} with ${data.newPartner.name ?? data.newPartner.tenantId}'s access.`,
          what: `remove-${assignment.name}`,
          tenantId: data.newPartner.tenantId,
        });
      } catch (error) {
        if (!(error instanceof PartnerCenterError) || error.retryable) {
          throw error;
        }
        notRemoved.push(assignment.id);
        ctx.block({
          code: 'ROLE_ASSIGNMENT_NOT_REMOVED',
          message: `Role assignment ${assignment.id} of the old partner could not be removed (${error.code}: ${error.description}); remove it in the Azure portal (R-TRF-8).`,
          subject: assignment.id,
        });
      }
    }
    ctx.emit({
      type: 'CLEANED_UP',
      message: `Removed ${removed.size} role assignment(s) of the old partner from Azure subscription ${azureId}${notRemoved.length ? `; ${notRemoved.length} could not be removed` : ''}.`,
      partnerTenantId: data.newPartner.tenantId,
    });
    return {
      type: 'done',
      state: 'DONE',
      data: { removedRoleAssignments: [...removed], notRemovedRoleAssignments: notRemoved },
    };
  };

  // The ticket of a canceled transfer: from the item, else from the journal of the create (the
  // create may have run while the cancel happened). `undefined` = look again on a later pass.
  const ticketOf = async (
    workflow: WorkflowRow,
    row: WorkflowItemRow,
    progress: TransferItemData,
    client: PartnerCenterClient,
    now: Date,
  ): Promise<string | null | undefined> => {
    if (progress.serviceRequestId) {
      return progress.serviceRequestId;
    }
    const step = await getStep(db, row.id, 'ticket');
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
  const closeCanceledTickets = async (now: Date): Promise<string[]> => {
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
        const srId = await ticketOf(workflow, row, progress, client, now);
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
            stepRequestId(workflow.id, row.id, 'close-ticket'),
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
        await insertActivityEntries(db, [
          {
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
          },
        ]);
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

  return {
    kind: 'SUBSCRIPTION_TRANSFER',
    sweep: closeCanceledTickets,
    steps: {
      open_ticket: openTicket,
      await_form: awaitForm,
      attach,
      await_support: awaitSupport,
      cleanup,
    },
  };
}
