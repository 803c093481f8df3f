import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { type ApiContext } from '../../modules/api-context.js';
import { WorkflowPayload } from '../../modules/workflows/workflow-objects.type.js';
import { toPayload } from '../../modules/workflows/workflow.resolver.js';
import { checkGlobalId, TRANSFER_ID } from '../../shared/input-validation.js';
import {
  type Contact,
  type PostalAddress as PostalAddressData,
  transferData,
} from './transfer.model.js';
import { type TransferServices } from './transfer.service.js';
import { ContactInfo, SubscriptionTransfer } from './transfer.type.js';
import { PostalAddress } from './transfer-address.type.js';
import {
  TransferAgreementCheck,
  TransferAgreementStatus,
  TransferPartyDetails,
  UpdateTransferNewPartnerInput,
} from './transfer-new-partner.type.js';

type Context = ApiContext<TransferServices>;

const contactOf = (c: Contact | null | undefined) =>
  c ? Object.assign(new ContactInfo(), c) : null;
const addressOf = (a: PostalAddressData | null | undefined) =>
  a ? Object.assign(new PostalAddress(), a) : null;

/** The parties' details on the transfer form (R-TRF-4/5) and the new partner's agreement check. */
@Resolver(() => SubscriptionTransfer)
export class TransferNewPartnerResolver {
  @Authorized()
  @Mutation(() => WorkflowPayload, {
    description:
      "R-TRF-5: sets the new partner's details on the form (organization name, contact, address; until the first signature) and checks again (new partner served here: Partner Center's agreements) or confirms (not served here) the customer's agreement at the new partner, which resolves NEW_PARTNER_AGREEMENT_UNCONFIRMED / NEW_PARTNER_NO_CUSTOMER_AGREEMENT (while a DRAFT). GLOBAL_ADMIN or ADMIN_AGENT of the owning organization or of the new partner's (when served here).",
  })
  async updateTransferNewPartner(
    @Arg('input', () => UpdateTransferNewPartnerInput) input: UpdateTransferNewPartnerInput,
    @Ctx() ctx: Context,
  ): Promise<WorkflowPayload> {
    // A decoded id is still input: its key is re-checked before any lookup (issue 17).
    const checked = checkGlobalId(input.workflowId, ['input', 'workflowId'], TRANSFER_ID);
    if (!checked.ok) {
      return toPayload(checked);
    }
    const id = checked.value.parts[0] as string;
    return toPayload(await ctx.services.transferNewPartner.update(ctx.actor, id, input));
  }

  @FieldResolver(() => TransferPartyDetails, {
    description:
      "The current partner as the form names it: Partner Center's organization profile (R-TRF-4).",
  })
  currentPartner(@Root() wf: SubscriptionTransfer): TransferPartyDetails {
    const cp = transferData(wf.row).currentPartner;
    return Object.assign(new TransferPartyDetails(), {
      tenantId: cp.microsoftId,
      mpnId: cp.mpnId,
      organizationName: cp.organizationName,
      address: addressOf(cp.address),
      contact: contactOf(cp.contact),
    });
  }

  @FieldResolver(() => TransferPartyDetails, {
    description: 'The new partner as the form names it (R-TRF-5; updateTransferNewPartner).',
  })
  newPartner(@Root() wf: SubscriptionTransfer): TransferPartyDetails {
    const np = transferData(wf.row).newPartner;
    return Object.assign(new TransferPartyDetails(), {
      tenantId: np.tenantId,
      mpnId: np.mpnId,
      organizationName: np.name ?? np.organizationName ?? null,
      address: addressOf(np.address),
      contact: contactOf(np.contact),
    });
  }

  @FieldResolver(() => TransferAgreementCheck, {
    nullable: true,
    description:
      "R-TRF-5: the customer's agreement at the new partner (null for transfers planned before this check existed).",
  })
  newPartnerAgreement(@Root() wf: SubscriptionTransfer): TransferAgreementCheck | null {
    const a = transferData(wf.row).newPartner.agreement;
    return a
      ? Object.assign(new TransferAgreementCheck(), {
          status: a.status as TransferAgreementStatus,
          type: a.type,
          dateAgreed: a.dateAgreed ? new Date(a.dateAgreed) : null,
          checkedAt: new Date(a.checkedAt),
          confirmedBy: a.confirmedBy,
        })
      : null;
  }
}
