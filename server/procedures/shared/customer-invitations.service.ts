import { ActivityRecorder } from '../../modules/activity-log/activity-recorder.js';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { PartnerCenterError } from '../../partner-center/errors.js';
import { getRelationshipRequestUrl } from '../../partner-center/operations.js';
import { type Actor, actorLabel, isWorkflowWriter } from '../../shared/actor.js';
import { type Clock } from '../../shared/clock.js';
import { ForbiddenError } from '../../shared/errors.js';
import { checkGuid, checkText } from '../../shared/input-validation.js';
import { err, ok, type Result } from '../../shared/result.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import {
  type WorkflowItemRow,
  type WorkflowKind,
  type WorkflowRow,
} from '../../workflows/engine/engine.types.js';
import {
  EXCLUDED_STATE,
  excludeItems,
  type ItemCommandResult,
  restartWaitingItem,
} from '../../workflows/engine/item-commands.repository.js';
import { type WorkflowNotifier } from '../../workflows/engine/workflow-notifier.js';
import * as repo from '../../workflows/engine/workflow.repository.js';
import {
  INVITATION_EXPIRED,
  type InvitationPolicy,
  type InvitationSpec,
  type InvitingItemData,
  newInvitation,
} from './invitation-follow-up.js';

const ENDED = new Set(['COMPLETED', 'FAILED', 'CANCELED']);
const MAX_REASON = 500;
const ID = ['input', 'id'];
const CUSTOMER = ['input', 'customerTenantId'];

/** The services this adds to the request context (`ctx.services.customerInvitations`). */
export interface CustomerInvitationServices {
  customerInvitations: CustomerInvitationService;
}

interface Located {
  row: WorkflowRow;
  spec: InvitationSpec;
  inviting: WorkflowItemRow;
  items: WorkflowItemRow[];
  data: InvitingItemData;
}

/**
 * `reinviteCustomer` and `excludeFromWorkflow` for every procedure that invites customers
 * (`ProcedureModule.invitations`): a customer who never accepts gets a new invitation or is left
 * out, so its workflow can end (COMPLETED, the exclusion counted apart in `progress`). Both are
 * refused for a customer already moving or moved, and recorded in the activity log.
 */
export class CustomerInvitationService {
  private readonly recorder: ActivityRecorder;

  constructor(
    private readonly deps: {
      db: EngineDb;
      clock: Clock;
      clients: PartnerCenterClientFactory;
      specs: Partial<Record<WorkflowKind, InvitationSpec>>;
      policy: InvitationPolicy;
      notifier: WorkflowNotifier;
      kick: () => void;
    },
  ) {
    this.recorder = new ActivityRecorder(deps.db);
  }

