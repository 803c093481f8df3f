import { ActivityRecorder } from '../../modules/activity-log/activity-recorder.js';
import { type OrganizationService } from '../../modules/organizations/organization.service.js';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { PartnerCenterError } from '../../partner-center/errors.js';
import { type Actor, actorLabel, isWorkflowWriter } from '../../shared/actor.js';
import { type Clock } from '../../shared/clock.js';
import { ForbiddenError } from '../../shared/errors.js';
import { type RequestScope } from '../../shared/request-scope.js';
import { err, ok, type Result } from '../../shared/result.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import {
  type NewEvent,
  type NewItem,
  type WorkflowRow,
} from '../../workflows/engine/engine.types.js';
import { type GdapPlanner } from '../shared/gdap/gdap-planner.js';
import {
  incomingSubject,
  INCOMING_PATH,
  planIncomingWorkflow,
  type PlanIncomingTransferInput,
} from './incoming-transfer.planner.js';
import { TRANSFER_GDAP_ROUTE } from './steps/gdap.steps.js';
import { type WorkflowNotifier } from '../../workflows/engine/workflow-notifier.js';
import { addViewer } from '../../workflows/engine/workflow-viewers.repository.js';
import * as engineRepo from '../../workflows/engine/workflow.repository.js';
import { type WorkflowService } from '../../workflows/workflow.service.js';
import { type TransferLinks } from './transfer-links.js';
import {
  INCOMING_TRANSFER,
  LINK_PARTIES,
  TRANSFER,
  transferData,
  type TransferData,
  type TransferItemData,
  type TransferParty,
} from './transfer.model.js';
import {
  planTransfer,
  validateTransferInput,
  type PlanSubscriptionTransferInput,
} from './transfer.planner.js';
import * as actions from './transfer-actions.repository.js';
import * as repo from './transfer.repository.js';
import { type TransferSigningService } from './transfer-signing.service.js';
import { type TransferNewPartnerService } from './transfer-new-partner.service.js';
import { type SigningLinkView, type TransferViewService } from './transfer-view.service.js';

export { type PlanSubscriptionTransferInput } from './transfer.planner.js';

/**
 * The Azure subscription transfer (R-TRF-1..8) outside the engine: planning (the planner does the
 * reading), reissuing a signing link, and the manual clean-up confirmation. What each organization
 * sees is the view service's, the signatures are the signing service's.
 */
export class TransferService {
  private readonly activity: ActivityRecorder;

  constructor(
    private readonly deps: {
      db: EngineDb;
      clock: Clock;
      organizations: OrganizationService;
      workflows: WorkflowService;
      clients: PartnerCenterClientFactory;
      links: TransferLinks;
      views: TransferViewService;
      notifier?: WorkflowNotifier;
      kick?: () => void;
      /** GDAP for the new partner when it is served here (issue 15 item 2). */
      gdap?: GdapPlanner;
    },
  ) {
    this.activity = new ActivityRecorder(deps.db);
  }

  /**
   * R-TRF-6/8 with GDAP, when we are the new partner (its organization is served here): the new
   * partner's template, and what it reuses, extends or creates with the customer.
   */
  private async withGdap<
    P extends { data: Record<string, unknown>; items: NewItem[]; events: NewEvent[] },
  >(planned: P): Promise<Result<P>> {
    const data = planned.data as unknown as TransferData;
    const organizationId = data.newPartner.organizationId;
    if (!this.deps.gdap || !organizationId) {
      return ok(planned);
    }
    const gdap = await this.deps.gdap.planFor(
      organizationId,
      [data.newPartner.tenantId],
      planned.items,
      (item) =>
        item.kind === TRANSFER
          ? {
              partnerTenantId: data.newPartner.tenantId,
              partnerName: data.newPartner.name,
              customerTenantId: data.customer.tenantId,
              companyName: data.customer.companyName,
              ...TRANSFER_GDAP_ROUTE,
            }
          : null,
      this.deps.clock.now(),
    );
    if (!gdap.ok) {
      return gdap;
    }
    if (gdap.value) {
      data.gdap = gdap.value.plan;
      planned.events.push(gdap.value.event);
      for (const item of planned.items) {
        if (item.kind === TRANSFER && item.data.gdap) {
          item.step = 'gdap_request';
        }
      }
    }
    return ok(planned);
  }

