import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { type ApiContext } from '../../modules/api-context.js';
import { type TransferServices } from './transfer.service.js';
import { BillingType, ProductFamily, SubscriptionStatus } from '../../shared/enums.js';
import { checkGlobalId, TRANSFER_ID } from '../../shared/input-validation.js';
import { DateTimeScalar } from '../../shared/scalars.js';
import { type TransferItemData } from './transfer.model.js';
import { INCOMING_PATH } from './incoming-transfer.planner.js';
import { transferData } from './transfer.model.js';
import { BasicUserError } from '../../modules/common/common.type.js';
import { Customer } from '../../modules/customers/customer.type.js';
import { CustomerSubscription } from '../../modules/subscriptions/subscription.type.js';
import { customerFromSnapshot } from '../../modules/workflows/workflow.mapper.js';
import {
  PlanWorkflowPayload,
  WorkflowPayload,
} from '../../modules/workflows/workflow-objects.type.js';
import { toPayload } from '../../modules/workflows/workflow.resolver.js';
import {
  ConfirmTransferCleanupInput,
  ContactInfo,
  PlanIncomingAzurePlanTransferInput,
  PlanSubscriptionTransferInput,
  ReissueSigningLinkInput,
  ReissueSigningLinkPayload,
  SignTransferFormInput,
  SigningLink,
  SubscriptionTransfer,
  TransferDirection,
  TransferForm,
  TransferParty,
  TransferSignature,
} from './transfer.type.js';
import { CUSTOMER_READ_ROLES } from '../../shared/actor.js';
import { toGdapStep } from '../../modules/gdap/gdap.mapper.js';
import { GdapStep } from '../../modules/gdap/gdap.type.js';
import { type Result } from '../../shared/result.js';
import {
  pickWorkflowId,
  renameWorkflowIdField,
} from '../../modules/workflows/workflow-id-input.js';

type Context = ApiContext<TransferServices>;

const progressOf = async (ctx: Context, wf: SubscriptionTransfer) => {
  const item = await ctx.services.transferViews.item(wf.row);
  return {
    item,
    data: (item ? JSON.parse(item.dataJson) : {}) as TransferItemData,
  };
};

/**
 * The transfer an input names: `workflowId`, or the deprecated `transferId` (issue 16 item 10);
 * `run` gets its row id, and errors naming transferId name the field the caller used.
 */
async function onTransfer<T>(
  input: { workflowId?: string | null; transferId?: string | null },
  run: (rowId: string) => Promise<Result<T>>,
): Promise<Result<T>> {
  const picked = pickWorkflowId(input, { name: 'transferId', value: input.transferId });
  if (!picked.ok) {
    return picked;
  }
  const { globalId, field } = picked.value;
  // The workflow row id (a UUID, re-checked: a decoded id is still input) or null.
  const checked = checkGlobalId(globalId, ['input', field], TRANSFER_ID);
  const id = checked.ok ? (checked.value.parts[0] as string) : null;
  const result: Result<T> = id
    ? await run(id)
    : {
        ok: false,
        error: { code: 'NOT_FOUND', message: 'No such transfer.', field: ['input', field] },
      };
  return result.ok
    ? result
    : { ok: false, error: renameWorkflowIdField(result.error, 'transferId', field) };
}

@Resolver(() => SubscriptionTransfer)
export class SubscriptionTransferResolver {
  @Authorized(...CUSTOMER_READ_ROLES)
  @Mutation(() => PlanWorkflowPayload, {
    description:
      "Dry run of an Azure subscription transfer to another partner (R-TRF-1..7): records the customer's written request, checks the subscription, the new partner's reseller relationship and the two administrators, issues the signing links and reports blockers. Changes nothing in Partner Center.",
  })
  async planSubscriptionTransfer(
    @Arg('input', () => PlanSubscriptionTransferInput) input: PlanSubscriptionTransferInput,
    @Ctx() ctx: Context,
  ): Promise<PlanWorkflowPayload> {
    return toPayload(await ctx.services.transfers.plan(ctx, input));
  }

