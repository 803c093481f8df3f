import { ActivityRecorder } from '../../modules/activity-log/activity-recorder.js';
import { type PartnerCenterClientFactory } from '../../partner-center/client-factory.js';
import { type Actor, actorLabel, isWorkflowWriter } from '../../shared/actor.js';
import { type Clock } from '../../shared/clock.js';
import { ForbiddenError } from '../../shared/errors.js';
import { err, ok, type Result } from '../../shared/result.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type NewBlocker, type WorkflowRow } from '../../workflows/engine/engine.types.js';
import { type WorkflowNotifier } from '../../workflows/engine/workflow-notifier.js';
import { transferData, type TransferData } from './transfer.model.js';
import {
  AGREEMENT_UNCONFIRMED,
  agreementBlocker,
  confirmedAgreement,
  NO_AGREEMENT,
  readNewPartnerAgreement,
  validateNewPartnerDetails,
  type NewPartnerDetailsInput,
} from './transfer-new-partner.js';
import { applyNewPartnerUpdate } from './transfer-new-partner.repository.js';
import { type TransferViewService } from './transfer-view.service.js';

export interface UpdateNewPartnerInput extends NewPartnerDetailsInput {
  agreementConfirmed?: boolean | null;
}

const given = (v: unknown) => v !== undefined && v !== null;

/**
 * updateTransferNewPartner (R-TRF-5): the new partner's details on the form, and the customer's
 * agreement at the new partner checked again (served here) or confirmed (not served here). The
 * owning organization's admins and, for a new partner served here, its own admins may do it.
 */
export class TransferNewPartnerService {
  private readonly activity: ActivityRecorder;

  constructor(
    private readonly deps: {
      db: EngineDb;
      clock: Clock;
      clients: PartnerCenterClientFactory;
      views: TransferViewService;
      notifier?: WorkflowNotifier;
    },
  ) {
    this.activity = new ActivityRecorder(deps.db);
  }

  async update(
    actor: Actor,
    id: string,
    input: UpdateNewPartnerInput,
  ): Promise<Result<WorkflowRow>> {
    const found = await this.deps.views.readable(actor, id);
    if (!found) {
      return err({
        code: 'NOT_FOUND',
        message: 'No such transfer.',
        field: ['input', 'workflowId'],
      });
    }
    if (!isWorkflowWriter(actor)) {
      throw new ForbiddenError(
        "To change the new partner's details needs GLOBAL_ADMIN or ADMIN_AGENT.",
      );
    }
    const detailsChanged =
      given(input.organizationName) || given(input.contact) || given(input.address);
    const agreementChanged = given(input.agreementConfirmed);
    if (!detailsChanged && !agreementChanged) {
      return err({
        code: 'NOTHING_TO_UPDATE',
        message: 'Give organizationName, contact, address or agreementConfirmed.',
        field: ['input'],
      });
    }
    const checked = validateNewPartnerDetails(input, ['input'], {
      organizationName: 'organizationName',
      contact: 'contact',
      address: 'address',
    });
    if (!checked.ok) {
      return checked;
    }
    const row = found.row;
    const data = transferData(row);
    const at = this.deps.clock.now().toISOString();
    const np: TransferData['newPartner'] = { ...data.newPartner };
    if (given(input.organizationName)) {
      np.organizationName = checked.value.organizationName;
    }
    if (given(input.contact)) {
      np.contact = checked.value.contact;
    }
    if (given(input.address)) {
      np.address = checked.value.address;
    }
    if (agreementChanged) {
      // A new partner served here: Partner Center says (a confirmation cannot override it).
      np.agreement = np.organizationId
        ? await readNewPartnerAgreement(this.deps.clients, np.tenantId, data.customer.tenantId, at)
        : confirmedAgreement(input.agreementConfirmed === true, actorLabel(actor), at);
    }
    const names = {
      newPartner: np.name ?? np.organizationName ?? `partner ${np.tenantId}`,
      customer: data.customer.companyName,
    };
    const block: NewBlocker | null =
      np.agreement?.status === 'UNREADABLE'
        ? {
            code: NO_AGREEMENT,
            message: `${names.newPartner} could not read ${names.customer}'s agreements in Partner Center (no relationship with the customer?); the agreement at the new partner is not established (R-TRF-5).`,
          }
        : np.agreement
          ? agreementBlocker(np.agreement, names)
          : null;
    const what = [
      detailsChanged ? "the new partner's details" : null,
      agreementChanged
        ? `the customer's agreement at the new partner (${np.agreement?.status})`
        : null,
    ]
      .filter(Boolean)
      .join(' and ');
    const who = actorLabel(actor);
    const applied = await applyNewPartnerUpdate(this.deps.db, {
      workflowId: row.id,
      at,
      data: { ...data, newPartner: np } as unknown as Record<string, unknown>,
      detailsChanged,
      agreementChanged,
      block,
      codes: [NO_AGREEMENT, AGREEMENT_UNCONFIRMED],
      message: `${who} updated ${what} (R-TRF-5).`,
    });
    if (applied.outcome === 'NOT_EDITABLE') {
      return err({
        code: 'NOT_EDITABLE',
        message: `The transfer is ${row.status.toLowerCase()}; its form can no longer change.`,
        field: ['input', 'workflowId'],
      });
    }
    if (applied.outcome === 'NOT_DRAFT') {
      return err({
        code: 'ALREADY_STARTED',
        message: "The transfer has started; the customer's agreement was settled before the start.",
        field: ['input', 'agreementConfirmed'],
      });
    }
    if (applied.outcome !== 'UPDATED') {
      const field = ['organizationName', 'contact', 'address'].find((f) =>
        given((input as Record<string, unknown>)[f]),
      ) as string;
      return err({
        code: 'FORM_SIGNED',
        message:
          "The form already carries a signature; changing the new partner's details would change what was signed.",
        field: ['input', field],
      });
    }
    await this.activity.record({
      organizationId: row.organizationId,
      at,
      actor: who,
      operation: 'update_transfer_new_partner',
      source: 'PRODUCT',
      partnerTenantId: data.currentPartner.tenantId,
      customerTenantId: data.customer.tenantId,
      customerName: data.customer.companyName,
      workflowId: row.id,
      subscriptionId: data.subscription.subscriptionId,
      details: `Updated ${what} of the transfer of Azure subscription ${data.subscription.azureSubscriptionId}${block ? `; still blocked: ${block.code}` : ''}.`,
      externalId: null,
    });
    this.deps.notifier?.notify(applied.row);
    return ok(applied.row);
  }
}