  async plan(
    scope: RequestScope,
    input: PlanSubscriptionTransferInput,
  ): Promise<Result<WorkflowRow>> {
    const checked = await validateTransferInput(this.deps, scope, input);
    if (!checked.ok) {
      return checked;
    }
    const { partnerTenantId, customerTenantId, subscriptionId, admins } = checked.value;
    const { db } = this.deps;
    const newPartnerTenantId = input.newPartnerTenantId.toLowerCase();
    const created = await this.deps.workflows.createPlanned(
      scope.actor,
      'SUBSCRIPTION_TRANSFER',
      {
        value: {
          subscription: `${partnerTenantId}/${customerTenantId}/${subscriptionId}`,
          newPartnerTenantId,
          newPartnerMpnId: input.newPartnerMpnId,
          newPartner: checked.value.newPartner,
          newPartnerAgreementConfirmed: input.newPartnerAgreementConfirmed ?? null,
          customerRequestReceivedAt: input.customerRequestReceivedAt.toISOString(),
          customerRequestReference: input.customerRequestReference ?? null,
          partnerAdmins: admins,
        },
        idempotencyKey: input.idempotencyKey ?? null,
      },
      async () => {
        const planned = await planTransfer(this.deps, scope, input, checked.value);
        return planned.ok ? this.withGdap(planned.value) : planned;
      },
    );
    if (!created.ok) {
      return created;
    }
    const row = created.value;
    const links = await repo.signingLinksOf(db, row.id);
    // The partner-to-partner path (Azure plan, issue 15) has no form to sign.
    const p2p = (transferData(row) as { path?: string }).path === 'PARTNER_TRANSFER';
    if (links.length === 0 && !p2p) {
      await this.deps.links.issue(row);
    }
    if (links.length === 0) {
      const data = transferData(row);
      if (data.newPartner.organizationId && data.newPartner.organizationId !== row.organizationId) {
        // The new partner's organization sees the transfer as incoming (read-only).
        await addViewer(db, row.id, data.newPartner.organizationId, INCOMING_TRANSFER);
      }
    }
    return ok(row);
  }

  /** planIncomingAzurePlanTransfer: we are the new partner (incoming-transfer.planner.ts). */
  planIncoming(
    scope: RequestScope,
    input: PlanIncomingTransferInput,
  ): Promise<Result<WorkflowRow>> {
    return planIncomingWorkflow(this.deps, scope, input);
  }

  /** The owning organization's transfer, for a change only its admins may make. */
  private async ownedForChange(
    actor: Actor,
    id: string,
    what: string,
  ): Promise<Result<WorkflowRow>> {
    const found = await this.deps.views.readable(actor, id);
    if (!found) {
      return err({
        code: 'NOT_FOUND',
        message: 'No such transfer.',
        field: ['input', 'transferId'],
      });
    }
    if (!found.owner) {
      return err({
        code: 'READ_ONLY',
        message: `Only the current partner's organization can ${what}; you see this transfer read-only.`,
        field: ['input', 'transferId'],
      });
    }
    if (!isWorkflowWriter(actor)) {
      throw new ForbiddenError(`To ${what} needs the GLOBAL_ADMIN or ADMIN_AGENT role.`);
    }
    return ok(found.row);
  }

  /**
   * reissueSigningLink: a new link for CUSTOMER or NEW_PARTNER (expired or lost) while that party
   * has not signed and the form is not attached; the party's previous link stops working at once.
   */
  async reissueLink(
    actor: Actor,
    id: string,
    party: TransferParty,
  ): Promise<Result<{ row: WorkflowRow; link: SigningLinkView }>> {
    const owned = await this.ownedForChange(actor, id, 'reissue a signing link');
    if (!owned.ok) {
      return owned;
    }
    const row = owned.value;
    if (!LINK_PARTIES.includes(party)) {
      return err({
        code: 'NO_SIGNING_LINK',
        message: `${party} signs through the API, not through a link.`,
        field: ['input', 'party'],
      });
    }
    if (!['DRAFT', 'RUNNING', 'WAITING'].includes(row.status)) {
      return err({
        code: 'NOT_SIGNABLE',
        message: `The transfer is ${row.status.toLowerCase()}; it can no longer be signed.`,
        field: ['input', 'transferId'],
      });
    }
    if ((await this.deps.views.signatures(row)).some((s) => s.party === party)) {
      return err({
        code: 'ALREADY_SIGNED',
        message: `The ${party.toLowerCase().replace('_', ' ')} already signed; its link is no longer needed.`,
        field: ['input', 'party'],
      });
    }
    const item = await this.deps.views.item(row);
    if (item && (JSON.parse(item.dataJson) as TransferItemData).attachedAt) {
      return err({
        code: 'ALREADY_ATTACHED',
        message: 'The form is already attached to the support ticket.',
        field: ['input', 'transferId'],
      });
    }
    const link = this.deps.links.newLink(row, party);
    await actions.replaceSigningLink(this.deps.db, row.id, party, link);
    const data = transferData(row);
    const at = this.deps.clock.now().toISOString();
    await this.activity.record({
      organizationId: row.organizationId,
      at,
      actor: actorLabel(actor),
      operation: 'reissue_signing_link',
      source: 'PRODUCT',
      partnerTenantId: data.currentPartner.tenantId,
      customerTenantId: data.customer.tenantId,
      customerName: data.customer.companyName,
      workflowId: row.id,
      subscriptionId: data.subscription.subscriptionId,
      details: `New signing link for the ${party.toLowerCase().replace('_', ' ')} (valid until ${link.expiresAt}); the previous one no longer works.`,
      externalId: null,
    });
    this.deps.notifier?.notify(row);
    return ok({
      row,
      link: {
        party,
        url: this.deps.links.url(link),
        expiresAt: link.expiresAt,
        used: false,
      },
    });
  }

