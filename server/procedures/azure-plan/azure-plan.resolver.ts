import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { type ApiContext } from '../../modules/api-context.js';
import { type AzurePlanServices } from './azure-plan.service.js';
import { BasicUserError } from '../../modules/common/common.type.js';
import { Customer } from '../../modules/customers/customer.type.js';
import { PartnerTenant } from '../../modules/organizations/organization.type.js';
import {
  AzureEntitlement,
  CustomerSubscription,
} from '../../modules/subscriptions/subscription.type.js';
import {
  AzureBillingImpact,
  AzurePlanAssignment,
  AzurePlanTransition,
  AzurePlanTransitionLine,
  Money,
  OrderLegacyAzureSubscriptionInput,
  OrderLegacyAzureSubscriptionPayload,
  PlanAzurePlanTransitionInput,
  type AzureMappingState,
} from './azure-plan.type.js';
import { customerFromSnapshot } from '../../modules/workflows/workflow.mapper.js';
import { PlanWorkflowPayload } from '../../modules/workflows/workflow-objects.type.js';
import { toPayload } from '../../modules/workflows/workflow.resolver.js';
import { CUSTOMER_READ_ROLES } from '../../shared/actor.js';

type Context = ApiContext<AzurePlanServices>;

const date = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

@Resolver(() => AzurePlanTransition)
export class AzurePlanTransitionResolver {
  @Authorized(...CUSTOMER_READ_ROLES)
  @Mutation(() => PlanWorkflowPayload, {
    description:
      "Dry run of a customer's transition to the Azure plan (R-AZP-1..5): checks the relationship, the MCA and eligibility, computes the plans (one per customer direct, one per reseller indirect) and the mapping. Changes nothing in Partner Center.",
  })
  async planAzurePlanTransition(
    @Arg('input', () => PlanAzurePlanTransitionInput) input: PlanAzurePlanTransitionInput,
    @Ctx() ctx: Context,
  ): Promise<PlanWorkflowPayload> {
    return toPayload(await ctx.services.azurePlans.plan(ctx, input));
  }

  @Authorized()
  @Mutation(() => OrderLegacyAzureSubscriptionPayload, {
    description:
      'Orders a legacy "Microsoft Azure" (MS-AZR-0145P) subscription; refused once the customer moved to the Azure plan (R-AZP-6). Needs GLOBAL_ADMIN or ADMIN_AGENT.',
  })
  async orderLegacyAzureSubscription(
    @Arg('input', () => OrderLegacyAzureSubscriptionInput) input: OrderLegacyAzureSubscriptionInput,
    @Ctx() ctx: Context,
  ): Promise<OrderLegacyAzureSubscriptionPayload> {
    const result = await ctx.services.azurePlans.orderLegacyAzure(ctx, input);
    if (!result.ok) {
      return { subscription: null, userErrors: [BasicUserError.from(result.error)] };
    }
    const { partnerTenantId, customerTenantId, subscriptionId } = result.value;
    const record = await ctx.services.subscriptions.getSubscription(
      ctx,
      partnerTenantId,
      customerTenantId,
      subscriptionId,
    );
    return { subscription: record ? CustomerSubscription.from(record) : null, userErrors: [] };
  }

  @FieldResolver(() => Customer, { description: 'The customer moving to the Azure plan.' })
  customer(@Root() wf: AzurePlanTransition, @Ctx() ctx: Context): Customer {
    const d = ctx.services.azurePlanViews.data(wf.row);
    return customerFromSnapshot({
      partnerTenantId: d.partnerTenantId,
      customerTenantId: d.customerTenantId,
      companyName: d.companyName,
      domain: d.domain,
      country: d.country,
    });
  }

