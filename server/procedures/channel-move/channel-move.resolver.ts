import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import { type ApiContext } from '../../modules/api-context.js';
import { CustomerInvitation } from '../shared/customer-invitations.type.js';
import { type ChannelMoveServices } from './channel-move.service.js';
import { CustomerRelationship } from '../../shared/enums.js';
import { type Result } from '../../shared/result.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';
import { type ChannelMoveLineView, type ChannelMoveView } from './channel-move-view.service.js';
import { type PlanError } from './channel-move.service.js';
import { BasicUserError } from '../../modules/common/common.type.js';
import { Customer } from '../../modules/customers/customer.type.js';
import { toGdapStep } from '../../modules/gdap/gdap.mapper.js';
import { GdapStep } from '../../modules/gdap/gdap.type.js';
import { toExportPayload } from '../../modules/exports/export.resolver.js';
import { ExportPayload } from '../../modules/exports/export.type.js';
import { PartnerTenant } from '../../modules/organizations/organization.type.js';
import { CustomerSubscription } from '../../modules/subscriptions/subscription.type.js';
import { type Workflow } from '../../modules/workflow-core/workflow.type.js';
import {
  ChannelMove,
  ChannelMoveLine,
  ChannelMoveLineState,
  ExportChannelMovePlanInput,
  PlanChannelMoveInput,
  RecommendedAction,
  SourceChannel,
} from './channel-move.type.js';
import { toWorkflowObject } from '../../modules/workflows/workflow.mapper.js';
import { PlanWorkflowPayload } from '../../modules/workflows/workflow-objects.type.js';
import { workflowRowId } from '../../modules/workflows/workflow.resolver.js';
import { CUSTOMER_READ_ROLES } from '../../shared/actor.js';

type Context = ApiContext<ChannelMoveServices>;

/** A plan result as a payload: every problem becomes a user error (one per bad CSV row). */
function toPlanPayload(result: Result<WorkflowRow, PlanError>): PlanWorkflowPayload {
  if (result.ok) {
    return { workflow: toWorkflowObject(result.value) as Workflow, userErrors: [] };
  }
  const all = result.error.all ?? [result.error];
  return { workflow: null, userErrors: all.map((e) => BasicUserError.from(e)) };
}

/** One view per request and workflow: `customer`, `lines`, … read the items once. */
const views = new WeakMap<object, Map<string, Promise<ChannelMoveView>>>();
function viewOf(ctx: Context, row: WorkflowRow): Promise<ChannelMoveView> {
  let perRequest = views.get(ctx);
  if (!perRequest) {
    perRequest = new Map();
    views.set(ctx, perRequest);
  }
  const key = `${row.id}@${row.updatedAt}`;
  let view = perRequest.get(key);
  if (!view) {
    view = ctx.services.channelMoveViews.view(row);
    perRequest.set(key, view);
  }
  return view;
}

@Resolver(() => ChannelMove)
export class ChannelMoveResolver {
  @Authorized(...CUSTOMER_READ_ROLES)
  @Mutation(() => PlanWorkflowPayload, {
    description:
      'Dry run of a channel move (R-CHN-1..7): finds each license’s CSP offer (same or equivalent), seat bounds, cut-over date and blockers. Changes nothing in Partner Center.',
  })
  async planChannelMove(
    @Arg('input', () => PlanChannelMoveInput) input: PlanChannelMoveInput,
    @Ctx() ctx: Context,
  ): Promise<PlanWorkflowPayload> {
    return toPlanPayload(await ctx.services.channelMoves.plan(ctx, input));
  }

  @Authorized(...CUSTOMER_READ_ROLES)
  @Mutation(() => ExportPayload, {
    description:
      'Exports the move plan of a channel move for the customer (lines, CSP offers, cut-over dates, what to do with the originals).',
  })
  async exportChannelMovePlan(
    @Arg('input', () => ExportChannelMovePlanInput) input: ExportChannelMovePlanInput,
    @Ctx() ctx: Context,
  ): Promise<ExportPayload> {
    const id = workflowRowId(input.workflowId);
    if (!id) {
      return toExportPayload({
        ok: false,
        error: {
          code: 'NOT_FOUND',
          message: 'No channel move has this id.',
          field: ['input', 'workflowId'],
        },
      });
    }
    return toExportPayload(
      await ctx.services.channelMoveExports.exportPlan(ctx, {
        workflowRowId: id,
        format: input.format,
      }),
    );
  }

  @FieldResolver(() => Customer, {
    description:
      'The customer as the serving partner tenant will see it (Partner Center’s company profile once the relationship exists).',
  })
  async customer(@Root() wf: ChannelMove, @Ctx() ctx: Context): Promise<Customer> {
    const { data, relationship } = await viewOf(ctx, wf.row);
    return Customer.from({
      partnerTenantId: data.partner.tenantId,
      tenantId: data.customerTenantId,
      companyName: relationship.companyName,
      domain: relationship.domain,
      country: relationship.country,
      relationship:
        relationship.accepted || !relationship.relationshipRequired
          ? CustomerRelationship.RESELLER
          : CustomerRelationship.NONE,
    });
  }