  /**
   * confirmTransferCleanup: an admin of the owning organization confirms that the new partner (not
   * served here) removed the old partner's role assignments by hand (R-TRF-8); the transfer then
   * completes. Only while it waits on that clean-up; confirming twice changes nothing.
   */
  async confirmCleanup(actor: Actor, id: string): Promise<Result<WorkflowRow>> {
    const owned = await this.ownedForChange(actor, id, 'confirm the clean-up');
    if (!owned.ok) {
      return owned;
    }
    const row = owned.value;
    const who = actorLabel(actor);
    const at = this.deps.clock.now().toISOString();
    const outcome = await actions.recordCleanupConfirmation(this.deps.db, {
      workflowId: row.id,
      itemKind: TRANSFER,
      by: who,
      at,
      message: `${who} confirmed that the new partner removed the old partner's role assignments (R-TRF-8).`,
    });
    if (outcome === 'NOT_WAITING_FOR_CLEANUP') {
      return err({
        code: 'NOT_WAITING_FOR_CLEANUP',
        message:
          'The transfer is not waiting for a manual clean-up (only a transfer to a partner not served here, after support moved the subscription, does).',
        field: ['input', 'transferId'],
      });
    }
    if (outcome === 'CONFIRMED') {
      const data = transferData(row);
      await this.activity.record({
        organizationId: row.organizationId,
        at,
        actor: who,
        operation: 'confirm_transfer_cleanup',
        source: 'PRODUCT',
        partnerTenantId: data.currentPartner.tenantId,
        customerTenantId: data.customer.tenantId,
        customerName: data.customer.companyName,
        workflowId: row.id,
        subscriptionId: data.subscription.subscriptionId,
        details: `Confirmed that the new partner removed the old partner's access to Azure subscription ${data.subscription.azureSubscriptionId}.`,
        externalId: `wf:${row.id}:cleanup-confirmed`,
      });
    }
    const current = (await engineRepo.getWorkflow(this.deps.db, row.id)) as WorkflowRow;
    this.deps.notifier?.notify(current);
    this.deps.kick?.();
    return ok(current);
  }
}

/**
 * Refuses to cancel once Microsoft support has moved the subscription, even before the workflow
 * noticed (R-CON-8-like: a transfer cannot be undone by us): after the form went to support, the
 * old subscription is read live; suspended means moved, and the workflow is marked irreversible.
 */
export function transferCancelGuard(
  db: EngineDb,
  clients: PartnerCenterClientFactory,
  clock: Clock,
) {
  return async (row: WorkflowRow): Promise<Result<void>> => {
    const item = (await engineRepo.listItems(db, row.id)).find((i) => i.kind === TRANSFER);
    if (!item || !(JSON.parse(item.dataJson) as TransferItemData).attachedAt) {
      return ok(undefined); // support has nothing to act on yet
    }
    const data = transferData(row);
    let status: string;
    try {
      status = (
        await clients
          .forTenant(data.currentPartner.tenantId)
          .getSubscription(data.customer.tenantId, data.subscription.subscriptionId)
      ).status.toLowerCase();
    } catch (error) {
      if (!(error instanceof PartnerCenterError)) {
        throw error;
      }
      return err({
        code: 'PARTNER_CENTER_ERROR',
        message: `Could not check in Partner Center whether support already moved subscription ${data.subscription.subscriptionId} (${error.status} ${error.code}); nothing was canceled, try again.`,
        field: ['input', 'id'],
      });
    }
    if (status === 'suspended') {
      await engineRepo.markIrreversible(db, row.id, clock.now().toISOString());
      return err({
        code: 'IRREVERSIBLE',
        message: `Microsoft support already moved subscription ${data.subscription.subscriptionId} to the new partner; the transfer cannot be canceled and runs to completion.`,
        field: ['input', 'id'],
      });
    }
    return ok(undefined);
  };
}

/**
 * Refuses to start a transfer while another transfer of the same subscription runs (two tickets
 * for one subscription would confuse support); drafts do not hold the subscription.
 */
export function transferStartGuard(db: EngineDb) {
  return async (row: WorkflowRow): Promise<Result<void>> => {
    const data = transferData(row);
    const incoming = (data as { path?: string }).path === INCOMING_PATH;
    const others = (
      await repo.openTransfersOfSubscription(
        db,
        row.organizationId,
        incoming ? incomingSubject(data.customer.tenantId) : data.subscription.subscriptionId,
        row.id,
      )
    ).filter((w) => w.status !== 'DRAFT');
    return others.length === 0
      ? ok(undefined)
      : err({
          code: 'TRANSFER_ALREADY_OPEN',
          message: `Another transfer of subscription ${data.subscription.subscriptionId} is running (${others.map((w) => w.id).join(', ')}).`,
          field: ['input', 'id'],
        });
  };
}

/** The subscription transfer's services in the request context. */
export interface TransferServices {
  transfers: TransferService;
  transferNewPartner: TransferNewPartnerService;
  transferViews: TransferViewService;
  transferSigning: TransferSigningService;
}
