import {
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  Int,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { type ApiContext } from '../api-context.js';
import { CUSTOMER_READ_ROLES } from '../../shared/actor.js';
import { CustomerConnection, Customer } from '../customers/customer.type.js';
import { type ConnectionShape } from '../common/common.type.js';
import { PartnerOrganization, PartnerTenant, Viewer } from './organization.type.js';

@ArgsType()
export class CustomerPageArgs {
  @Field(() => String, {
    nullable: true,
    description: 'Case-insensitive substring of the company name or domain.',
  })
  search?: string | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1–100 (default 50).' })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor after which the page starts (`endCursor`).',
  })
  after?: string | null;
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Authorized()
  @Query(() => Viewer, { description: 'The authenticated caller and their organization.' })
  viewer(@Ctx() ctx: ApiContext): Viewer {
    return Object.assign(new Viewer(), {
      userId: ctx.actor.userId,
      name: ctx.actor.name,
      roles: ctx.actor.roles,
    });
  }

  @FieldResolver(() => PartnerOrganization, { description: "The caller's partner organization." })
  async organization(@Ctx() ctx: ApiContext): Promise<PartnerOrganization> {
    return PartnerOrganization.from(await ctx.services.organizations.organizationOfActor(ctx));
  }
}

@Resolver(() => PartnerOrganization)
export class PartnerOrganizationResolver {
  @FieldResolver(() => [PartnerTenant], {
    description: 'Partner Center tenants of the organization.',
  })
  async partnerTenants(
    @Root() org: PartnerOrganization,
    @Ctx() ctx: ApiContext,
  ): Promise<PartnerTenant[]> {
    const tenants = await ctx.services.organizations.tenantsOfOrganization(ctx, org.organizationId);
    return tenants.map((t) => PartnerTenant.from(t));
  }
}

@Resolver(() => PartnerTenant)
export class PartnerTenantResolver {
  @Authorized(...CUSTOMER_READ_ROLES)
  @FieldResolver(() => CustomerConnection, {
    description: "The tenant's customers, read live from Partner Center, sorted by company name.",
  })
  async customers(
    @Root() tenant: PartnerTenant,
    @Args(() => CustomerPageArgs) args: CustomerPageArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionShape<Customer>> {
    const page = await ctx.services.customers.listCustomers(ctx, tenant.tenantId, args);
    return {
      ...page,
      edges: page.edges.map((e) => ({ cursor: e.cursor, node: Customer.from(e.node) })),
    };
  }
}