  @Authorized(...CUSTOMER_READ_ROLES)
  @Mutation(() => PlanWorkflowPayload, {
    description:
      "Dry run of an incoming Azure plan transfer (issue 15 item 3, §11): our tenant becomes the partner of a customer's Azure plan held by another partner not served here. Checks our reseller relationship (R-TRF-6), our Admin agent role and that no transfer is open for the customer; once started, creates the transfer request as the new partner, waits for the other partner to accept it, then removes the old partner's role assignments (R-TRF-8). Changes nothing in Partner Center.",
  })
  async planIncomingAzurePlanTransfer(
    @Arg('input', () => PlanIncomingAzurePlanTransferInput)
    input: PlanIncomingAzurePlanTransferInput,
    @Ctx() ctx: Context,
  ): Promise<PlanWorkflowPayload> {
    return toPayload(await ctx.services.transfers.planIncoming(ctx, input));
  }

  @Authorized()
  @Mutation(() => WorkflowPayload, {
    description:
      "Signs the transfer form for your own party: CURRENT_PARTNER for the owning organization, NEW_PARTNER for the new partner's organization when it is served here. Needs GLOBAL_ADMIN or ADMIN_AGENT. The customer signs through its signing link.",
  })
  async signTransferForm(
    @Arg('input', () => SignTransferFormInput) input: SignTransferFormInput,
    @Ctx() ctx: Context,
  ): Promise<WorkflowPayload> {
    return toPayload(
      await onTransfer(input, (id) => ctx.services.transferSigning.sign(ctx.actor, id, input)),
    );
  }

  @Authorized()
  @Mutation(() => ReissueSigningLinkPayload, {
    description:
      'Issues a new signing link for CUSTOMER or NEW_PARTNER (the old one expired or was lost) while that party has not signed and the form is not attached; the previous link stops working. GLOBAL_ADMIN or ADMIN_AGENT of the owning organization only.',
  })
  async reissueSigningLink(
    @Arg('input', () => ReissueSigningLinkInput) input: ReissueSigningLinkInput,
    @Ctx() ctx: Context,
  ): Promise<ReissueSigningLinkPayload> {
    const result = await onTransfer(input, (id) =>
      ctx.services.transfers.reissueLink(ctx.actor, id, input.party),
    );
    if (!result.ok) {
      return { signingLink: null, workflow: null, userErrors: [BasicUserError.from(result.error)] };
    }
    const { row, link } = result.value;
    return {
      signingLink: Object.assign(new SigningLink(), {
        party: link.party as TransferParty,
        url: link.url,
        expiresAt: new Date(link.expiresAt),
        used: link.used,
      }),
      workflow: toPayload({ ok: true, value: row }).workflow,
      userErrors: [],
    };
  }

  @Authorized()
  @Mutation(() => WorkflowPayload, {
    description:
      "Confirms that the new partner, not served by this server, removed the old partner's role assignments listed in roleAssignmentsToRemove (R-TRF-8); the transfer then completes. Only while it waits on that manual clean-up. GLOBAL_ADMIN or ADMIN_AGENT of the owning organization only.",
  })
  async confirmTransferCleanup(
    @Arg('input', () => ConfirmTransferCleanupInput) input: ConfirmTransferCleanupInput,
    @Ctx() ctx: Context,
  ): Promise<WorkflowPayload> {
    return toPayload(
      await onTransfer(input, (id) => ctx.services.transfers.confirmCleanup(ctx.actor, id)),
    );
  }

  @FieldResolver(() => TransferDirection, {
    description:
      'OUTGOING for the organization that runs it; INCOMING (read-only) for the new partner’s.',
  })
  direction(@Root() wf: SubscriptionTransfer, @Ctx() ctx: Context): TransferDirection {
    // The incoming Azure plan path: the owner is the new partner (issue 15 item 3).
    const incoming = (transferData(wf.row) as { path?: string }).path === INCOMING_PATH;
    return wf.row.organizationId === ctx.actor.organizationId && !incoming
      ? TransferDirection.OUTGOING
      : TransferDirection.INCOMING;
  }