  /** A new invitation (R-CON-2/R-CHN-1): fresh link, reminders and validity from now, blocker gone. */
  async reinvite(
    actor: Actor,
    input: { workflowRowId: string; customerTenantId: string },
  ): Promise<Result<WorkflowRow>> {
    assertWriter(actor);
    const tenant = checkGuid(input.customerTenantId, CUSTOMER, 'The customer tenant id');
    if (!tenant.ok) {
      return err(tenant.error);
    }
    const found = await this.locate(actor, {
      workflowRowId: input.workflowRowId,
      customerTenantId: tenant.value,
    });
    if (!found.ok) {
      return found;
    }
    const { row, spec, inviting, data } = found.value;
    const name = data.companyName;
    if (row.status === 'DRAFT') {
      return err({
        code: 'WORKFLOW_NOT_STARTED',
        message: `The workflow is not started: ${name} has not been invited yet (startWorkflow invites).`,
        field: ID,
      });
    }
    if (inviting.status === 'SKIPPED' && inviting.state === EXCLUDED_STATE) {
      return err({
        code: 'CUSTOMER_EXCLUDED',
        message: `${name} was excluded from this workflow; it cannot be invited again here.`,
        field: CUSTOMER,
      });
    }
    if (inviting.status === 'BLOCKED') {
      return err({
        code: 'CUSTOMER_BLOCKED',
        message: `${name} is blocked by planning (see the blockers) and is not invited.`,
        field: CUSTOMER,
      });
    }
    if (inviting.step === spec.inviteStep && inviting.status === 'PENDING') {
      return err({
        code: 'NOT_INVITED_YET',
        message: `${name} has not been invited yet; its invitation is about to be sent.`,
        field: CUSTOMER,
      });
    }
    if (
      inviting.step !== spec.acceptanceStep ||
      !['PENDING', 'WAITING'].includes(inviting.status)
    ) {
      return alreadyMoved(name);
    }
    const inviter = spec.invitingTenant(JSON.parse(row.dataJson) as Record<string, unknown>);
    let invitationUrl: string;
    try {
      // A read: Partner Center has no resend; the partner-wide link is mailed by the partner.
      invitationUrl = await getRelationshipRequestUrl(
        this.deps.clients.forTenant(inviter.tenantId),
      );
    } catch (error) {
      if (error instanceof PartnerCenterError) {
        return err({
          code: 'PARTNER_CENTER_ERROR',
          message: `Partner Center refused the invitation link of ${inviter.name}: ${error.message}`,
          field: ID,
        });
      }
      throw error;
    }
    const now = this.deps.clock.now();
    const round = (data.invitation?.round ?? 1) + 1;
    const invitation = newInvitation(now, this.deps.policy, round);
    const message = `${actorLabel(actor)} invited ${name} again (invitation ${round}) to a reseller relationship with ${inviter.name}, valid until ${invitation.expiresAt.slice(0, 10)}: ${invitationUrl}`;
    const applied = await restartWaitingItem(this.deps.db, {
      workflowId: row.id,
      itemId: inviting.id,
      step: spec.acceptanceStep,
      state: spec.invitedState,
      data: { ...data, invitationUrl, invitation },
      resolveCodes: [INVITATION_EXPIRED],
      at: now.toISOString(),
      nowMs: Date.now(),
      event: {
        type: 'CUSTOMER_REINVITED',
        message,
        itemId: inviting.id,
        customerTenantId: inviting.customerTenantId,
        partnerTenantId: inviter.tenantId,
      },
    });
    return this.finish(actor, found.value, applied, {
      operation: 'reinvite_customer',
      details: message,
      partnerTenantId: inviter.tenantId,
    });
  }

  /** Leaves a customer that has not moved anything out of the workflow, with the reason. */
  async exclude(
    actor: Actor,
    input: { workflowRowId: string; customerTenantId: string; reason: string },
  ): Promise<Result<WorkflowRow>> {
    assertWriter(actor);
    const tenant = checkGuid(input.customerTenantId, CUSTOMER, 'The customer tenant id');
    // Shown in the events and the activity log: one line of clean text.
    const reason = checkText(input.reason, ['input', 'reason'], {
      label: 'The reason',
      max: MAX_REASON,
      required: true,
    });
    if (!tenant.ok) {
      return err(tenant.error);
    }
    if (!reason.ok) {
      return err(reason.error);
    }
    const found = await this.locate(actor, {
      workflowRowId: input.workflowRowId,
      customerTenantId: tenant.value,
    });
    if (!found.ok) {
      return found;
    }
    const { row, inviting, items, data } = found.value;
    const name = data.companyName;
    if (row.status === 'DRAFT') {
      // A plan is changed by planning again (customerIds without this one), not item by item.
      return err({
        code: 'WORKFLOW_NOT_STARTED',
        message: `The workflow is not started: plan it again without ${name} (customerIds) instead.`,
        field: ID,
      });
    }
    if (inviting.status === 'SKIPPED' && inviting.state === EXCLUDED_STATE) {
      return err({
        code: 'ALREADY_EXCLUDED',
        message: `${name} is already excluded from this workflow.`,
        field: CUSTOMER,
      });
    }
    const { spec } = found.value;
    // Moving or moved: accepted (past the acceptance step) or any of its items ran.
    const untouched = (i: WorkflowItemRow) =>
      ['PENDING', 'WAITING', 'BLOCKED'].includes(i.status) ||
      (i.status === 'SKIPPED' && i.id !== inviting.id);
    if (
      ![spec.inviteStep, spec.acceptanceStep].includes(inviting.step) ||
      !items.every(untouched)
    ) {
      return alreadyMoved(name);
    }
    const at = this.deps.clock.now().toISOString();
    const message = `${actorLabel(actor)} excluded ${name} from the workflow: ${reason.value}`;
    const applied = await excludeItems(this.deps.db, {
      workflowId: row.id,
      itemIds: items
        .filter((i) => ['PENDING', 'WAITING', 'BLOCKED'].includes(i.status))
        .map((i) => i.id),
      customerTenantId: inviting.customerTenantId,
      at,
      nowMs: Date.now(),
      event: {
        type: 'CUSTOMER_EXCLUDED',
        message,
        itemId: inviting.id,
        customerTenantId: inviting.customerTenantId,
        partnerTenantId: inviting.partnerTenantId,
        data: { reason: reason.value },
      },
    });
    return this.finish(actor, found.value, applied, {
      operation: 'exclude_from_workflow',
      details: message,
      partnerTenantId: inviting.partnerTenantId,
    });
  }

