import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { type ApiContext } from '../../modules/api-context.js';
import { toExportPayload } from '../../modules/exports/export.resolver.js';
import {
  ExportConsolidationInventoryInput,
  ExportPayload,
} from '../../modules/exports/export.type.js';
import { workflowRowId } from '../../modules/workflows/workflow.resolver.js';
import { type ConsolidationServices } from './consolidation.service.js';
import { type ConnectionShape } from '../../modules/common/common.type.js';
import { PartnerTenant } from '../../modules/organizations/organization.type.js';
import { CustomerSubscription } from '../../modules/subscriptions/subscription.type.js';
import { WorkflowPageArgs } from '../../modules/workflow-core/workflow.type.js';
import { customerFromSnapshot } from '../../modules/workflows/workflow.mapper.js';
import {
  BillingOverlapReport,
  ConsolidationCustomer,
  ConsolidationCustomerConnection,
  ConsolidationCustomerState,
  ConsolidationItem,
  ConsolidationItemKind,
  PlanTenantConsolidationInput,
  TenantConsolidation,
} from './consolidation.type.js';
import { PlanWorkflowPayload } from '../../modules/workflows/workflow-objects.type.js';
import { toPayload } from '../../modules/workflows/workflow.resolver.js';
import { type ConsolidationItemView } from './consolidation-view.service.js';
import { BillingOverlapItem } from './consolidation-overlap.type.js';
import { CUSTOMER_READ_ROLES } from '../../shared/actor.js';

type Context = ApiContext<ConsolidationServices>;

@Resolver(() => TenantConsolidation)
export class TenantConsolidationResolver {
  @Authorized(...CUSTOMER_READ_ROLES)
  @Mutation(() => PlanWorkflowPayload, {
    description:
      'Dry run of a regional tenant consolidation (R-CON-1): inventories the sources, classifies every subscription and reports blockers. Changes nothing in Partner Center.',
  })
  async planTenantConsolidation(
    @Arg('input', () => PlanTenantConsolidationInput) input: PlanTenantConsolidationInput,
    @Ctx() ctx: Context,
  ): Promise<PlanWorkflowPayload> {
    return toPayload(await ctx.services.consolidations.plan(ctx, input));
  }

  @Authorized(...CUSTOMER_READ_ROLES)
  @Mutation(() => ExportPayload, {
    description: "Exports a tenant consolidation's inventory and plan (R-CON-1).",
  })
  async exportConsolidationInventory(
    @Arg('input', () => ExportConsolidationInventoryInput) input: ExportConsolidationInventoryInput,
    @Ctx() ctx: Context,
  ): Promise<ExportPayload> {
    const id = workflowRowId(input.workflowId);
    if (!id) {
      return toExportPayload({
        ok: false,
        error: {
          code: 'NOT_FOUND',
          message: 'No consolidation has this id.',
          field: ['input', 'workflowId'],
        },
      });
    }
    return toExportPayload(
      await ctx.services.consolidationExports.exportInventory(ctx, {
        workflowRowId: id,
        format: input.format,
      }),
    );
  }

  @FieldResolver(() => [PartnerTenant], { description: 'The "transition from" tenants.' })
  async sources(@Root() wf: TenantConsolidation, @Ctx() ctx: Context): Promise<PartnerTenant[]> {
    const { sources } = ctx.services.consolidationViews.data(wf.row);
    const tenants = await Promise.all(
      sources.map((s) => ctx.services.organizations.tenantForActor(ctx, s.tenantId)),
    );
    return tenants.flatMap((t) => (t ? [PartnerTenant.from(t)] : []));
  }

  @FieldResolver(() => PartnerTenant, { description: 'The "transition to" tenant.' })
  async target(@Root() wf: TenantConsolidation, @Ctx() ctx: Context): Promise<PartnerTenant> {
    const { target } = ctx.services.consolidationViews.data(wf.row);
    const tenant = await ctx.services.organizations.tenantForActor(ctx, target.tenantId);
    return PartnerTenant.from(
      tenant ?? { ...target, organizationId: wf.row.organizationId, kind: 'direct', labels: [] },
    );
  }

  @FieldResolver(() => ConsolidationCustomerConnection, {
    description: 'The customers and what happens to each.',
  })
  async customers(
    @Root() wf: TenantConsolidation,
    @Args(() => WorkflowPageArgs) args: WorkflowPageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<ConsolidationCustomer>> {
    const page = await ctx.services.consolidationViews.customers(wf.row, args);
    const edges = await Promise.all(
      page.edges.map(async (e) => ({
        cursor: e.cursor,
        node: Object.assign(new ConsolidationCustomer(), {
          customer: customerFromSnapshot(e.node.customer),
          state: e.node.state as ConsolidationCustomerState,
          invitationUrl: e.node.invitationUrl,
          waitingReason: e.node.waitingReason,
          items: await Promise.all(e.node.items.map((item) => this.item(ctx, item))),
        }),
      })),
    );
    return { ...page, edges };
  }

  @FieldResolver(() => BillingOverlapReport, {
    description: 'Overlap between each source and its replacement (R-CON-4/5).',
  })
  async billingOverlap(
    @Root() wf: TenantConsolidation,
    @Ctx() ctx: Context,
  ): Promise<BillingOverlapReport> {
    const report = await ctx.services.consolidationViews.billingOverlap(wf.row);
    return Object.assign(new BillingOverlapReport(), {
      ...report,
      asOf: new Date(report.asOf),
      items: report.items.map((o) =>
        Object.assign(new BillingOverlapItem(), {
          companyName: o.companyName,
          customerTenantId: o.customerTenantId,
          sourceSubscriptionId: o.sourceSubscriptionId,
          targetSubscriptionId: o.targetSubscriptionId,
          targetActiveAt: new Date(o.targetActiveAt),
          sourceSuspendedAt: o.sourceSuspendedAt ? new Date(o.sourceSuspendedAt) : null,
          overlapDays: o.days,
          open: o.open,
        }),
      ),
    });
  }

  private async item(ctx: Context, view: ConsolidationItemView): Promise<ConsolidationItem> {
    const live = async (tenantId: string, subscriptionId: string) =>
      ctx.services.subscriptions
        .getSubscription(ctx, tenantId, view.customerTenantId, subscriptionId)
        .catch(() => null);
    const source =
      (await live(view.source.partnerTenantId, view.source.subscriptionId)) ?? view.source;
    const target = view.target
      ? ((await live(view.target.partnerTenantId, view.target.subscriptionId)) ?? view.target)
      : null;
    return Object.assign(new ConsolidationItem(), {
      kind: view.kind as ConsolidationItemKind,
      source: CustomerSubscription.from(source),
      target: target ? CustomerSubscription.from(target) : null,
      seats: view.seats,
      targetActiveAt: view.targetActiveAt ? new Date(view.targetActiveAt) : null,
      targetSeenActiveAt: view.targetSeenActiveAt ? new Date(view.targetSeenActiveAt) : null,
      sourceSuspendedAt: view.sourceSuspendedAt ? new Date(view.sourceSuspendedAt) : null,
      overlapDays: view.overlapDays,
      overlapOpen: view.overlapOpen,
      proposedOfferId: view.proposedOfferId,
      proposedOfferName: view.proposedOfferName,
      successorReason: view.successorReason,
      status: view.status,
      detail: view.detail,
    });
  }
}
