import {
  OWNER_ROLE_DEFINITION_GUID,
  ownerRoleDefinitionId,
  type ArmClient,
} from '../../../azure-rm/arm.client.js';
import { PartnerCenterError } from '../../../partner-center/errors.js';
import { type StepContext, type StepHandler } from '../../../workflows/engine/step-context.js';
import {
  type RoleAssignmentRef,
  type TransferData,
  type TransferItemData,
} from '../transfer.model.js';
import { cleanupConfirmation } from '../transfer-actions.repository.js';
import { resolveBlockers } from '../transfer.repository.js';
import {
  FOREIGN_GROUP,
  isDenied,
  isOwnerRole,
  logActivity,
  step,
  toRef,
  type TransferStepDeps,
} from './common.js';

/** Phase 4: the old partner's access removed from the Azure subscription (R-TRF-8). */
export function cleanupSteps(deps: TransferStepDeps): Record<string, StepHandler> {
  const { db, arm, recheckMs } = deps;

  // R-TRF-8 first half: the new partner adds itself on the customer's Azure subscription (its
  // Admin Agents group as Owner, as CSP delegated access has it) before the old access goes, so the
  // subscription is never left without a partner able to manage it. Look before create.
  const addSelf = async (
    ctx: StepContext<TransferData, TransferItemData>,
    client: ArmClient,
    azureId: string,
    group: string,
    listed: RoleAssignmentRef[],
  ): Promise<void> => {
    const data = ctx.workflowData;
    // One item cleaning several Azure subscriptions (incoming path) scopes its journal per subscription.
    const scope = (ctx.data as { journalScope?: string }).journalScope;
    const key = (k: string) => (scope ? `${k}-${scope}` : k);
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
      key('add-self'),
      { principalId: group, role: OWNER_ROLE_DEFINITION_GUID },
      {
        lookup: findAgain,
        call: async (requestId) => {
          try {
            const created = await client.createRoleAssignment(
              azureId,
              // ARM names an assignment by a GUID the caller picks: deterministic per transfer.
              ctx.requestId(key('add-self-assignment-name')),
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
    await logActivity(ctx, {
      operation: 'create_role_assignment',
      details: `Added role assignment ${added.id} (Owner for the Admin Agents group ${group} of ${data.newPartner.name ?? data.newPartner.tenantId}) on Azure subscription ${azureId}.`,
      what: key('add-self'),
      tenantId: data.newPartner.tenantId,
    });
  };

  // R-TRF-8: the new partner removes the old partner's access to the subscription.
  const cleanup = step<TransferItemData>(async (ctx) => {
    const data = ctx.workflowData;
    const progress = ctx.data;
    // One Azure subscription per item: the ticket path's one, or each of a transferred Azure plan.
    const azureId =
      (progress as { azureSubscriptionId?: string }).azureSubscriptionId ??
      data.subscription.azureSubscriptionId;
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
        await logActivity(ctx, {
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
        until: ctx.later(recheckMs * 6),
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
        await logActivity(ctx, {
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
  });

  return { cleanup };
}
