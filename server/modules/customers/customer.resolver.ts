import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { type ApiContext } from '../api-context.js';
import { CUSTOMER_READ_ROLES } from '../../shared/actor.js';
import { SubscriptionStatus } from '../../shared/enums.js';
import { BadUserInputError } from '../../shared/errors.js';
import { decodeIdOf } from '../../shared/ids.js';
import { mapEdges } from '../../shared/pagination.js';
import { type ConnectionShape } from '../common/common.type.js';
import { CustomerPageArgs } from '../organizations/organization.resolver.js';
import { PartnerTenant } from '../organizations/organization.type.js';
import {
  CustomerSubscription,
  CustomerSubscriptionConnection,
} from '../subscriptions/subscription.type.js';
import { Customer, CustomerConnection } from './customer.type.js';

@ArgsType()
export class SubscriptionPageArgs {
  @Field(() => SubscriptionStatus, {
    nullable: true,
    description: 'Only subscriptions in this status.',
  })
  status?: SubscriptionStatus | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1–100 (default 50).' })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor after which the page starts (`endCursor`).',
  })
  after?: string | null;
}

@Resolver(() => Customer)
export class CustomerResolver {
  @Authorized(...CUSTOMER_READ_ROLES)
  @Query(() => CustomerConnection, {
    description: "Customers of one of the caller's partner tenants, read live from Partner Center.",
  })
  async customers(
    @Arg('partnerTenantId', () => ID, { description: 'Global id of the partner tenant.' })
    partnerTenantId: string,
    @Args(() => CustomerPageArgs) args: CustomerPageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionShape<Customer>> {
    const [tenantId] = decodeIdOf(partnerTenantId, 'PartnerTenant', 1) ?? [];
    if (!tenantId) {
      throw new BadUserInputError(
        '"partnerTenantId" is not a partner tenant id.',
        'partnerTenantId',
      );
    }
    const page = await ctx.services.customers.listCustomers(ctx, tenantId, args);
    return { ...page, edges: mapEdges(page.edges, (node) => Customer.from(node)) };
  }

  @FieldResolver(() => String, { description: 'ISO 3166-1 alpha-2 country of the customer.' })
  async country(@Root() customer: Customer, @Ctx() ctx: ApiContext): Promise<string> {
    return ctx.services.customers.country(ctx, customer.record);
  }

  @FieldResolver(() => PartnerTenant, { description: 'The partner tenant serving this customer.' })
  async partnerTenant(@Root() customer: Customer, @Ctx() ctx: ApiContext): Promise<PartnerTenant> {
    const tenant = await ctx.services.organizations.tenantForActor(
      ctx,
      customer.record.partnerTenantId,
    );
    if (!tenant) {
      throw new Error(
        `partner tenant ${customer.record.partnerTenantId} vanished from the directory`,
      );
    }
    return PartnerTenant.from(tenant);
  }

  @FieldResolver(() => Boolean, {
    description: 'Whether the customer accepted the Microsoft Customer Agreement (agreements API).',
  })
  async customerAgreementSigned(
    @Root() customer: Customer,
    @Ctx() ctx: ApiContext,
  ): Promise<boolean> {
    return ctx.services.customers.customerAgreementSigned(ctx, customer.record);
  }

  @FieldResolver(() => CustomerSubscriptionConnection, {
    description: "The customer's subscriptions under this partner tenant, sorted by offer name.",
  })
  async subscriptions(
    @Root() customer: Customer,
    @Args(() => SubscriptionPageArgs) args: SubscriptionPageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionShape<CustomerSubscription>> {
    const page = await ctx.services.subscriptions.listSubscriptions(ctx, customer.record, args);
    return { ...page, edges: mapEdges(page.edges, (node) => CustomerSubscription.from(node)) };
  }
}