  @FieldResolver(() => Customer, {
    description: 'The customer, as its current partner of record serves it.',
  })
  customer(@Root() wf: SubscriptionTransfer): Customer {
    const data = transferData(wf.row);
    return customerFromSnapshot({
      partnerTenantId: data.currentPartner.tenantId,
      customerTenantId: data.customer.tenantId,
      companyName: data.customer.companyName,
      domain: data.customer.domain,
      country: data.customer.country,
    });
  }

  @FieldResolver(() => CustomerSubscription, {
    description:
      'The subscription being transferred, under the current partner (live where you may read it).',
  })
  async subscription(
    @Root() wf: SubscriptionTransfer,
    @Ctx() ctx: Context,
  ): Promise<CustomerSubscription> {
    const data = transferData(wf.row);
    const live =
      wf.row.organizationId === ctx.actor.organizationId
        ? await ctx.services.subscriptions
            .getSubscription(
              ctx,
              data.currentPartner.tenantId,
              data.customer.tenantId,
              data.subscription.subscriptionId,
            )
            .catch(() => null)
        : null;
    if (live) {
      return CustomerSubscription.from(live);
    }
    const { data: progress } = await progressOf(ctx, wf);
    return CustomerSubscription.from({
      partnerTenantId: data.currentPartner.tenantId,
      customerTenantId: data.customer.tenantId,
      subscriptionId: data.subscription.subscriptionId,
      offerId: data.subscription.offerId,
      offerName: data.subscription.offerName ?? data.subscription.offerId,
      friendlyName: data.subscription.friendlyName,
      quantity: 1,
      billingType: BillingType.USAGE,
      productFamily: ProductFamily.AZURE_LEGACY,
      status: progress.transferredAt ? SubscriptionStatus.SUSPENDED : SubscriptionStatus.ACTIVE,
      resellerMpnId: null,
      commitmentEndDate: null,
      entitlementId: data.subscription.azureSubscriptionId,
    });
  }