  @FieldResolver(() => PartnerTenant, {
    description: 'The partner tenant that serves the customer.',
  })
  async partnerTenant(
    @Root() wf: AzurePlanTransition,
    @Ctx() ctx: Context,
  ): Promise<PartnerTenant> {
    const d = ctx.services.azurePlanViews.data(wf.row);
    const tenant = await ctx.services.organizations.tenantForActor(ctx, d.partnerTenantId);
    return PartnerTenant.from(
      tenant ?? {
        tenantId: d.partnerTenantId,
        organizationId: wf.row.organizationId,
        name: d.partnerTenantName,
        mpnId: '',
        country: '',
        region: null,
        kind: d.partnerKind,
        labels: [],
      },
    );
  }

  @FieldResolver(() => [AzurePlanAssignment], {
    description: 'The Azure plans: one per customer (direct) or per reseller of record (R-AZP-3).',
  })
  async plans(
    @Root() wf: AzurePlanTransition,
    @Ctx() ctx: Context,
  ): Promise<AzurePlanAssignment[]> {
    const { partnerTenantId, customerTenantId } = ctx.services.azurePlanViews.data(wf.row);
    const plans = await ctx.services.azurePlanViews.plans(wf.row);
    return Promise.all(
      plans.map(async (p) => {
        const live = p.planSubscriptionId
          ? await ctx.services.subscriptions
              .getSubscription(ctx, partnerTenantId, customerTenantId, p.planSubscriptionId)
              .catch(() => null)
          : null;
        return Object.assign(new AzurePlanAssignment(), {
          resellerMpnId: p.resellerMpnId,
          planSubscriptionId: p.planSubscriptionId,
          planSubscription: live ? CustomerSubscription.from(live) : null,
          mapped: p.lines.map((l) => AzureEntitlement.from(l.entitlement)),
          state: p.state,
        });
      }),
    );
  }

  @FieldResolver(() => [AzurePlanTransitionLine], {
    description: 'Every legacy Azure subscription and its mapping progress (R-AZP-4).',
  })
  async lines(
    @Root() wf: AzurePlanTransition,
    @Ctx() ctx: Context,
  ): Promise<AzurePlanTransitionLine[]> {
    return (await ctx.services.azurePlanViews.lines(wf.row)).map((l) =>
      Object.assign(new AzurePlanTransitionLine(), {
        commerceSubscriptionId: l.commerceSubscriptionId,
        azureSubscriptionId: l.azureSubscriptionId,
        resellerMpnId: l.resellerMpnId,
        friendlyName: l.friendlyName,
        state: l.state as AzureMappingState,
        errorCode: l.errorCode,
        detail: l.detail,
        upgradeId: l.upgradeId,
        planSubscriptionId: l.planSubscriptionId,
        upgradedAt: date(l.upgradedAt),
      }),
    );
  }

  @FieldResolver(() => Money, {
    nullable: true,
    description: "The budget limit in the customer's local currency (R-AZP-5).",
  })
  budget(@Root() wf: AzurePlanTransition, @Ctx() ctx: Context): Money | null {
    const { budget } = ctx.services.azurePlanViews.data(wf.row);
    return budget ? Object.assign(new Money(), budget) : null;
  }

  @FieldResolver(() => [AzureBillingImpact], {
    description:
      'Per moved subscription: consumption up to the transition is on the existing CSP invoice (R-AZP-7).',
  })
  async billingImpact(
    @Root() wf: AzurePlanTransition,
    @Ctx() ctx: Context,
  ): Promise<AzureBillingImpact[]> {
    return (await ctx.services.azurePlanViews.lines(wf.row))
      .filter((l) => l.state === 'MAPPED')
      .map((l) =>
        Object.assign(new AzureBillingImpact(), {
          commerceSubscriptionId: l.commerceSubscriptionId,
          azureSubscriptionId: l.azureSubscriptionId,
          planSubscriptionId: l.planSubscriptionId,
          oldInvoiceUntil: date(l.upgradedAt ?? l.verifiedAt),
        }),
      );
  }

  @FieldResolver(() => [String], {
    description: 'Partner Center product upgrades started, oldest first (a retry adds one).',
  })
  async upgradeIds(@Root() wf: AzurePlanTransition, @Ctx() ctx: Context): Promise<string[]> {
    return (await ctx.services.azurePlanViews.transition(wf.row))?.upgradeIds ?? [];
  }
}