  private async finish(
    actor: Actor,
    found: Located,
    applied: ItemCommandResult,
    entry: { operation: string; details: string; partnerTenantId: string | null },
  ): Promise<Result<WorkflowRow>> {
    if (!applied.applied) {
      return applied.reason === 'BUSY'
        ? err({
            code: 'ITEM_BUSY',
            message: `${found.data.companyName} is being checked right now; try again in a few seconds.`,
            field: CUSTOMER,
          })
        : err({
            code: 'CONFLICT',
            message: `${found.data.companyName} changed meanwhile; look at the workflow again.`,
            field: CUSTOMER,
          });
    }
    await this.recorder.record({
      organizationId: found.row.organizationId,
      at: this.deps.clock.now().toISOString(),
      actor: actorLabel(actor),
      source: 'PRODUCT',
      operation: entry.operation,
      details: entry.details,
      partnerTenantId: entry.partnerTenantId,
      customerTenantId: found.inviting.customerTenantId,
      customerName: found.data.companyName,
      workflowId: found.row.id,
      subscriptionId: null,
      externalId: null,
    });
    const current = (await repo.getWorkflow(this.deps.db, found.row.id)) as WorkflowRow;
    this.deps.notifier.notify(current);
    this.deps.kick();
    return ok(current);
  }

  private async locate(
    actor: Actor,
    input: { workflowRowId: string; customerTenantId: string },
  ): Promise<Result<Located>> {
    const row = await repo.getWorkflow(this.deps.db, input.workflowRowId);
    if (!row || row.organizationId !== actor.organizationId) {
      return err({ code: 'NOT_FOUND', message: 'No such workflow.', field: ID });
    }
    const spec = this.deps.specs[row.kind as WorkflowKind];
    if (!spec) {
      return err({
        code: 'NOT_SUPPORTED',
        message: `A ${row.kind.toLowerCase().replaceAll('_', ' ')} invites no customer.`,
        field: ID,
      });
    }
    if (ENDED.has(row.status)) {
      return err({
        code: 'WORKFLOW_ENDED',
        message: `The workflow is ${row.status.toLowerCase()}; its customers can no longer change.`,
        field: ID,
      });
    }
    // Checked as a GUID (lower case); items keep Partner Center's spelling.
    const customerTenantId = input.customerTenantId;
    const items = await repo.listItemsOfCustomers(this.deps.db, row.id, [
      customerTenantId,
      customerTenantId.toUpperCase(),
    ]);
    const inviting = items.find((i) => i.kind === spec.itemKind);
    if (!inviting) {
      return err({
        code: 'CUSTOMER_NOT_IN_WORKFLOW',
        message: 'No customer with this tenant id is part of this workflow.',
        field: CUSTOMER,
      });
    }
    return ok({
      row,
      spec,
      inviting,
      items,
      data: JSON.parse(inviting.dataJson) as InvitingItemData,
    });
  }
}

/** R-CON-10: only Global admins and Admin agents change a workflow. */
function assertWriter(actor: Actor): void {
  if (!isWorkflowWriter(actor)) {
    throw new ForbiddenError(
      'Inviting or excluding customers needs the GLOBAL_ADMIN or ADMIN_AGENT role (R-CON-10).',
    );
  }
}

function alreadyMoved(name: string) {
  return err({
    code: 'CUSTOMER_ALREADY_MOVED' as const,
    message: `${name} has accepted and its subscriptions are moving or moved; it can no longer be re-invited or left out.`,
    field: CUSTOMER,
  });
}