  @FieldResolver(() => SourceChannel, { description: 'Where the licenses come from.' })
  sourceChannel(@Root() wf: ChannelMove, @Ctx() ctx: Context): SourceChannel {
    return ctx.services.channelMoveViews.data(wf.row).sourceChannel as SourceChannel;
  }

  @FieldResolver(() => PartnerTenant, {
    description: 'The CSP partner tenant that will serve the customer.',
  })
  async partnerTenant(@Root() wf: ChannelMove, @Ctx() ctx: Context): Promise<PartnerTenant> {
    const { partner } = ctx.services.channelMoveViews.data(wf.row);
    const tenant = await ctx.services.organizations.tenantForActor(ctx, partner.tenantId);
    return PartnerTenant.from(
      tenant ?? { ...partner, organizationId: wf.row.organizationId, kind: 'direct', labels: [] },
    );
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The reseller invitation URL for the customer’s global admin (R-CHN-1).',
  })
  async invitationUrl(@Root() wf: ChannelMove, @Ctx() ctx: Context): Promise<string | null> {
    return (await viewOf(ctx, wf.row)).relationship.invitationUrl ?? null;
  }

  @FieldResolver(() => GdapStep, {
    nullable: true,
    description:
      "The partner's GDAP step for the customer (with GDAP on): reuse / extend / create, the approval link to send beside the invitation, and where it stands.",
  })
  async gdap(@Root() wf: ChannelMove, @Ctx() ctx: Context): Promise<GdapStep | null> {
    return toGdapStep((await viewOf(ctx, wf.row)).relationship.gdap);
  }

  @FieldResolver(() => CustomerInvitation, {
    nullable: true,
    description: 'The current relationship request: reminders sent and validity (R-CHN-1).',
  })
  async invitation(
    @Root() wf: ChannelMove,
    @Ctx() ctx: Context,
  ): Promise<CustomerInvitation | null> {
    return CustomerInvitation.from((await viewOf(ctx, wf.row)).relationship.invitation);
  }

  @FieldResolver(() => Boolean, {
    description: 'Whether the customer has accepted the reseller relationship.',
  })
  async relationshipAccepted(@Root() wf: ChannelMove, @Ctx() ctx: Context): Promise<boolean> {
    return (await viewOf(ctx, wf.row)).relationship.accepted;
  }

  @FieldResolver(() => Int, {
    description: 'Days before the natural expiry on which LET_EXPIRE lines are ordered.',
  })
  cutoverLeadDays(@Root() wf: ChannelMove, @Ctx() ctx: Context): number {
    return ctx.services.channelMoveViews.data(wf.row).leadDays;
  }

  @FieldResolver(() => [ChannelMoveLine], { description: 'The license lines, in input order.' })
  async lines(@Root() wf: ChannelMove, @Ctx() ctx: Context): Promise<ChannelMoveLine[]> {
    const view = await viewOf(ctx, wf.row);
    return Promise.all(view.lines.map((line) => this.line(ctx, view, line)));
  }

  private async line(
    ctx: Context,
    view: ChannelMoveView,
    l: ChannelMoveLineView,
  ): Promise<ChannelMoveLine> {
    let target: CustomerSubscription | null = null;
    if (l.targetSubscriptionId) {
      const live = await ctx.services.subscriptions
        .getSubscription(
          ctx,
          view.data.partner.tenantId,
          view.data.customerTenantId,
          l.targetSubscriptionId,
        )
        .catch(() => null);
      // Partner Center unreadable for a moment: the subscription as the workflow recorded it.
      const recorded = ctx.services.channelMoveViews.recordedTarget(view, l);
      const record = live ?? recorded;
      target = record ? CustomerSubscription.from(record) : null;
    }
    return Object.assign(new ChannelMoveLine(), {
      lineNumber: l.lineNumber,
      subject: l.subject,
      sourceOfferId: l.offerId,
      sourceOfferName: l.sourceOfferName,
      seats: l.seats,
      expiresOn: l.expiresOn ? new Date(l.expiresOn) : null,
      targetOfferId: l.targetOfferId,
      targetOfferName: l.targetOfferName,
      equivalentOffer: l.equivalentOffer,
      licenseReassignmentRequired: l.licenseReassignmentRequired,
      recommendedAction: l.action as RecommendedAction,
      cutoverAt: l.cutoverAt ? new Date(l.cutoverAt) : null,
      warnings: l.warnings,
      state: l.state as ChannelMoveLineState,
      detail: l.detail,
      target,
    });
  }
}