  @FieldResolver(() => GdapStep, {
    nullable: true,
    description:
      "The new partner's GDAP step (R-TRF-6/8, when it is served here and GDAP is on): reuse / extend / create, the customer's approval link, and where it stands.",
  })
  async gdap(@Root() wf: SubscriptionTransfer, @Ctx() ctx: Context): Promise<GdapStep | null> {
    return toGdapStep((await progressOf(ctx, wf)).data.gdap);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The Partner Center support ticket (R-TRF-3).',
  })
  async serviceRequestId(
    @Root() wf: SubscriptionTransfer,
    @Ctx() ctx: Context,
  ): Promise<string | null> {
    return (await progressOf(ctx, wf)).data.serviceRequestId ?? null;
  }

  @FieldResolver(() => TransferForm, { description: 'The CSP Subscription Transfer form.' })
  async form(@Root() wf: SubscriptionTransfer, @Ctx() ctx: Context): Promise<TransferForm> {
    const views = ctx.services.transferViews;
    const data = transferData(wf.row);
    const [signatures, links, { data: progress }] = await Promise.all([
      views.signatures(wf.row),
      views.signingLinks(ctx.actor, wf.row),
      progressOf(ctx, wf),
    ]);
    return Object.assign(new TransferForm(), {
      signatures: signatures.map((s) =>
        Object.assign(new TransferSignature(), {
          party: s.party as TransferParty,
          signerName: s.signerName,
          signedAt: new Date(s.signedAt),
        }),
      ),
      complete: signatures.length === 3 && data.partnerAdmins.length === 2,
      attachedAt: progress.attachedAt ? new Date(progress.attachedAt) : null,
      partnerAdmins: data.partnerAdmins.map((a) => Object.assign(new ContactInfo(), a)),
      pdfUrl: views.pdfUrl(wf.row),
      signingLinks: links.map((l) =>
        Object.assign(new SigningLink(), {
          party: l.party as TransferParty,
          url: l.url,
          expiresAt: new Date(l.expiresAt),
          used: l.used,
        }),
      ),
    });
  }

  @FieldResolver(() => DateTimeScalar, {
    nullable: true,
    description:
      '8 business hours (partner country, weekdays 09:00–17:00) after the form was attached (R-TRF-7).',
  })
  async responseDueAt(@Root() wf: SubscriptionTransfer, @Ctx() ctx: Context): Promise<Date | null> {
    const due = (await progressOf(ctx, wf)).data.responseDueAt;
    return due ? new Date(due) : null;
  }

  @FieldResolver(() => Boolean, { description: 'Support had not answered by responseDueAt.' })
  async overdue(@Root() wf: SubscriptionTransfer, @Ctx() ctx: Context): Promise<boolean> {
    const { data } = await progressOf(ctx, wf);
    if (data.overdue) {
      return true;
    }
    const late = data.responseDueAt && ctx.clock.now().toISOString() >= data.responseDueAt;
    return Boolean(
      late && !data.firstResponseAt && !data.transferredAt && wf.row.status !== 'CANCELED',
    );
  }

  @FieldResolver(() => String, {
    description: 'The Azure subscription id, kept across the transfer (R-AZP-8).',
  })
  azureSubscriptionId(@Root() wf: SubscriptionTransfer): string {
    return transferData(wf.row).subscription.azureSubscriptionId;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'The Partner Center subscription id under the new partner, once transferred (when the new partner is served here).',
  })
  async newSubscriptionId(
    @Root() wf: SubscriptionTransfer,
    @Ctx() ctx: Context,
  ): Promise<string | null> {
    return (await progressOf(ctx, wf)).data.newSubscriptionId ?? null;
  }

  @FieldResolver(() => [String], {
    description: "The old partner's role assignments removed in the clean-up (R-TRF-8).",
  })
  async removedRoleAssignments(
    @Root() wf: SubscriptionTransfer,
    @Ctx() ctx: Context,
  ): Promise<string[]> {
    return (await progressOf(ctx, wf)).data.removedRoleAssignments ?? [];
  }

  @FieldResolver(() => [String], {
    description:
      'Role assignments the new partner still has to remove by hand (when it is not served here, R-TRF-8).',
  })
  async roleAssignmentsToRemove(
    @Root() wf: SubscriptionTransfer,
    @Ctx() ctx: Context,
  ): Promise<string[]> {
    return ((await progressOf(ctx, wf)).data.manualRemovals ?? []).map((a) => a.id);
  }

  @FieldResolver(() => [String], {
    description:
      'Checks that could not be made in Partner Center (e.g. R-TRF-6 for a new partner not served here).',
  })
  pendingChecks(@Root() wf: SubscriptionTransfer): string[] {
    return transferData(wf.row).pendingChecks;
  }

  @FieldResolver(() => String, { description: "The new partner's tenant id (Microsoft ID)." })
  newPartnerTenantId(@Root() wf: SubscriptionTransfer): string {
    return transferData(wf.row).newPartner.tenantId;
  }

  @FieldResolver(() => DateTimeScalar, {
    description: "When the customer's written request was received (R-TRF-2).",
  })
  customerRequestReceivedAt(@Root() wf: SubscriptionTransfer): Date {
    return new Date(transferData(wf.row).customerRequest.receivedAt);
  }

  @FieldResolver(() => String, {
    description:
      'Where the transfer stands: PLANNED, TICKET_OPENED, FORM_ATTACHED, TRANSFERRED, CLEANUP_MANUAL or DONE.',
  })
  async state(@Root() wf: SubscriptionTransfer, @Ctx() ctx: Context): Promise<string> {
    return (await progressOf(ctx, wf)).item?.state ?? 'PLANNED';
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'What the transfer waits for, or what went wrong.',
  })
  async waitingReason(
    @Root() wf: SubscriptionTransfer,
    @Ctx() ctx: Context,
  ): Promise<string | null> {
    const { item } = await progressOf(ctx, wf);
    return item?.waitingReason ?? item?.lastError ?? null;
  }
}
